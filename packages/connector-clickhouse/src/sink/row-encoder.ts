// Turns a stream element into the JSONEachRow line(s) the update strategy writes, and picks its shard:
//   append                +I as is; any other kind is refused (the query has updates: choose a strategy)
//   replacing             +I/+U with a version (and is_deleted = 0), -D as a row with is_deleted = 1; a -U is held
//                         back and dropped when the +U of the same key follows it (the usual pair), else written as
//                         a delete (a filter after an aggregation, e.g. HAVING, passes a -U whose +U it dropped)
//   collapsing            +I/+U with sign 1, -U/-D with sign -1 (the before-image cancels the stored row)
//   versioned-collapsing  as collapsing, with version = a 64-bit hash of the row's values, so that a cancel row has
//                         the version of the state row it cancels whatever the order they arrive in
// The version of `replacing` is added when the line is finished (`finishLine`): deterministic per checkpoint with
// exactly-once, increasing with time with at-least-once. Values are checked by the column encoders; a bad value
// throws a `ClickHouseValueError` naming the table, the row and the column.
import { RowKind, rowKindShortString } from '@runnel/api/table';
import { ClickHouseValueError } from '../client/clickhouse-errors.js';
import { columnEncoder, type ColumnEncoder } from '../types/column-encoder.js';
import type { ClickHouseSinkSettings } from './clickhouse-sink-options.js';
import type { TableMetadata } from './table-metadata.js';

/**
 * A row ready to be written: its shard and its line without the version (`{` and `}` included unless
 * `needsVersion`, then the body only: `"a":1,"b":2`).
 *
 * @internal
 */
export interface EncodedRow {
  shard: number;
  body: string;
}

/** FNV-1a over a string's UTF-16 code units. */
function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The row encoder of a sink with its table's metadata.
 *
 * @internal
 */
export class RowEncoder<T> {
  /** Whether lines need a version when they are finished (`replacing`). */
  readonly needsVersion: boolean;
  private readonly encoders: ColumnEncoder[];
  /** `,"column":` of each column, and without the comma for the first one written. */
  private readonly prefixes: string[];
  private readonly firstPrefixes: string[];
  private readonly parts: string[] = [];
  /** `encodeInto`'s line templates: `{`, then prefix and value per column, then `}` (or the sign). */
  private readonly appendLine: string[];
  private readonly signLine: string[];
  private readonly getters: readonly ((element: T) => unknown)[] | undefined;
  private readonly nullable: boolean[];
  private readonly shardKey: number[];
  private readonly versionPrefix: string;
  private readonly signPrefix: string;
  private readonly isDeletedPrefix: string | undefined;
  private roundRobin = 0;
  /** `replacing`: the -U held back until the next row tells whether its +U follows. */
  private held: { row: EncodedRow; key: string } | undefined;
  private readonly keyIndexes: number[];
  /** Distinct keys of rows without key columns (they never match). */
  private unkeyed = 0;
  /** Rows seen, for messages. */
  private seen = 0;

  constructor(
    private readonly s: ClickHouseSinkSettings<T>,
    meta: TableMetadata,
    private readonly shards: number,
  ) {
    const cols = s.rows.columns;
    this.encoders = cols.map((c) => {
      const t = meta.columns.get(c)!;
      try {
        return columnEncoder(t, false, meta.serverTimeZone);
      } catch (e) {
        throw new ClickHouseValueError(`${s.where}: column '${c}': ${(e as Error).message}`, c);
      }
    });
    this.nullable = cols.map((c) => meta.columns.get(c)!.name === 'Nullable');
    this.prefixes = cols.map((c) => `,${JSON.stringify(c)}:`);
    this.firstPrefixes = cols.map((c) => `${JSON.stringify(c)}:`);
    const template = ['{', ...cols.flatMap((_, i) => [i === 0 ? this.firstPrefixes[i]! : this.prefixes[i]!, ''])];
    this.appendLine = [...template, '}'];
    this.signLine = [...template, `,${JSON.stringify(s.signColumn)}:`, '1}'];
    this.getters = s.rows.getters;
    this.shardKey = s.shardingKey.map((k) => cols.indexOf(k));
    this.keyIndexes = s.keyColumns.map((k) => cols.indexOf(k));
    this.needsVersion = s.updateStrategy === 'replacing';
    this.versionPrefix = `{${JSON.stringify(s.versionColumn)}:`;
    this.signPrefix = `,${JSON.stringify(s.signColumn)}:`;
    this.isDeletedPrefix = meta.hasIsDeleted ? `,${JSON.stringify(s.isDeletedColumn)}:` : undefined;
  }

