// Creates the configured state backend by name (`state.backend.type`). Backends are plugins: the heap backend ships
// with the runtime; the LevelDB backend (`@runnel/state-level`, an optional dependency) is loaded when asked for.
import type { StateBackend } from '@runnel/api';
import { HeapStateBackend } from '@runnel/state-heap';

/** @internal */
export async function createStateBackend(name: string, options: Readonly<Record<string, string | number | boolean>> = {}): Promise<StateBackend> {
  switch (name) {
    case 'heap':
    case 'hashmap':
      return new HeapStateBackend();
    case 'level':
    case 'leveldb':
    case 'rocksdb': {
      let mod: typeof import('@runnel/state-level');
      try {
        mod = await import('@runnel/state-level');
      } catch (e) {
        throw new Error(`state.backend.type '${name}' needs the package @runnel/state-level: ${(e as Error).message}`, { cause: e });
      }
      return new mod.LevelStateBackend(options as ConstructorParameters<typeof mod.LevelStateBackend>[0]);
    }
    default:
      throw new Error(`unknown state backend '${name}' (option state.backend.type); known: heap, level`);
  }
}
