// `@runnel/connector-files`: a line-oriented file source (bounded or directory-monitoring; JSON lines by default) and
// an exactly-once file sink, plus the `filesystem` connector factory that creates them from options, for DataStream
// jobs and as SQL table sources and sinks of any line format.
export { FileSource } from './file-source.js';
export type { FileSourceOptions } from './file-source.js';
export { FileSourceReader } from './file-source-reader.js';
export type { FileSourceReaderSettings } from './file-source-reader.js';
export { FileSplitEnumerator } from './file-split-enumerator.js';
export type { FileSplitEnumeratorSettings } from './file-split-enumerator.js';
export { fileSplitOf } from './file-split.js';
export type { FileSplit, FileEnumeratorState } from './file-split.js';
export { fileSplitSerializer, fileEnumeratorStateSerializer } from './file-split.js';
export { FileSink } from './file-sink.js';
export type { FileSinkOptions } from './file-sink.js';
export { FileSinkWriter } from './file-sink-writer.js';
export type { FileSinkWriterSettings } from './file-sink-writer.js';
export { FileCommitter } from './file-committer.js';
export { fileSinkCommittableSerializer, fileSinkWriterStateSerializer } from './file-sink-state.js';
export type { FileSinkCommittable, FileSinkWriterState } from './file-sink-state.js';
export { filesystemConnectorFactory } from './filesystem-factory.js';
export { FileOptionKeys, FileDefaults, FileOptions, FILE_OPTIONS } from './options.js';
export type { LineDecoder, SourceFile } from './line-decoder.js';
export { JsonLineDecoder } from './json-line-decoder.js';
export { FileSystemTableSource } from './table/filesystem-table-source.js';
export { FileSystemTableSink } from './table/filesystem-table-sink.js';
