// Creates the configured state backend by name (`state.backend.type`). Backends are plugins; the heap backend
// ships with the runtime.
import type { StateBackend } from '@runnel/api';
import { HeapStateBackend } from '@runnel/state-heap';

/** @internal */
export async function createStateBackend(name: string): Promise<StateBackend> {
  switch (name) {
    case 'heap':
    case 'hashmap':
      return new HeapStateBackend();
    default:
      throw new Error(`unknown state backend '${name}' (option state.backend.type); known: heap`);
  }
}
