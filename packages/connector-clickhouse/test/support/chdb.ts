// chdb (a current ClickHouse, in-process) for the tests that check behaviour on a new server next to 18.16. chdb is a
// ~550 MB install, too heavy for every CI run: it is not a devDependency. The tests load it from a cache directory
// (`RUNNEL_CHDB_DIR`, default `~/.cache/runnel/chdb-3.4.0`); under `RUNNEL_TEST_FULL=1` a missing install is made
// there with npm (`chdb@3.4.0`, pinned), otherwise the chdb tests are skipped with a note.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { ClientClickHouseNode, type ClickHouseNode, type ClickHouseNodeFactory } from '../../src/client/clickhouse-node.js';

export const CHDB_VERSION = '3.4.0';
const DIR = process.env['RUNNEL_CHDB_DIR'] ?? join(homedir(), '.cache', 'runnel', `chdb-${CHDB_VERSION}`);

type CreateConnection = (options: { path: string }) => unknown;

let loaded: CreateConnection | undefined;

/** chdb's `createChdbConnection`, installing chdb first under RUNNEL_TEST_FULL=1; undefined when unavailable. */
export function loadChdb(): CreateConnection | undefined {
  if (loaded !== undefined) return loaded;
  const entry = join(DIR, 'node_modules', 'chdb', 'package.json');
  if (!existsSync(entry) && process.env['RUNNEL_TEST_FULL'] === '1') {
    mkdirSync(DIR, { recursive: true });
    execFileSync('npm', ['install', '--prefix', DIR, '--no-save', '--no-audit', '--no-fund', `chdb@${CHDB_VERSION}`], { stdio: 'inherit', timeout: 600_000 });
  }
  if (!existsSync(entry)) return undefined;
  const require = createRequire(entry);
  loaded = (require('chdb/connection') as { createChdbConnection: CreateConnection }).createChdbConnection;
  return loaded;
}

/** Why the chdb tests are skipped, for the log. */
export const CHDB_SKIP_NOTE = `chdb ${CHDB_VERSION} is not installed in ${DIR}: run with RUNNEL_TEST_FULL=1 to install it there (or set RUNNEL_CHDB_DIR)`;

/**
 * A node factory over one in-process chdb session at `path` (shared by every node the sink opens: chdb holds one
 * session per path).
 */
export function chdbNodeFactory(path: string): { factory: ClickHouseNodeFactory; node: ClickHouseNode; close(): Promise<void> } {
  const createChdbConnection = loadChdb();
  if (createChdbConnection === undefined) throw new Error(CHDB_SKIP_NOTE);
  const client = createClient({ connection: createChdbConnection({ path }) } as Parameters<typeof createClient>[0]);
  const inner = new ClientClickHouseNode(client, `chdb:${path}`);
  const node: ClickHouseNode = {
    address: inner.address,
    command: (s, settings) => inner.command(s, settings),
    query: (s) => inner.query(s),
    insert: (stmt, body, settings) => inner.insert(stmt, body, settings),
    // The sink closes its nodes; the session stays open for the test.
    close: async () => undefined,
  };
  return { factory: () => node, node, close: () => inner.close() };
}