  /**
   * Encodes an element into `out` (none, one, or with `replacing` a held-back -U and the row).
   *
   * @throws ClickHouseValueError for a value the column cannot hold, or a kind the strategy cannot write
   */
  encode(element: T, out: EncodedRow[]): void {
    if (this.s.updateStrategy !== 'replacing') {
      out.push(this.encodeOne(element, this.kindOf(element)));
      return;
    }
    const kind = this.kindOf(element);
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      // The +U of the held -U's key replaces it: the -U is dropped. Anything else: the -U was a delete.
      if (!(kind === RowKind.UPDATE_AFTER && this.keyOf(element) === held.key)) out.push(held.row);
    }
    if (kind === RowKind.UPDATE_BEFORE) {
      this.held = { row: this.encodeOne(element, RowKind.DELETE), key: this.keyOf(element) };
      return;
    }
    out.push(this.encodeOne(element, kind));
  }

  /** A held-back -U, written as a delete (at a flush: its +U did not follow). */
  releaseHeld(out: EncodedRow[]): void {
    if (this.held !== undefined) out.push(this.held.row);
    this.held = undefined;
  }

  private kindOf(element: T): RowKind {
    return this.s.rows.kind === undefined ? RowKind.INSERT : this.s.rows.kind(element);
  }

  /** The key of an element (its key columns' values); without key columns, no two rows share one. */
  private keyOf(element: T): string {
    if (this.keyIndexes.length === 0) return `#${++this.unkeyed}`;
    let k = '';
    for (const i of this.keyIndexes) k += `${this.encoders[i]!(this.s.rows.value(element, i))}\u0000`;
    return k;
  }

  /** Whether `encodeInto` can take the element stream (no held-back rows, no versions to add later). */
  get direct(): boolean {
    return this.s.updateStrategy === 'append' || this.s.updateStrategy === 'collapsing';
  }

  /**
   * The fast path of `append` and `collapsing`: the row's line straight into the batch of its shard (no intermediate
   * row object); returns the shard. On a bad value nothing is added.
   *
   * @throws ClickHouseValueError as {@link RowEncoder.encode}
   */
  encodeInto(element: T, batchOf: (shard: number) => string[]): number {
    const kind = this.kindOf(element);
    const s = this.s;
    const n = ++this.seen;
    if (s.updateStrategy === 'append' && kind !== RowKind.INSERT) this.refuseKind(element, kind, n);
    const shard = this.shardOf(element);
    const rows = s.rows;
    const encoders = this.encoders;
    const getters = this.getters;
    // The line's pieces in a fixed array, joined once: a flat string, where `+=` would build a rope per row.
    const line = s.updateStrategy === 'append' ? this.appendLine : this.signLine;
    let i = 0;
    try {
      if (getters !== undefined) for (i = 0; i < encoders.length; i++) line[2 + 2 * i] = encoders[i]!(getters[i]!(element));
      else for (i = 0; i < encoders.length; i++) line[2 + 2 * i] = encoders[i]!(rows.value(element, i));
    } catch (e) {
      const column = rows.columns[i]!;
      throw new ClickHouseValueError(`${s.where}: row ${n} (${this.describe(element, kind)}): column '${column}': ${(e as Error).message}`, column);
    }
    if (line === this.signLine) line[line.length - 1] = kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER ? '1}' : '-1}';
    batchOf(shard).push(line.join(''));
    return shard;
  }

  private refuseKind(element: T, kind: RowKind, n: number): never {
    throw new ClickHouseValueError(
      `${this.s.where}: row ${n} (${this.describe(element, kind)}) is an ${rowKindShortString(kind)} change; 'sink.update-strategy' = 'append' writes inserts only (choose 'replacing' or 'collapsing')`,
      '',
    );
  }

  private shardOf(element: T): number {
    if (this.shards <= 1) return 0;
    if (this.shardKey.length === 0) return this.roundRobin++ % this.shards;
    let h = 0x811c9dc5;
    for (const i of this.shardKey) h = fnv1a(this.encoders[i]!(this.s.rows.value(element, i)), h);
    return h % this.shards;
  }

  private encodeOne(element: T, kind: RowKind): EncodedRow {
    const s = this.s;
    const rows = s.rows;
    const n = ++this.seen;
    const strategy = s.updateStrategy;
    if (strategy === 'append' && kind !== RowKind.INSERT) this.refuseKind(element, kind, n);
    const deleting = kind === RowKind.DELETE;
    // The line's pieces, joined once: a flat string, where `+=` would build a rope per row for the GC to chase.
    const parts = this.parts;
    parts.length = 0;
    const braces = strategy === 'append' || strategy === 'collapsing';
    if (braces) parts.push('{');
    let first = true;
    const encoders = this.encoders;
    for (let i = 0; i < encoders.length; i++) {
      const v = rows.value(element, i);
      // A delete of `replacing` needs the key only: NULLs elsewhere are left to the column defaults.
      if (deleting && strategy === 'replacing' && (v === null || v === undefined) && !this.nullable[i]) continue;
      let text: string;
      try {
        text = encoders[i]!(v);
      } catch (e) {
        const column = rows.columns[i]!;
        throw new ClickHouseValueError(`${s.where}: row ${n} (${this.describe(element, kind)}): column '${column}': ${(e as Error).message}`, column);
      }
      parts.push(first ? this.firstPrefixes[i]! : this.prefixes[i]!, text);
      first = false;
    }
    const shard = this.shardOf(element);
    if (strategy === 'append') {
      parts.push('}');
      return { shard, body: parts.join('') };
    }
    if (strategy === 'collapsing') {
      parts.push(this.signPrefix, kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER ? '1}' : '-1}');
      return { shard, body: parts.join('') };
    }
    let body = parts.join('');
    switch (strategy) {
      case 'replacing': {
        if (this.isDeletedPrefix !== undefined) body += `${this.isDeletedPrefix}${deleting ? 1 : 0}`;
        else if (deleting) {
          throw new ClickHouseValueError(
            `${s.where}: row ${n} (${this.describe(element, kind)}) is a delete, and the table has no is-deleted column '${s.isDeletedColumn}' (sink.is-deleted-column) to mark it`,
            s.isDeletedColumn,
          );
        }
        return { shard, body };
      }
      default: {
        const sign = kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER ? 1 : -1;
        const version = (BigInt(fnv1a(body)) << 32n) | BigInt(fnv1a(body, 0x9747b28c));
        return { shard, body: `${this.versionPrefix}${version},${body}${this.signPrefix}${sign}}` };
      }
    }
  }

  /** The finished line of a `replacing` row with its version. */
  finishLine(body: string, version: bigint | number): string {
    return `${this.versionPrefix}${version},${body}}`;
  }

  /** The number of rows encoded so far (for messages). */
  get rowsSeen(): number {
    return this.seen;
  }

  private describe(element: T, kind: RowKind): string {
    const rows = this.s.rows;
    if (rows.describe !== undefined) return rows.describe(element);
    const parts = rows.columns.map((c, i) => {
      const v = rows.value(element, i);
      return `${c}=${typeof v === 'bigint' ? `${v}` : typeof v === 'string' ? JSON.stringify(v) : v instanceof Date ? v.toISOString() : typeof v === 'object' && v !== null ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}` : x)) : String(v)}`;
    });
    return `${rowKindShortString(kind)} ${parts.join(', ')}`;
  }
}
