// What the ClickHouse sink of the DataStream API is configured with, and the settings it runs on (every option with
// its default applied, checked once). The stream's elements reach ClickHouse through a `RowAdapter`: the target
// columns by name, how to read each column's value from an element, and the element's changelog kind (the SQL sink
// reads them from rows; `ClickHouseSinkBuilder` builds one from typed column getters).
import { ConfigurationError } from '@runnel/api/config';
import type { RowKind } from '@runnel/api/table';
import { parseClickHouseUrls } from '../client/clickhouse-cluster.js';
import type { ClickHouseNodeFactory } from '../client/clickhouse-node.js';

/**
 * What updates and deletes become (`sink.update-strategy`).
 *
 * @public
 */
export type UpdateStrategy = 'append' | 'replacing' | 'collapsing' | 'versioned-collapsing';

/**
 * `sink.delivery-guarantee`.
 *
 * @public
 */
export type ClickHouseDeliveryGuarantee = 'at-least-once' | 'exactly-once';

/**
 * How the sink reads stream elements: the target columns, each column's value and the element's kind.
 *
 * @public
 */
export interface RowAdapter<T> {
  /** The target columns, by name, in the order `value` indexes them. */
  readonly columns: readonly string[];
  /** The value of column `index` of an element (a JavaScript value, see the README's "Values"). */
  value(element: T, index: number): unknown;
  /** Optional: one getter per column, the same as `value` (called directly on the hot path). */
  readonly getters?: readonly ((element: T) => unknown)[];
  /** The element's changelog kind; absent: every element is an insert. */
  kind?(element: T): RowKind;
  /** How to show an element in an error message (default: its column values). */
  describe?(element: T): string;
}

/**
 * Options of {@link ClickHouseSink}.
 *
 * @public
 */
export interface ClickHouseSinkOptions<T> {
  /** Node URLs: one, a list of replicas, or shards of replicas (or the `url` option's text: `a,b;c,d`). */
  readonly url: string | readonly string[] | readonly (readonly string[])[];
  readonly database?: string;
  readonly table: string;
  readonly username?: string;
  readonly password?: string;
  readonly rows: RowAdapter<T>;
  /** Rows per INSERT; default 10 000. */
  readonly batchSize?: number;
  /** Longest wait of a row in a batch that is not full, ms; default 1 000 (0: none). */
  readonly flushIntervalMs?: number;
  /** Batches in flight per subtask before back-pressure; default 2. */
  readonly maxInFlightBatches?: number;
  /** Retries of a batch after a retriable failure; default 3. */
  readonly maxRetries?: number;
  /** Timeout of one request, ms; default 30 000. */
  readonly requestTimeoutMs?: number;
  /** Default `append`. */
  readonly updateStrategy?: UpdateStrategy;
  readonly versionColumn?: string;
  readonly signColumn?: string;
  readonly isDeletedColumn?: string;
  /** Default `at-least-once`. */
  readonly deliveryGuarantee?: ClickHouseDeliveryGuarantee;
  /** Columns whose hash picks the shard of a row (several shards). */
  readonly shardingKey?: readonly string[];
  /**
   * The key of the changes (the primary key): with `replacing`, a -U followed by the +U of the same key is dropped;
   * without it every -U is written as a delete (correct, more rows).
   */
  readonly keyColumns?: readonly string[];
  /** Bad values: `fail` (default) or `skip` with a warning. */
  readonly errorPolicy?: 'fail' | 'skip';
  /** Prefix of the insert deduplication tokens (exactly-once); default `<database>.<table>`. */
  readonly dedupTokenPrefix?: string;
  /** The connection to each node; default `@clickhouse/client` over HTTP. */
  readonly nodeFactory?: ClickHouseNodeFactory;
  /** Called with warnings (skipped rows, failovers); default `console.warn`. */
  readonly onWarning?: (message: string) => void;
}

/**
 * The sink's settings: options with defaults applied and checked.
 *
 * @internal
 */
