// The LevelDB state backend (`state.backend.type: level`): keyed state of each subtask in a LevelDB database of
// its own behind a write-back cache, for state larger than the JS heap. Operator state is small by nature (source
// positions, sink committables): the backend has no store of its own for it, so the runtime keeps it in JS memory,
// as Flink does with its RocksDB backend.
import type { KeyedStateBackendContext, StateBackend } from '@runnel/api/state';
import { LevelKeyedStateBackend } from './level-keyed-state-backend.js';
import { resolveLevelOptions, type LevelStateBackendOptions } from './options.js';

/**
 * State backend that keeps keyed state in LevelDB.
 *
 * @public
 */
export class LevelStateBackend implements StateBackend {
  readonly name = 'level';
  private readonly options: LevelStateBackendOptions;

  constructor(options: LevelStateBackendOptions = {}) {
    // validate early, at configuration time
    resolveLevelOptions(options);
    this.options = { ...options };
  }

  /** Opens a fresh LevelDB database for the subtask (asynchronous). */
  createKeyedStateBackend(context: KeyedStateBackendContext): Promise<LevelKeyedStateBackend> {
    return LevelKeyedStateBackend.open(context, this.options);
  }

  /** Nothing is shared between stores (each keyed backend owns and deletes its database); idempotent. */
  close(): void {}
}
