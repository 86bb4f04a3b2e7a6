// Shared helpers of the aggregate tests: resolving by name, running accumulate/retract/merge sequences, a seeded
// random source, value generators per SQL type, a retraction oracle (the multiset left after removing earliest
// occurrences), and DuckDB as the reference engine (queries over VALUES lists; results read back as text where
// exactness matters).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import type { ResolvedAggregate } from '../../src/aggregates/aggregate-definition.js';
import { lookupAggregateFunction } from '../../src/aggregates/registry.js';

/** Frequently used types. */
export const T = {
  tinyint: { root: 'TINYINT', nullable: true },
  smallint: { root: 'SMALLINT', nullable: true },
  int: { root: 'INTEGER', nullable: true },
  bigint: { root: 'BIGINT', nullable: true },
  float: { root: 'FLOAT', nullable: true },
  double: { root: 'DOUBLE', nullable: true },
  boolean: { root: 'BOOLEAN', nullable: true },
  string: { root: 'VARCHAR', nullable: true, precision: 2147483647 },
  bytes: { root: 'VARBINARY', nullable: true, precision: 2147483647 },
  date: { root: 'DATE', nullable: true },
  timestamp: { root: 'TIMESTAMP', nullable: true, precision: 3 },
  decimal: (precision: number, scale: number): LogicalType => ({ root: 'DECIMAL', nullable: true, precision, scale }),
} satisfies Record<string, LogicalType | ((p: number, s: number) => LogicalType)>;

/** Resolves a built-in aggregate by name. */
export function resolve(name: string, argTypes: readonly LogicalType[], literals: readonly unknown[] = []): ResolvedAggregate {
  const def = lookupAggregateFunction(name);
  if (def === undefined) throw new Error(`no aggregate ${name}`);
  return def.resolve(argTypes, literals);
}

/** One step of a changelog: +1 accumulate, -1 retract. */
export type Op = readonly [sign: 1 | -1, args: readonly unknown[]];

/** Runs operations on a fresh accumulator and returns the accumulator. */
export function apply(agg: ResolvedAggregate, ops: readonly Op[], acc: unknown = agg.createAccumulator()): unknown {
  for (const [sign, args] of ops) {
    if (sign === 1) acc = agg.accumulate(acc, args);
    else acc = agg.retract!(acc, args);
  }
  return acc;
}

/** The result of accumulating single-argument values. */
export function aggregate(agg: ResolvedAggregate, values: readonly unknown[]): unknown {
  return agg.getValue(apply(agg, values.map((v) => [1, [v]] as const)));
}

/**
 * The rows left after a changelog, in arrival order: a retraction removes the earliest live equal row (as the
 * retracting aggregates do). Rows compare by their canonical JSON form.
 */
export function remaining(ops: readonly Op[]): unknown[][] {
  const live: unknown[][] = [];
  for (const [sign, args] of ops) {
    if (sign === 1) live.push([...args]);
    else {
      const k = keyOf(args);
      const i = live.findIndex((r) => keyOf(r) === k);
      if (i < 0) throw new Error('oracle: retraction of a row that is not there');
      live.splice(i, 1);
    }
  }
  return live;
}

