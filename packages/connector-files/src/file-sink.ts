// The exactly-once file sink (JSON lines, or any line encoding): one writer per subtask writing hidden part files and pre-committing
// them at checkpoint barriers, and a committer that publishes them (by rename) when the checkpoint completes.
// The runtime drives the two-phase commit; see `file-sink-writer.ts` for the file lifecycle and `part-files.ts`
// for names and the restore-time cleanup.
import type { Committer, Sink, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import type { VersionedSerializer } from '@runnel/api';
import { FileCommitter } from './file-committer.js';
import {
  fileSinkCommittableSerializer,
  fileSinkWriterStateSerializer,
  type FileSinkCommittable,
  type FileSinkWriterState,
} from './file-sink-state.js';
import { FileSinkWriter, type FileSinkWriterSettings } from './file-sink-writer.js';

/**
 * Options of a {@link FileSink}.
 *
 * @public
 */
export type FileSinkOptions<T = unknown> = FileSinkWriterSettings<T>;

/**
 * Writes records as lines (JSON by default, or `encode`'s) into `<path>/<prefix>-<subtask>-<checkpoint>-<n>.jsonl`
 * (the suffix is `partSuffix`), exactly once.
 *
 * @public
 */
export class FileSink<T = unknown> implements Sink<T, FileSinkCommittable, FileSinkWriterState> {
  readonly committableSerializer: VersionedSerializer<FileSinkCommittable> = fileSinkCommittableSerializer;
  readonly writerStateSerializer: VersionedSerializer<FileSinkWriterState> = fileSinkWriterStateSerializer;

  constructor(readonly options: FileSinkOptions<T>) {
    if (options.path.length === 0) throw new Error('filesystem sink: path must not be empty');
  }

  createWriter(
    context: SinkWriterContext,
    restoredState?: readonly FileSinkWriterState[],
  ): SinkWriter<T, FileSinkCommittable, FileSinkWriterState> {
    return new FileSinkWriter<T>(context, this.options, restoredState);
  }

  createCommitter(): Committer<FileSinkCommittable> {
    return new FileCommitter(this.options.path);
  }
}
