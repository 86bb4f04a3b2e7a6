// The `clickhouse` connector over an in-process chdb session, installed as a plugin package on disk so that a SQL
// session finds `'connector' = 'clickhouse'` through it (as `seeds-metric.ts` installs the real package). The chdb
// session path comes from RUNNEL_CHDB_TEST_PATH; one session per path is shared through globalThis, so that the
// test and the plugin's module instance (imported by the plugin registry) use the same session.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorFactory } from '@runnel/api/connector';
import { createClickHouseConnectorFactory } from '../../src/table/clickhouse-table-factory.js';
import type { ClickHouseNodeFactory } from '../../src/client/clickhouse-node.js';
import { chdbNodeFactory } from '../support/chdb.js';

type Sessions = Map<string, ReturnType<typeof chdbNodeFactory>>;
const KEY = Symbol.for('runnel.test.chdb-sessions');

/** The shared chdb session at `path`. */
export function chdbSession(path: string): ReturnType<typeof chdbNodeFactory> {
  const g = globalThis as unknown as Record<symbol, Sessions | undefined>;
  const sessions = (g[KEY] ??= new Map());
  let s = sessions.get(path);
  if (s === undefined) {
    s = chdbNodeFactory(path);
    sessions.set(path, s);
  }
  return s;
}

const lazyFactory: ClickHouseNodeFactory = (config) => chdbSession(process.env['RUNNEL_CHDB_TEST_PATH']!).factory(config);

/** The `clickhouse` connector factory over chdb. */
export const chdbClickHouseConnectorFactory: ConnectorFactory = createClickHouseConnectorFactory({ nodeFactory: lazyFactory });

/** A plugin search path entry whose `node_modules` holds a package exporting the chdb `clickhouse` connector. */
export function chdbPluginPath(parent = tmpdir()): string {
  const root = mkdtempSync(join(parent, 'runnel-chdb-plugin-'));
  const pkg = join(root, 'chdb-clickhouse-plugin');
  mkdirSync(pkg);
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'chdb-clickhouse-plugin',
      version: '0.0.0',
      type: 'module',
      exports: { '.': './index.js' },
      runnel: { connectors: { clickhouse: '.#clickhouseConnectorFactory' } },
    }),
  );
  const self = new URL('./chdb-plugin.ts', import.meta.url).href;
  writeFileSync(join(pkg, 'index.js'), `export { chdbClickHouseConnectorFactory as clickhouseConnectorFactory } from ${JSON.stringify(self)};\n`);
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(pkg, join(root, 'node_modules', 'chdb-clickhouse-plugin'), 'dir');
  return join(root, 'script.sql');
}