function keyOf(args: readonly unknown[]): string {
  return JSON.stringify(args, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes:${Array.from(v).join(',')}` : Object.is(v, -0) ? 0 : v,
  );
}

/**
 * A random changelog over a pool of rows: accumulations of random rows and retractions of random live rows (so the
 * changelog is consistent), ending with `live` rows or so.
 */
export function randomChangelog(rnd: Random, draw: () => unknown[], length: number): Op[] {
  const ops: Op[] = [];
  const live: unknown[][] = [];
  for (let i = 0; i < length; i++) {
    if (live.length > 0 && rnd.next() < 0.4) {
      const j = rnd.int(live.length);
      ops.push([-1, live[j]!]);
      live.splice(j, 1);
    } else {
      const row = draw();
      ops.push([1, row]);
      live.push(row);
    }
  }
  return ops;
}

/** A seeded pseudo-random source (mulberry32). */
export class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** In [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<V>(xs: readonly V[]): V {
    return xs[this.int(xs.length)]!;
  }
  /** A bigint in [lo, hi]. */
  bigBetween(lo: bigint, hi: bigint): bigint {
    const span = hi - lo + 1n;
    let r = 0n;
    for (let i = 0; i < 3; i++) r = (r << 32n) | BigInt(this.int(4294967296));
    return lo + (r % span);
  }
}

/** Random values of a type (with NULLs at the given rate); small pools give duplicates. */
export function generator(rnd: Random, t: LogicalType, nullRate = 0.1): () => unknown {
  const v = (): unknown => {
    switch (t.root) {
      case 'TINYINT':
        return rnd.between(-128, 127);
      case 'SMALLINT':
        return rnd.next() < 0.5 ? rnd.between(-5, 5) : rnd.between(-32768, 32767);
      case 'INTEGER':
        return rnd.next() < 0.5 ? rnd.between(-20, 20) : rnd.between(-2147483648, 2147483647);
      case 'BIGINT': {
        const r = rnd.next();
        if (r < 0.4) return BigInt(rnd.between(-20, 20));
        if (r < 0.7) return rnd.bigBetween(-(2n ** 63n), 2n ** 63n - 1n);
        // Near the ends of the range.
        return rnd.next() < 0.5 ? 2n ** 63n - 1n - BigInt(rnd.int(5)) : -(2n ** 63n) + BigInt(rnd.int(5));
      }
      case 'DECIMAL': {
        const limit = 10n ** BigInt(t.precision ?? 10) - 1n;
        return rnd.next() < 0.3 ? BigInt(rnd.between(-50, 50)) : rnd.bigBetween(-limit, limit);
      }
      case 'FLOAT':
        return Math.fround(rnd.between(-1000, 1000) / 8);
      case 'DOUBLE':
        return rnd.next() < 0.5 ? rnd.between(-30, 30) : (rnd.next() - 0.5) * 10 ** rnd.between(-3, 12);
      case 'BOOLEAN':
        return rnd.next() < 0.5;
      case 'CHAR':
      case 'VARCHAR': {
        // Characters that JS's `<` orders unlike code points: U+E000–U+FFFF against surrogate pairs.
        const alphabet = ['a', 'b', 'z', 'é', '\u{e000}', '\u{ffff}', '\u{10000}', '\u{1f600}', ',', "'"];
        let s = '';
        const n = rnd.int(4);
        for (let i = 0; i < n; i++) s += rnd.pick(alphabet);
        return s;
      }
      case 'BINARY':
      case 'VARBINARY':
        return Uint8Array.from({ length: rnd.int(4) }, () => rnd.pick([0, 1, 127, 128, 255]));
      case 'DATE':
      case 'TIMESTAMP':
      case 'TIME':
        return rnd.between(-1000, 1000) * (t.root === 'DATE' ? 1 : 86400000);
      default:
        throw new Error(`no generator for ${t.root}`);
    }
  };
  return () => (rnd.next() < nullRate ? null : v());
}

/** Asserts that a value is plain data the state codec takes (no class instances, no functions). */
export function expectPlainData(v: unknown, path = 'acc'): void {
  if (v === null || v === undefined) return;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return;
  if (t !== 'object') throw new Error(`${path}: ${t} is not plain data`);
  if (Array.isArray(v)) {
    v.forEach((x, i) => expectPlainData(x, `${path}[${i}]`));
    return;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) {
      expectPlainData(k, `${path} key`);
      expectPlainData(x, `${path}.get(${String(k)})`);
    }
    return;
  }
  if (v instanceof Uint8Array && Object.getPrototypeOf(v) === Uint8Array.prototype) return;
  if (Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) expectPlainData(x, `${path}.${k}`);
    return;
  }
  throw new Error(`${path}: ${Object.prototype.toString.call(v)} is not plain data`);
}

/** A DECIMAL's text, e.g. 12345n at scale 2 → '123.45'. */
export function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** The unscaled value of a decimal text at a scale (the text must not have more fractional digits). */
export function parseDecimal(text: string, scale: number): bigint {
  const neg = text.startsWith('-');
  const [int, frac = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt(int! + frac.padEnd(scale, '0'));
  return neg ? -v : v;
}

/** A SQL literal of a value of a type, in DuckDB's dialect. */
export function duckLiteral(v: unknown, t: LogicalType): string {
  if (v === null || v === undefined) return 'NULL';
  switch (t.root) {
    case 'DECIMAL':
      return `${decimalText(v as bigint, t.scale ?? 0)}::DECIMAL(${t.precision ?? 10}, ${t.scale ?? 0})`;
    case 'DOUBLE':
    case 'FLOAT': {
      const d = v as number;
      if (Number.isNaN(d)) return `'nan'::DOUBLE`;
      if (!Number.isFinite(d)) return d > 0 ? `'inf'::DOUBLE` : `'-inf'::DOUBLE`;
      return `${String(d)}::DOUBLE`;
    }
    case 'CHAR':
    case 'VARCHAR':
      return `'${(v as string).replaceAll("'", "''")}'`;
    case 'BOOLEAN':
      return v ? 'TRUE' : 'FALSE';
    case 'BINARY':
    case 'VARBINARY':
      return `'${Array.from(v as Uint8Array, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'::BLOB`;
    default:
      return String(v);
  }
}

