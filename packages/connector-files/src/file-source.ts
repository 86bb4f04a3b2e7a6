// The file source: ties the enumerator, the reader and the serializers of their state together. Bounded when no
// monitor interval is given (reads the files present at start, then ends), continuous otherwise. Lines are JSON by
// default; `createDecoder` plugs in another line format (a SQL table's).
import type { VersionedSerializer } from '@runnel/api';
import type {
  Boundedness,
  Source,
  SourceReader,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
} from '@runnel/api/connector';
import type { FileEnumeratorState, FileSplit } from './file-split.js';
import { FileSplitEnumerator } from './file-split-enumerator.js';
import { FileSourceReader } from './file-source-reader.js';
import { fileEnumeratorStateSerializer, fileSplitSerializer } from './file-split.js';
import type { LineDecoder } from './line-decoder.js';

/**
 * Options of a {@link FileSource}.
 *
 * @public
 */
export interface FileSourceOptions<T = unknown> {
  /** A file, or a directory whose non-hidden files (recursively) are read in name order. */
  readonly path: string;
  /** `source.monitor-interval` in ms: re-list the directory at this interval (continuous source). */
  readonly monitorIntervalMs?: number;
  /** `json.ignore-parse-errors`: skip malformed lines instead of failing. Default false. */
  readonly ignoreParseErrors?: boolean;
  /** The decoder of each reader's lines (called once per reader); default: JSON lines. */
  readonly createDecoder?: (context: SourceReaderContext) => LineDecoder<T>;
  /** Bytes per asynchronous read; default 1 MiB. */
  readonly readChunkSize?: number;
  /** Records emitted per `pollNext` at most; default 1024. */
  readonly maxRecordsPerPoll?: number;
}

/**
 * Reads lines from files: one split per file, each line `JSON.parse`d into a record (or decoded by `createDecoder`'s
 * decoder).
 *
 * @public
 */
export class FileSource<T = unknown> implements Source<T, FileSplit, FileEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly splitSerializer: VersionedSerializer<FileSplit> = fileSplitSerializer;
  readonly enumeratorStateSerializer: VersionedSerializer<FileEnumeratorState> = fileEnumeratorStateSerializer;

  constructor(readonly options: FileSourceOptions<T>) {
    if (options.path.length === 0) throw new Error('filesystem source: path must not be empty');
    const interval = options.monitorIntervalMs;
    if (interval !== undefined && !(interval > 0)) {
      throw new Error(`filesystem source: monitor interval must be positive, got ${interval}`);
    }
    this.boundedness = interval === undefined ? 'bounded' : 'continuous-unbounded';
  }

  createEnumerator(context: SplitEnumeratorContext<FileSplit>): SplitEnumerator<FileSplit, FileEnumeratorState> {
    return new FileSplitEnumerator(context, this.enumeratorSettings());
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<FileSplit>,
    state: FileEnumeratorState,
  ): SplitEnumerator<FileSplit, FileEnumeratorState> {
    return new FileSplitEnumerator(context, this.enumeratorSettings(), state);
  }

  createReader(context: SourceReaderContext): SourceReader<T, FileSplit> {
    const { ignoreParseErrors, readChunkSize, maxRecordsPerPoll, createDecoder } = this.options;
    return new FileSourceReader<T>(context, { ignoreParseErrors, readChunkSize, maxRecordsPerPoll, decoder: createDecoder?.(context) });
  }

  private enumeratorSettings(): { path: string; monitorIntervalMs?: number } {
    return { path: this.options.path, monitorIntervalMs: this.options.monitorIntervalMs };
  }
}
