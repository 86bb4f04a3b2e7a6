// The `kafka` connector over the in-memory cluster, installed as a plugin the way a user installs one: a package in a
// `node_modules` folder whose `runnel` manifest lists the factory. SQL sessions given the folder in their plugin
// search path find it by `'connector' = 'kafka'` (and the formats around @runnel/sql), so the tests run SQL exactly
// as users write it. The factory's client finds the test's cluster by `properties.bootstrap.servers`. (A plugin
// package cannot import @runnel/runtime to `registerPlugin`, hence a package on disk.)
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorFactory } from '@runnel/api/connector';
import { createKafkaConnectorFactory } from '../../src/table/kafka-table-factory.js';
import { inMemoryKafkaClientFactory } from '../support/in-memory-kafka.js';

/** The `kafka` connector factory over in-memory clusters. */
export const inMemoryKafkaConnectorFactory: ConnectorFactory = createKafkaConnectorFactory({ clientFactory: inMemoryKafkaClientFactory });

let dir: string | undefined;

/**
 * A plugin search path entry (a script in a directory whose `node_modules` holds a plugin package exporting
 * {@link inMemoryKafkaConnectorFactory} as the `kafka` connector). The package itself lives outside `node_modules`
 * (linked in, as pnpm links workspace packages), so the test runner transforms its module like the tests' own.
 */
export function inMemoryKafkaPluginPath(): string {
  if (dir !== undefined) return join(dir, 'script.sql');
  const root = mkdtempSync(join(tmpdir(), 'runnel-kafka-plugin-'));
  const pkg = join(root, 'in-memory-kafka-plugin');
  mkdirSync(pkg);
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'in-memory-kafka-plugin',
      version: '0.0.0',
      type: 'module',
      exports: { '.': './index.js' },
      runnel: { connectors: { kafka: '.#kafkaConnectorFactory' } },
    }),
  );
  const self = new URL('./kafka-table-source-plugin.ts', import.meta.url).href;
  writeFileSync(join(pkg, 'index.js'), `export { inMemoryKafkaConnectorFactory as kafkaConnectorFactory } from ${JSON.stringify(self)};\n`);
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(pkg, join(root, 'node_modules', 'in-memory-kafka-plugin'), 'dir');
  dir = root;
  return join(root, 'script.sql');
}
