// The heap state backend: keeps keyed and operator state as JS objects in the subtask's memory. Fastest backend,
// bounded by the heap; its stores are created synchronously.
import type {
  KeyedStateBackendContext,
  OperatorStateContext,
  StateBackend,
} from '@runnel/api/state';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import { HeapOperatorStateStore } from './heap-operator-state-store.js';
import { cleanupSizeOf, type HeapStateBackendOptions } from './options.js';

/**
 * State backend that holds state in JS memory (`state.backend.type: heap`).
 *
 * @public
 */
export class HeapStateBackend implements StateBackend {
  readonly name = 'heap';
  private readonly options: HeapStateBackendOptions;

  constructor(options: HeapStateBackendOptions = {}) {
    cleanupSizeOf(options); // validate early, at configuration time
    this.options = { ...options };
  }

  createKeyedStateBackend(context: KeyedStateBackendContext): HeapKeyedStateBackend {
    return new HeapKeyedStateBackend(context, this.options);
  }

  createOperatorStateStore(context: OperatorStateContext): HeapOperatorStateStore {
    return new HeapOperatorStateStore(context);
  }

  /** Nothing is shared between stores; idempotent. */
  close(): void {}
}
