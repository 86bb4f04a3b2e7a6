// The LevelDB state backend as a plugin: `state.backend.type: level` (or `leveldb`), with its options under
// `state.backend.level.`. This package's package.json lists it in its `runnel` manifest, so the runtime finds it when
// the package is installed and never names it.
import type { StateBackend, StateBackendFactory, StateBackendFactoryContext } from '@runnel/api/state';
import { parseOptions } from '@runnel/api/config';
import { LevelStateBackend } from './level-state-backend.js';
import { LEVEL_OPTION_PREFIX, LEVEL_STATE_BACKEND_OPTIONS } from './options.js';

/**
 * The `level` state backend factory.
 *
 * @public
 */
export const levelStateBackend: StateBackendFactory = {
  kind: 'state-backend',
  identifier: 'level',
  aliases: ['leveldb'],
  apiVersion: '^0.1.0',
  description: 'keyed state in LevelDB behind a write-back cache, for state larger than the heap',
  options: LEVEL_STATE_BACKEND_OPTIONS,
  create(context: StateBackendFactoryContext): StateBackend {
    // Checked here with the full keys (messages name `state.backend.level.*`), handed to the backend without prefix.
    parseOptions(this.options, context.options, { context: 'state backend level' });
    const own: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(context.options)) if (k.startsWith(LEVEL_OPTION_PREFIX)) own[k.slice(LEVEL_OPTION_PREFIX.length)] = v;
    return new LevelStateBackend(own);
  },
};
