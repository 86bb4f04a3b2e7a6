import { readFileSync } from 'node:fs';
import { PLUGIN_MANIFEST_FIELD, type PluginManifest } from '@runnel/api/plugin';
import { describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';

describe('the runnel manifest', () => {
  it("lists each format under its identifier, pointing at the entry point's export", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const manifest = pkg[PLUGIN_MANIFEST_FIELD] as PluginManifest;
    const formats = Object.entries(manifest.formats ?? {});
    expect(formats.map(([id]) => id)).toEqual(['json', 'csv', 'raw', 'debezium-json', 'canal-json', 'maxwell-json']);
    for (const [id, plugin] of formats) {
      expect(typeof plugin).toBe('string');
      const [module, name] = (plugin as string).split('#');
      // The runtime resolves the module as a subpath of the package's exports: `.` is the entry point.
      expect(module).toBe('.');
      const factory = (entry as Record<string, unknown>)[name!] as { identifier: string; kind: string };
      expect(factory.identifier).toBe(id);
      expect(factory.kind).toBe('format');
    }
  });
});
