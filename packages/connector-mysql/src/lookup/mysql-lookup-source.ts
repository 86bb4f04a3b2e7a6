// The lookup source (DataStream API now; SQL's `FOR SYSTEM_TIME AS OF` joins later, through the factory's
// `createLookupSource`): `lookup(keys)` answers a batch of keys with the rows of each, in one statement per up to
// 200 keys — `SELECT <i>, cols FROM t WHERE k = ? UNION ALL ...`, each branch tagged with the key's index so that the
// answer is matched to its key by the server's own comparison (collations: 'A' finds 'a'), never by re-comparing
// values in JavaScript. Keys are deduplicated, the PARTIAL cache answers what it holds, NULL keys match nothing (SQL's
// equality). Retriable failures reconnect and retry up to `maxRetries` times. Rows are Runnel rows (+I) with the
// columns' values; the key is an array of the key columns' Runnel values.
import { row, RowKind, type LogicalType, type Row } from '@runnel/api';
import type { LookupSource } from '@runnel/api/connector';
import { ConfigurationError } from '@runnel/api/config';
import type { Connection } from 'mysql2/promise';
import { closeQuietly, openConnection, withRetries, type MySqlConnectionSettings } from '../jdbc/mysql-connection.js';
import { toMySqlError } from '../jdbc/mysql-errors.js';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import { columnsByName, readTableMetadata } from '../jdbc/table-metadata.js';
import { mysqlToLogicalType, mysqlValueReader, mysqlValueWriter, type MySqlBindValue } from '../types/mysql-types.js';
import { PartialCache, type PartialCacheSettings } from './partial-cache.js';

/**
 * The settings of a {@link MySqlLookupSource}.
 *
 * @public
 */
export interface MySqlLookupSettings {
  readonly connection: MySqlConnectionSettings;
  readonly table: string;
  /** The key columns a lookup gives values for, in order. */
  readonly keyColumns: readonly string[];
  /**
   * The columns of the rows returned, in order, with their Runnel types (a missing type: the MySQL column's default
   * mapping). Default: every column of the table.
   */
  readonly columns?: readonly { readonly name: string; readonly type?: LogicalType }[];
  /** `PARTIAL` cache settings; none: no cache (`lookup.cache` = NONE). */
  readonly cache?: PartialCacheSettings;
  /** Default 3. */
  readonly maxRetries?: number;
}

const BATCH = 200;

/**
 * Looks up rows of a MySQL table by key (see the module comment).
 *
 * @public
 */
export class MySqlLookupSource implements LookupSource<readonly unknown[], Row> {
  private connection: Connection | undefined;
  private readers: ((v: unknown) => unknown)[] = [];
  private keyWriters: ((v: unknown) => MySqlBindValue)[] = [];
  private selectList = '';
  private keyCondition = '';
  private readonly cache: PartialCache<Row> | undefined;
  private readonly where: string;
  /** The resolved columns (after `open`). */
  columns: readonly { readonly name: string; readonly type: LogicalType }[] = [];

  constructor(readonly settings: MySqlLookupSettings) {
    this.where = `mysql lookup '${settings.table}'`;
    quoteIdentifier(settings.table);
    if (settings.keyColumns.length === 0) throw new ConfigurationError(`${this.where}: no key columns`);
    settings.keyColumns.forEach(quoteIdentifier);
    settings.columns?.forEach((c) => quoteIdentifier(c.name));
    this.cache = settings.cache === undefined ? undefined : new PartialCache<Row>(settings.cache);
  }

