// Creates the job's checkpoint storage through its plugin, and opens savepoints through theirs: the runtime writes
// and reads checkpoints only through the CheckpointStorage contract. The storage is `state.checkpoint-storage` (an
// identifier) or the plugin that serves the scheme of `state.checkpoints.dir` (a plain path or `file:` is the
// built-in `filesystem`); a savepoint pointer (`--from-savepoint s3://...`) is opened by the plugin of its scheme.
import type { CheckpointStorage, CheckpointStorageFactory, OpenedCheckpoint } from '@runnel/api';
import { parseOptions } from '@runnel/api/config';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import type { CheckpointConfig } from './runtime-config.js';

/** The URI scheme of a location: `file` for plain paths (a Windows drive letter is not a scheme). */
export function schemeOf(location: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(location);
  return m ? m[1]!.toLowerCase() : 'file';
}

async function factoryFor(config: CheckpointConfig, location: string, registry: PluginRegistry): Promise<CheckpointStorageFactory> {
  return config.storage !== undefined
    ? registry.find<CheckpointStorageFactory>('checkpointStorages', config.storage)
    : registry.findByScheme(schemeOf(location));
}

/** The options of one storage plugin: those under its prefix. */
function optionsOf(factory: CheckpointStorageFactory, config: CheckpointConfig): Record<string, unknown> {
  const prefix = `state.checkpoint-storage.${factory.identifier}.`;
  return Object.fromEntries(Object.entries(config.storageOptions).filter(([k]) => k.startsWith(prefix)));
}

/**
 * The job's checkpoint storage for `config.directory`; its options checked by its factory.
 *
 * @internal
 */
export async function createCheckpointStorage(config: CheckpointConfig, registry: PluginRegistry): Promise<CheckpointStorage> {
  const location = config.directory!;
  const factory = await factoryFor(config, location, registry);
  const options = optionsOf(factory, config);
  parseOptions(factory.options, options, { context: `checkpoint storage ${factory.identifier}` });
  return factory.create({ location, retained: config.retained, options });
}

/**
 * Opens a savepoint or retained checkpoint by its pointer, with the storage plugin of its scheme.
 *
 * @internal
 */
export async function openCheckpoint(pointer: string, config: CheckpointConfig, registry: PluginRegistry): Promise<OpenedCheckpoint> {
  const factory = await registry.findByScheme(schemeOf(pointer));
  return factory.open(pointer, optionsOf(factory, config));
}
