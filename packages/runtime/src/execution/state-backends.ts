// Creates the configured state backend through its plugin: `state.backend.type` names a StateBackendFactory that the
// plugin registry finds (built in, registered, or from an installed package's manifest); the runtime names no backend
// itself. The backend's options (`state.backend.<identifier>.*`) go to its factory, which declares and checks them:
// `checkStateBackend` runs when the job is submitted, so that an unknown backend or option fails before any thread
// starts, with the closest valid name.
import type { StateBackend, StateBackendFactory } from '@runnel/api';
import { ConfigurationError, parseOptions, unknownOptionsMessage } from '@runnel/api/config';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { RuntimeOptions, STATE_BACKEND_PREFIX } from './runtime-options.js';
import type { RuntimeConfig } from './runtime-config.js';

/**
 * The backend's options out of all `state.backend.*` options: those under its prefix. Those under the prefix of
 * another installed backend are left alone (a configuration may carry options of a backend it does not use, as in
 * Flink); anything else is a typo and fails with the closest valid key.
 */
function optionsOf(factory: StateBackendFactory, all: Readonly<Record<string, unknown>>, registry: PluginRegistry): Record<string, unknown> {
  const own = [factory.identifier, ...(factory.aliases ?? [])].map((n) => `${STATE_BACKEND_PREFIX.prefix}${n.toLowerCase()}.`);
  const others = registry.available('stateBackends').map((p) => `${STATE_BACKEND_PREFIX.prefix}${p.identifier.toLowerCase()}.`);
  const mine: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    const p = own.find((x) => k.startsWith(x));
    if (p !== undefined) mine[`${own[0]}${k.slice(p.length)}`] = v;
    else if (!others.some((x) => k.startsWith(x))) unknown.push(k);
  }
  if (unknown.length > 0) {
    // Suggestions among the backend's keys and the runtime's own `state.backend.*` key.
    throw new ConfigurationError(unknownOptionsMessage(unknown, [...factory.options, RuntimeOptions.stateBackend]), unknown[0]);
  }
  return mine;
}

/**
 * Finds the configured backend and checks its options; fails with a `ConfigurationError` naming the option.
 *
 * @internal
 */
export async function checkStateBackend(config: RuntimeConfig, registry: PluginRegistry): Promise<StateBackendFactory> {
  const factory = await registry.find<StateBackendFactory>('stateBackends', config.stateBackend);
  parseOptions(factory.options, optionsOf(factory, config.stateBackendOptions, registry), { context: `state backend ${factory.identifier}` });
  return factory;
}

/** @internal */
export async function createStateBackend(config: RuntimeConfig, registry: PluginRegistry): Promise<StateBackend> {
  const factory = await registry.find<StateBackendFactory>('stateBackends', config.stateBackend);
  return factory.create({ options: optionsOf(factory, config.stateBackendOptions, registry) });
}
