// What the sink learns from the server before it writes: the target table's columns and types
// (`system.columns`), its engine (`system.tables`), and whether the server has insert deduplication tokens
// (`system.settings`, 22.2 and later). It checks them against the options: every written column exists and can be
// inserted, the strategy's columns exist with usable types, the engine fits the strategy, and exactly-once has a
// way to make a re-commit invisible.
import { ConfigurationError } from '@runnel/api/config';
import { quoteString } from '../client/sql-escape.js';
import type { ClickHouseCluster } from '../client/clickhouse-cluster.js';
import { parseClickHouseType, type ClickHouseType } from '../types/clickhouse-type.js';
import type { ClickHouseSinkSettings } from './clickhouse-sink-options.js';

/**
 * The target table as the server describes it.
 *
 * @internal
 */
export interface TableMetadata {
  readonly columns: ReadonlyMap<string, ClickHouseType>;
  readonly engine: string;
  readonly engineFull: string;
  readonly serverVersion: string;
  /** The server's time zone (of DateTime columns without one). */
  readonly serverTimeZone: string;
  /** The server accepts `insert_deduplication_token`. */
  readonly hasDedupToken: boolean;
  /** Whether the table has the is-deleted column (`replacing`). */
  readonly hasIsDeleted: boolean;
}

/**
 * Loads the metadata from the first shard (with failover) and checks it against the settings.
 *
 * @throws ConfigurationError when the table does not fit
 * @internal
 */
export async function loadTableMetadata(cluster: ClickHouseCluster, s: ClickHouseSinkSettings<unknown>): Promise<TableMetadata> {
  const where = s.where;
  const q = `database = ${quoteString(s.database)} AND table = ${quoteString(s.table)}`;
  const nq = `database = ${quoteString(s.database)} AND name = ${quoteString(s.table)}`;
  const [cols, tables, settings, version] = await cluster.run(0, `${where}: reading the table's metadata`, (node) =>
    Promise.all([
      node.query<{ name: string; type: string; default_kind: string }>(`SELECT name, type, default_kind FROM system.columns WHERE ${q}`),
      node.query<{ engine: string; engine_full: string }>(`SELECT engine, engine_full FROM system.tables WHERE ${nq}`),
      node.query<{ name: string }>(`SELECT name FROM system.settings WHERE name = 'insert_deduplication_token'`),
      node.query<{ v: string; tz: string }>(`SELECT version() AS v, timezone() AS tz`),
    ]),
  );
  if (tables.length === 0) throw new ConfigurationError(`${where}: the table does not exist on ${cluster.anyNode().address}`, 'table-name');
  const { engine, engine_full: engineFull } = tables[0]!;
  const columns = new Map<string, ClickHouseType>();
  const notInsertable = new Set<string>();
  for (const c of cols) {
    columns.set(c.name, parseClickHouseType(c.type));
    if (c.default_kind === 'MATERIALIZED' || c.default_kind === 'ALIAS' || c.default_kind === 'EPHEMERAL') notInsertable.add(c.name);
  }
  for (const c of s.rows.columns) {
    if (!columns.has(c)) throw new ConfigurationError(`${where}: the table has no column '${c}' (it has ${[...columns.keys()].join(', ')})`);
    if (notInsertable.has(c)) throw new ConfigurationError(`${where}: column '${c}' is MATERIALIZED or ALIAS and cannot be written`);
  }
  const need = (column: string, option: string, types: readonly string[]): void => {
    const t = columns.get(column);
    if (t === undefined) throw new ConfigurationError(`${where}: strategy '${s.updateStrategy}' needs column '${column}' (${option}); the table has ${[...columns.keys()].join(', ')}`, option);
    if (!types.includes(t.name)) throw new ConfigurationError(`${where}: column '${column}' (${option}) must be ${types.join(' or ')}, is ${t.text}`, option);
  };
  const base = engine.replace(/^Replicated/, '');
  const engineIs = (e: string): void => {
    // A Distributed table routes to its local tables, whose engine the sink cannot see here.
    if (base !== e && engine !== 'Distributed') throw new ConfigurationError(`${where}: strategy '${s.updateStrategy}' writes a ${e} table, the table is ${engine}`, 'sink.update-strategy');
  };
  const hasIsDeleted = columns.has(s.isDeletedColumn);
  switch (s.updateStrategy) {
    case 'replacing':
      engineIs('ReplacingMergeTree');
      need(s.versionColumn, 'sink.version-column', ['UInt64', 'UInt32', 'Int64']);
      if (hasIsDeleted) need(s.isDeletedColumn, 'sink.is-deleted-column', ['UInt8', 'Bool']);
      break;
    case 'collapsing':
      engineIs('CollapsingMergeTree');
      need(s.signColumn, 'sink.sign-column', ['Int8']);
      break;
    case 'versioned-collapsing':
      engineIs('VersionedCollapsingMergeTree');
      need(s.signColumn, 'sink.sign-column', ['Int8']);
      need(s.versionColumn, 'sink.version-column', ['UInt64']);
      break;
    default:
      break;
  }
  const hasDedupToken = settings.length > 0;
  if (s.deliveryGuarantee === 'exactly-once') {
    // A re-commit after a restore writes the same batches again; something must make that invisible.
    const blockDedup = engine.startsWith('Replicated') || (hasDedupToken && /non_replicated_deduplication_window\s*=\s*[1-9]/.test(engineFull));
    const idempotentByKey = base === 'ReplacingMergeTree';
    if (!blockDedup && !idempotentByKey && engine !== 'Distributed') {
      throw new ConfigurationError(
        `${where}: exactly-once needs a table that makes a re-committed batch invisible: a ReplacingMergeTree (the same rows ` +
          `with the same versions replace each other), a Replicated* table (block deduplication), or on a server with ` +
          `insert_deduplication_token (22.2+) a MergeTree with SETTINGS non_replicated_deduplication_window > 0; ` +
          `the table is ${engine} on ClickHouse ${version[0]?.v ?? '?'}`,
        'sink.delivery-guarantee',
      );
    }
  }
  return { columns, engine, engineFull, serverVersion: version[0]?.v ?? '', serverTimeZone: version[0]?.tz ?? 'UTC', hasDedupToken, hasIsDeleted };
}