  /** Cache hits and misses so far (0 without a cache). */
  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cache?.hits ?? 0, misses: this.cache?.misses ?? 0, size: this.cache?.size ?? 0 };
  }

  async open(): Promise<void> {
    if (this.connection !== undefined) return;
    const c = await openConnection(this.settings.connection, this.where);
    try {
      const meta = await readTableMetadata(c, this.settings.connection.database, this.settings.table);
      const wanted: readonly { readonly name: string; readonly type?: LogicalType }[] = this.settings.columns ?? meta.columns.map((m) => ({ name: m.name }));
      const cols = columnsByName(meta, wanted.map((w) => w.name));
      const keyCols = columnsByName(meta, this.settings.keyColumns);
      const tz = { timeZone: this.settings.connection.timeZone };
      this.columns = wanted.map((w, i) => ({ name: w.name, type: w.type ?? mysqlToLogicalType(cols[i]!.type, cols[i]!.nullable) }));
      this.readers = this.columns.map((col, i) => mysqlValueReader(col.name, col.type, cols[i]!.type, tz));
      this.keyWriters = keyCols.map((k) => mysqlValueWriter(k.name, mysqlToLogicalType(k.type, true), k.type, tz));
      this.selectList = this.columns.map((col) => quoteIdentifier(col.name)).join(', ');
      this.keyCondition = this.settings.keyColumns.map((k) => `${quoteIdentifier(k)} = ?`).join(' AND ');
      this.connection = c;
    } catch (e) {
      await closeQuietly(c);
      throw toMySqlError(e, `${this.where}: cannot open`, [this.settings.connection.password]);
    }
  }

  async lookup(keys: readonly (readonly unknown[])[]): Promise<ReadonlyArray<readonly Row[]>> {
    if (this.connection === undefined) await this.open();
    const out = new Array<readonly Row[]>(keys.length);
    const pending = new Map<string, { key: readonly unknown[]; at: number[] }>();
    keys.forEach((key, i) => {
      if (key.some((v) => v === null || v === undefined)) {
        out[i] = [];
        return;
      }
      const id = keyId(key);
      const cached = this.cache?.get(id);
      if (cached !== undefined) {
        out[i] = cached;
        return;
      }
      const p = pending.get(id);
      if (p !== undefined) p.at.push(i);
      else pending.set(id, { key, at: [i] });
    });
    const todo = [...pending.entries()];
    for (let start = 0; start < todo.length; start += BATCH) {
      const chunk = todo.slice(start, start + BATCH);
      const found = await this.query(chunk.map(([, p]) => p.key));
      chunk.forEach(([id, p], j) => {
        const rows = found[j]!;
        this.cache?.put(id, rows);
        for (const i of p.at) out[i] = rows;
      });
    }
    return out;
  }

  private async query(keys: readonly (readonly unknown[])[]): Promise<Row[][]> {
    const values: MySqlBindValue[] = [];
    const branches = keys.map((key, i) => {
      key.forEach((v, j) => values.push(this.keyWriters[j]!(v)));
      return `SELECT ${i} AS __runnel_lookup_index, ${this.selectList} FROM ${quoteIdentifier(this.settings.table)} WHERE ${this.keyCondition}`;
    });
    const sql = branches.length === 1 ? branches[0]! : branches.map((b) => `(${b})`).join(' UNION ALL ');
    try {
      const result = await withRetries(
        this.settings.maxRetries ?? 3,
        async () => {
          if (this.connection === undefined) await this.open();
          const [rows] = await this.connection!.query({ sql, values, rowsAsArray: true });
          return rows as unknown[][];
        },
        async () => {
          const c = this.connection;
          this.connection = undefined;
          await closeQuietly(c);
        },
      );
      const out: Row[][] = keys.map(() => []);
      const width = this.readers.length;
      for (const r of result) {
        const fields = new Array<unknown>(width);
        for (let i = 0; i < width; i++) fields[i] = this.readers[i]!(r[i + 1]);
        out[Number(r[0])]!.push(row(RowKind.INSERT, fields));
      }
      return out;
    } catch (e) {
      throw toMySqlError(e, `${this.where}: lookup of ${keys.length} keys failed`, [this.settings.connection.password]);
    }
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    this.cache?.clear();
    await closeQuietly(c);
  }
}

function keyId(key: readonly unknown[]): string {
  return key
    .map((v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}` : JSON.stringify(v)))
    .join('\u0001');
}
