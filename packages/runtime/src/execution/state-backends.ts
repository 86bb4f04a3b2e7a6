// Creates the configured state backend by name (`state.backend.type`). Backends are plugins: the heap backend ships
// with the runtime; the LevelDB backend (`@runnel/state-level`, an optional dependency) is loaded when asked for.
// A backend declares its own options (`state.backend.level.*` in `@runnel/state-level`); the runtime only hands them
// on and checks them against the backend's declarations before a job starts.
import type { StateBackend } from '@runnel/api';
import { parseOptions } from '@runnel/api/config';
import { HeapStateBackend } from '@runnel/state-heap';
import { LEVEL_STATE_BACKEND_PREFIX } from './runtime-options.js';

type BackendOptions = Readonly<Record<string, string | number | boolean>>;

async function loadLevel(why: string): Promise<typeof import('@runnel/state-level')> {
  try {
    return await import('@runnel/state-level');
  } catch (e) {
    throw new Error(`${why} needs the package @runnel/state-level: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Checks `state.backend.level.*` options (given without the prefix) against the LevelDB backend's declarations, so
 * that an unknown key or a bad value fails when the job is submitted (with the closest valid key), not in a worker.
 * Checked whichever backend is chosen, as the runtime always did.
 *
 * @internal
 */
export async function checkStateBackendOptions(options: BackendOptions): Promise<void> {
  const keys = Object.keys(options);
  if (keys.length === 0) return;
  const prefix = LEVEL_STATE_BACKEND_PREFIX.prefix;
  const mod = await loadLevel(`option '${prefix}${keys[0]}'`);
  parseOptions(mod.LEVEL_STATE_BACKEND_OPTIONS, Object.fromEntries(Object.entries(options).map(([k, v]) => [`${prefix}${k}`, v])));
}

/** @internal */
export async function createStateBackend(name: string, options: BackendOptions = {}): Promise<StateBackend> {
  switch (name) {
    case 'heap':
    case 'hashmap':
      return new HeapStateBackend();
    case 'level':
    case 'leveldb':
    case 'rocksdb': {
      const mod = await loadLevel(`state.backend.type '${name}'`);
      // The backend parses its options (text or typed) with its own declarations.
      return new mod.LevelStateBackend(options as ConstructorParameters<typeof mod.LevelStateBackend>[0]);
    }
    default:
      throw new Error(`unknown state backend '${name}' (option state.backend.type); known: heap, level`);
  }
}
