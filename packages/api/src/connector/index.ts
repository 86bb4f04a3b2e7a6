// Entry point of `@runnel/api/connector`.
export type {
  SourceSplit,
  Boundedness,
  InputStatus,
  ReaderOutput,
  SourceReaderContext,
  SourceReader,
  SplitEnumeratorContext,
  SplitEnumerator,
  Source,
} from './source.js';
export type {
  SinkWriterContext,
  SinkRecordContext,
  SinkWriter,
  CommitRequest,
  Committer,
  Sink,
} from './sink.js';
export type {
  ColumnSpec,
  ConnectorContext,
  LookupSource,
  ConnectorFactory,
} from './factory.js';
export { END_OF_INPUT_CHECKPOINT_ID } from './sink.js';
