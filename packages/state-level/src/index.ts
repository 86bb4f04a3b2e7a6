// `@runnel/state-level`: keyed state in LevelDB behind a write-back cache, for state larger than the JS heap.
export { LevelStateBackend } from './level-state-backend.js';
export { levelStateBackend } from './level-state-backend-factory.js';
export { LevelKeyedStateBackend } from './level-keyed-state-backend.js';
export type { LevelStateStats } from './level-keyed-state-backend.js';
export { LevelKeyedStateSnapshot } from './level-keyed-snapshot.js';
export type { LevelStateBackendOptions } from './options.js';
export { LevelOptions, LEVEL_STATE_BACKEND_OPTIONS, LEVEL_OPTION_PREFIX } from './options.js';