export interface ClickHouseSinkSettings<T> {
  readonly where: string;
  readonly shards: readonly (readonly string[])[];
  readonly database: string;
  readonly table: string;
  readonly username: string;
  readonly password: string;
  readonly rows: RowAdapter<T>;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxInFlightBatches: number;
  readonly maxRetries: number;
  readonly requestTimeoutMs: number;
  readonly updateStrategy: UpdateStrategy;
  readonly versionColumn: string;
  readonly signColumn: string;
  readonly isDeletedColumn: string;
  readonly deliveryGuarantee: ClickHouseDeliveryGuarantee;
  readonly shardingKey: readonly string[];
  readonly keyColumns: readonly string[];
  readonly errorPolicy: 'fail' | 'skip';
  readonly dedupTokenPrefix: string;
  readonly nodeFactory: ClickHouseNodeFactory | undefined;
  readonly onWarning: (message: string) => void;
}

function positiveInt(where: string, name: string, v: number | undefined, dflt: number, min: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min) throw new ConfigurationError(`${where}: ${name} must be an integer >= ${min}, got ${String(v)}`, name);
  return x;
}

/**
 * Applies defaults and checks the options.
 *
 * @throws ConfigurationError naming the option
 * @internal
 */
export function clickhouseSinkSettings<T>(o: ClickHouseSinkOptions<T>): ClickHouseSinkSettings<T> {
  const database = o.database ?? 'default';
  if (typeof o.table !== 'string' || o.table === '') throw new ConfigurationError(`clickhouse sink: the table is required`, 'table-name');
  const where = `clickhouse table '${database}.${o.table}'`;
  const text = typeof o.url === 'string' ? o.url : o.url.map((s) => (typeof s === 'string' ? s : s.join(','))).join(typeof o.url[0] === 'string' ? ',' : ';');
  const shards = parseClickHouseUrls(text, where);
  const columns = o.rows.columns;
  if (columns.length === 0) throw new ConfigurationError(`${where}: the sink writes no column`);
  const shardingKey = o.shardingKey ?? [];
  for (const k of shardingKey) {
    if (!columns.includes(k)) throw new ConfigurationError(`${where}: sharding key column '${k}' is not written (columns: ${columns.join(', ')})`, 'sink.sharding.key');
  }
  const keyColumns = o.keyColumns ?? [];
  for (const k of keyColumns) {
    if (!columns.includes(k)) throw new ConfigurationError(`${where}: key column '${k}' is not written (columns: ${columns.join(', ')})`);
  }
  const updateStrategy = o.updateStrategy ?? 'append';
  if (!['append', 'replacing', 'collapsing', 'versioned-collapsing'].includes(updateStrategy)) {
    throw new ConfigurationError(`${where}: unknown update strategy '${updateStrategy}'`, 'sink.update-strategy');
  }
  const versionColumn = o.versionColumn ?? '_version';
  const signColumn = o.signColumn ?? '_sign';
  const isDeletedColumn = o.isDeletedColumn ?? '_is_deleted';
  for (const [name, c] of [['sink.version-column', versionColumn], ['sink.sign-column', signColumn], ['sink.is-deleted-column', isDeletedColumn]] as const) {
    if (columns.includes(c) && ((name === 'sink.version-column' && updateStrategy !== 'append' && updateStrategy !== 'collapsing') || (name === 'sink.sign-column' && updateStrategy.includes('collapsing')))) {
      throw new ConfigurationError(`${where}: column '${c}' is filled by the sink (${name}); the query must not write it`, name);
    }
  }
  return {
    where,
    shards,
    database,
    table: o.table,
    username: o.username ?? 'default',
    password: o.password ?? '',
    rows: o.rows,
    batchSize: positiveInt(where, 'sink.batch-size', o.batchSize, 10_000, 1),
    flushIntervalMs: positiveInt(where, 'sink.flush-interval', o.flushIntervalMs, 1_000, 0),
    maxInFlightBatches: positiveInt(where, 'sink.max-in-flight-batches', o.maxInFlightBatches, 2, 1),
    maxRetries: positiveInt(where, 'sink.max-retries', o.maxRetries, 3, 0),
    requestTimeoutMs: positiveInt(where, 'sink.request-timeout', o.requestTimeoutMs, 30_000, 1),
    updateStrategy,
    versionColumn,
    signColumn,
    isDeletedColumn,
    deliveryGuarantee: o.deliveryGuarantee ?? 'at-least-once',
    shardingKey,
    keyColumns,
    errorPolicy: o.errorPolicy ?? 'fail',
    dedupTokenPrefix: o.dedupTokenPrefix ?? `${database}.${o.table}`,
    nodeFactory: o.nodeFactory,
    onWarning: o.onWarning ?? ((m) => console.warn(m)),
  };
}