/** DuckDB's name of a type. */
export function duckType(t: LogicalType): string {
  switch (t.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'BIGINT':
    case 'DOUBLE':
    case 'FLOAT':
    case 'BOOLEAN':
    case 'DATE':
      return t.root === 'DATE' ? 'INTEGER' : t.root;
    case 'INTEGER':
      return 'INTEGER';
    case 'DECIMAL':
      return `DECIMAL(${t.precision ?? 10}, ${t.scale ?? 0})`;
    case 'CHAR':
    case 'VARCHAR':
      return 'VARCHAR';
    case 'BINARY':
    case 'VARBINARY':
      return 'BLOB';
    default:
      return 'BIGINT';
  }
}

/** A DuckDB connection for a test file. */
export class Duck {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
  ) {}

  static async open(): Promise<Duck> {
    const instance = await DuckDBInstance.create(':memory:');
    return new Duck(instance, await instance.connect());
  }

  /** The first row of a query. */
  async row(sql: string): Promise<unknown[]> {
    const reader = await this.con.runAndReadAll(sql);
    return reader.getRows()[0]!;
  }

  /**
   * The first row of `SELECT <exprs> FROM t`, where t has the columns `i` (arrival position, from 0) and the given
   * columns of rows.
   */
  async over(exprs: string, columns: readonly (readonly [name: string, type: LogicalType])[], rows: readonly (readonly unknown[])[]): Promise<unknown[]> {
    const cols = columns.map(([name, type], j) => `CAST(c${j} AS ${duckType(type)}) AS ${name}`).join(', ');
    const source =
      rows.length === 0
        ? `(SELECT 0 AS i, ${columns.map(([name, type]) => `CAST(NULL AS ${duckType(type)}) AS ${name}`).join(', ')} WHERE false)`
        : `(SELECT i, ${cols} FROM (VALUES ${rows
            .map((r, i) => `(${i}, ${r.map((v, j) => duckLiteral(v, columns[j]![1])).join(', ')})`)
            .join(', ')}) v(i, ${columns.map((_c, j) => `c${j}`).join(', ')}))`;
    return this.row(`SELECT ${exprs} FROM ${source} t`);
  }

  /** `over` for one column `x`. */
  async overValues(exprs: string, type: LogicalType, values: readonly unknown[]): Promise<unknown[]> {
    return this.over(exprs, [['x', type]], values.map((v) => [v]));
  }

  close(): void {
    this.con.closeSync();
    this.instance.closeSync();
  }
}

/** Expects a number to be within a relative (or, near 0, absolute) tolerance of another. */
export function expectClose(actual: unknown, expected: number, tolerance = 1e-9): void {
  expect(typeof actual).toBe('number');
  const a = actual as number;
  if (Number.isNaN(expected)) {
    expect(a).toBeNaN();
    return;
  }
  expect(Math.abs(a - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}
