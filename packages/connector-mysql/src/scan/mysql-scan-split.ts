// A split of the scan source: the whole table, or one range of `scan.partition.column` (inclusive bounds, as
// Flink's `BETWEEN`), with its position: the primary key of the last row emitted (rows are read in key order, so a
// restored split resumes after it) and the count of rows emitted (tables without a primary key resume by skipping
// that many rows of the same query). Persisted as UTF-8 JSON (`runnel.mysql.scan-split`, version 1), as is the
// enumerator's state (`runnel.mysql.scan-enumerator`: the splits not yet assigned).
import type { VersionedSerializer } from '@runnel/api';
import type { MySqlBindValue } from '../types/mysql-types.js';
import { loadValues, storeValues } from '../jdbc/bind-values-json.js';

/**
 * A split of the scan source.
 *
 * @public
 */
export interface MySqlScanSplit {
  readonly splitId: string;
  /** The partition's inclusive bounds (integer texts), when partitioned. */
  readonly lower?: string;
  readonly upper?: string;
  /** The primary key of the last row emitted (driver values), when some were. */
  readonly after?: readonly MySqlBindValue[];
  /** Rows emitted so far. */
  readonly emitted: number;
}

/**
 * The enumerator's state: splits not yet assigned.
 *
 * @public
 */
export interface MySqlScanEnumeratorState {
  readonly pending: readonly MySqlScanSplit[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function toJson(s: MySqlScanSplit): unknown {
  return { splitId: s.splitId, lower: s.lower, upper: s.upper, after: s.after === undefined ? undefined : storeValues(s.after), emitted: s.emitted };
}

function fromJson(v: unknown, id: string): MySqlScanSplit {
  const o = v as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || typeof o['splitId'] !== 'string' || typeof o['emitted'] !== 'number') {
    throw new Error(`${id}: invalid payload: not a scan split`);
  }
  const text = (k: string): string | undefined => {
    const x = o[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'string' || !/^-?\d+$/.test(x)) throw new Error(`${id}: invalid payload: ${k} is not an integer text`);
    return x;
  };
  return {
    splitId: o['splitId'],
    lower: text('lower'),
    upper: text('upper'),
    after: o['after'] === undefined || o['after'] === null ? undefined : loadValues(o['after'], 'after'),
    emitted: o['emitted'],
  };
}

function checkVersion(id: string, version: number): void {
  if (version !== 1) throw new RangeError(`${id}: cannot read version ${version} (this serializer reads version 1)`);
}

/**
 * The serializer of {@link MySqlScanSplit}s.
 *
 * @public
 */
export const mysqlScanSplitSerializer: VersionedSerializer<MySqlScanSplit> = Object.freeze({
  id: 'runnel.mysql.scan-split',
  version: 1,
  serialize: (s: MySqlScanSplit): Uint8Array => encoder.encode(JSON.stringify(toJson(s))),
  deserialize(bytes: Uint8Array, version: number): MySqlScanSplit {
    checkVersion('runnel.mysql.scan-split', version);
    return fromJson(JSON.parse(decoder.decode(bytes)), 'runnel.mysql.scan-split');
  },
});

/**
 * The serializer of {@link MySqlScanEnumeratorState}.
 *
 * @public
 */
export const mysqlScanEnumeratorStateSerializer: VersionedSerializer<MySqlScanEnumeratorState> = Object.freeze({
  id: 'runnel.mysql.scan-enumerator',
  version: 1,
  serialize: (s: MySqlScanEnumeratorState): Uint8Array => encoder.encode(JSON.stringify({ pending: s.pending.map(toJson) })),
  deserialize(bytes: Uint8Array, version: number): MySqlScanEnumeratorState {
    checkVersion('runnel.mysql.scan-enumerator', version);
    const v = JSON.parse(decoder.decode(bytes)) as { pending?: unknown };
    if (!Array.isArray(v.pending)) throw new Error('runnel.mysql.scan-enumerator: invalid payload: pending is not a list');
    return { pending: v.pending.map((s) => fromJson(s, 'runnel.mysql.scan-enumerator')) };
  },
});

/**
 * The splits of a scan: one for the whole table, or `num` ranges covering `lower..upper` (inclusive) in equal
 * strides (the last one shorter), as Flink's numeric partitioning.
 *
 * @public
 */
export function planScanSplits(partition?: { readonly num: number; readonly lower: bigint; readonly upper: bigint }): MySqlScanSplit[] {
  if (partition === undefined) return [{ splitId: 'all', emitted: 0 }];
  const { lower, upper } = partition;
  if (upper < lower) return [];
  const span = upper - lower + 1n;
  const num = BigInt(partition.num) > span ? span : BigInt(partition.num);
  const stride = (span + num - 1n) / num;
  const out: MySqlScanSplit[] = [];
  for (let lo = lower; lo <= upper; lo += stride) {
    const hi = lo + stride - 1n > upper ? upper : lo + stride - 1n;
    out.push({ splitId: `range-${lo}-${hi}`, lower: String(lo), upper: String(hi), emitted: 0 });
  }
  return out;
}
