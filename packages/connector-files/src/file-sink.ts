// The JSON-lines file sink: one writer per subtask, each rolling its own part files. At-least-once today (see
// README "Guarantees"); the part-file lifecycle (in-progress name, then rename) is where an exactly-once
// committer will plug in: writers would hand "pending" files to it at `prepareCommit` instead of renaming them.
import type { Sink, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import { FileSinkWriter, type FileSinkWriterSettings } from './file-sink-writer.js';

/**
 * Options of a {@link FileSink}.
 *
 * @public
 */
export type FileSinkOptions = FileSinkWriterSettings;

/**
 * Writes records as JSON lines into `<path>/<prefix>-<subtask>-<counter>.jsonl`.
 *
 * @public
 */
export class FileSink<T = unknown> implements Sink<T> {
  constructor(readonly options: FileSinkOptions) {
    if (options.path.length === 0) throw new Error('filesystem sink: path must not be empty');
  }

  createWriter(context: SinkWriterContext): SinkWriter<T> {
    return new FileSinkWriter<T>(context, this.options);
  }
}
