// Entry point of `@runnel/api/plugin`: how packages declare their plugins (state backends, checkpoint storages,
// connectors, formats) so that the runtime finds them by identifier.
export { PLUGIN_MANIFEST_FIELD, apiVersionSatisfies } from './manifest.js';
export type { PluginEntry, PluginManifest } from './manifest.js';
