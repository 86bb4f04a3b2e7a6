// The `upsert-kafka` connector over the in-memory cluster, installed as a plugin package on disk (as
// `kafka-table-source-plugin.ts` installs `kafka`): SQL sessions given both paths find `'connector' = 'kafka'` and
// `'connector' = 'upsert-kafka'`, and the formats around @runnel/sql.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorFactory } from '@runnel/api/connector';
import { createUpsertKafkaConnectorFactory } from '../../src/table/upsert-kafka-table-factory.js';
import { inMemoryKafkaClientFactory } from '../support/in-memory-kafka.js';

/** The `upsert-kafka` connector factory over in-memory clusters. */
export const inMemoryUpsertKafkaConnectorFactory: ConnectorFactory = createUpsertKafkaConnectorFactory({ clientFactory: inMemoryKafkaClientFactory });

let dir: string | undefined;

/** A plugin search path entry whose `node_modules` holds a package exporting the in-memory `upsert-kafka` connector. */
export function inMemoryUpsertKafkaPluginPath(): string {
  if (dir !== undefined) return join(dir, 'script.sql');
  const root = mkdtempSync(join(tmpdir(), 'runnel-upsert-kafka-plugin-'));
  const pkg = join(root, 'in-memory-upsert-kafka-plugin');
  mkdirSync(pkg);
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'in-memory-upsert-kafka-plugin',
      version: '0.0.0',
      type: 'module',
      exports: { '.': './index.js' },
      runnel: { connectors: { 'upsert-kafka': '.#upsertKafkaConnectorFactory' } },
    }),
  );
  const self = new URL('./upsert-kafka-plugin.ts', import.meta.url).href;
  writeFileSync(join(pkg, 'index.js'), `export { inMemoryUpsertKafkaConnectorFactory as upsertKafkaConnectorFactory } from ${JSON.stringify(self)};\n`);
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(pkg, join(root, 'node_modules', 'in-memory-upsert-kafka-plugin'), 'dir');
  dir = root;
  return join(root, 'script.sql');
}
