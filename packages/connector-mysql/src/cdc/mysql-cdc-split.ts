// The splits of the mysql-cdc source and their serializer. A snapshot split is one chunk of one table (a primary-key
// range); as its rows are emitted it records finished segments — key sub-ranges `[lo, hi)` each read from one
// consistent snapshot at a known binlog position (`high`) — so a chunk interrupted by a failure resumes after its last
// emitted key instead of from its start, and the binlog reader later knows, for every key, the position its snapshot
// row already reflects. The binlog split carries where to resume (a transaction's start and the row changes of that
// transaction already emitted), the captured tables, every table's finished segments, and the chunks of newly added
// tables still to snapshot. Serialized as JSON under id `runnel.mysql-cdc.split`, version 1, validated on read.
import type { SourceSplit, VersionedSerializer } from '@runnel/api';
import { validatePosition, type BinlogPosition } from './binlog-position.js';
import type { CapturedTable, KeyRange } from './captured-table.js';

/**
 * A key range of a chunk already emitted, read at binlog position `high`: binlog changes of its keys at or before
 * `high` are in the snapshot rows, later ones are emitted from the binlog.
 *
 * @public
 */
export interface SnapshotSegment {
  /** First key (decimal integer string), inclusive; null: unbounded. */
  readonly lo: string | null;
  /** Key after the last (exclusive); null: unbounded. */
  readonly hi: string | null;
  readonly high: BinlogPosition;
}

/**
 * One chunk of a table's snapshot.
 *
 * @public
 */
export interface MySqlSnapshotSplit extends SourceSplit {
  readonly kind: 'snapshot';
  /** `db.table`. */
  readonly table: string;
  /** The table's columns and keys at discovery. */
  readonly tableInfo: CapturedTable;
  readonly index: number;
  readonly range: KeyRange;
  /** Parts already emitted, in key order, from `range.start` on. */
  readonly segments: readonly SnapshotSegment[];
  /** Every row emitted; kept in the reader's state until the enumerator acknowledged it. */
  readonly finished: boolean;
}

/**
 * The binlog split: read by one reader once the snapshot chunks are finished.
 *
 * @public
 */
export interface MySqlBinlogSplit extends SourceSplit {
  readonly kind: 'binlog';
  /** Start of the transaction to resume at (an event-group boundary); absent with `gtidStart` only. */
  readonly position?: BinlogPosition;
  /** Row changes of that transaction already processed (emitted or filtered out). */
  readonly skipRows: number;
  /** Resume after this GTID position when `position` is unknown (startup by GTID). */
  readonly gtidStart?: string;
  /** Events before this epoch millisecond are skipped (`timestamp` startup). */
  readonly startTimestampMs?: number;
  readonly tables: readonly CapturedTable[];
  /** Finished snapshot segments by table id, in key order. */
  readonly segments: Readonly<Record<string, readonly SnapshotSegment[]>>;
  /** Chunks of newly added tables to snapshot (in this reader) before the binlog goes on. */
  readonly pendingChunks: readonly MySqlSnapshotSplit[];
}

/**
 * A split of the mysql-cdc source.
 *
 * @public
 */
export type MySqlCdcSplit = MySqlSnapshotSplit | MySqlBinlogSplit;

/**
 * The id of the binlog split.
 *
 * @public
 */
export const BINLOG_SPLIT_ID = 'binlog';

/** A new snapshot split. @internal */
export function snapshotSplit(tableInfo: CapturedTable, index: number, range: KeyRange): MySqlSnapshotSplit {
  const table = `${tableInfo.database}.${tableInfo.table}`;
  return { kind: 'snapshot', splitId: `${table}#${index}`, table, tableInfo, index, range, segments: [], finished: false };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const SPLIT_ID = 'runnel.mysql-cdc.split';

function fail(id: string, what: string): never {
  throw new Error(`${id}: invalid payload: ${what}`);
}

const keyOrNull = (v: unknown, id: string): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) fail(id, `key ${JSON.stringify(v)} is not an integer string`);
  return v;
};

function validateSegment(v: unknown, id: string): SnapshotSegment {
  const s = v as Partial<SnapshotSegment> | null;
  if (typeof s !== 'object' || s === null) fail(id, 'a segment is not an object');
  return { lo: keyOrNull(s.lo, id), hi: keyOrNull(s.hi, id), high: validatePosition(s.high, id) };
}

function validateTable(v: unknown, id: string): CapturedTable {
  const t = v as Partial<CapturedTable> | null;
  if (typeof t !== 'object' || t === null || typeof t.database !== 'string' || typeof t.table !== 'string' || !Array.isArray(t.columns) || !Array.isArray(t.primaryKey)) {
    fail(id, 'a table is not {database, table, columns, primaryKey}');
  }
  return t as CapturedTable;
}

/** Checks a decoded split (shared with the enumerator state). @internal */
export function validateSplit(value: unknown, id: string): MySqlCdcSplit {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) fail(id, 'a split is not an object');
  if (v['kind'] === 'snapshot') {
    const table = v['table'];
    const index = v['index'];
    const range = v['range'] as Partial<KeyRange> | null;
    if (typeof table !== 'string' || !Number.isSafeInteger(index) || typeof range !== 'object' || range === null) fail(id, 'a snapshot split needs table, index and range');
    if (!Array.isArray(v['segments'])) fail(id, 'segments must be an array');
    return {
      kind: 'snapshot',
      splitId: `${table}#${index as number}`,
      table,
      tableInfo: validateTable(v['tableInfo'], id),
      index: index as number,
      range: { start: keyOrNull(range.start, id), end: keyOrNull(range.end, id) },
      segments: (v['segments'] as unknown[]).map((s) => validateSegment(s, id)),
      finished: v['finished'] === true,
    };
  }
  if (v['kind'] === 'binlog') {
    const segs = v['segments'] as Record<string, unknown[]> | null;
    if (typeof segs !== 'object' || segs === null) fail(id, 'segments must be an object');
    const segments: Record<string, SnapshotSegment[]> = {};
    for (const [t, list] of Object.entries(segs)) {
      if (!Array.isArray(list)) fail(id, `segments of ${t} must be an array`);
      segments[t] = list.map((s) => validateSegment(s, id));
    }
    if (!Array.isArray(v['tables']) || !Array.isArray(v['pendingChunks'])) fail(id, 'tables and pendingChunks must be arrays');
    const skipRows = v['skipRows'];
    if (!Number.isSafeInteger(skipRows) || (skipRows as number) < 0) fail(id, 'skipRows must be a non-negative integer');
    const position = v['position'] === undefined || v['position'] === null ? undefined : validatePosition(v['position'], id);
    const gtidStart = typeof v['gtidStart'] === 'string' ? v['gtidStart'] : undefined;
    if (position === undefined && gtidStart === undefined) fail(id, 'a binlog split needs a position or a GTID start');
    return {
      kind: 'binlog',
      splitId: BINLOG_SPLIT_ID,
      ...(position !== undefined ? { position } : {}),
      skipRows: skipRows as number,
      ...(gtidStart !== undefined ? { gtidStart } : {}),
      ...(typeof v['startTimestampMs'] === 'number' ? { startTimestampMs: v['startTimestampMs'] } : {}),
      tables: (v['tables'] as unknown[]).map((t) => validateTable(t, id)),
      segments,
      pendingChunks: (v['pendingChunks'] as unknown[]).map((c) => {
        const s = validateSplit(c, id);
        if (s.kind !== 'snapshot') fail(id, 'a pending chunk is not a snapshot split');
        return s;
      }),
    };
  }
  return fail(id, `unknown split kind ${JSON.stringify(v['kind'])}`);
}

/**
 * A JSON serializer under its own id; `decode` validates what versions 1 to `version` wrote.
 *
 * @internal
 */
export function jsonSerializer<T>(id: string, version: number, decode: (value: unknown) => T): VersionedSerializer<T> {
  return Object.freeze({
    id,
    version,
    serialize(value: T): Uint8Array {
      return encoder.encode(JSON.stringify(value));
    },
    deserialize(bytes: Uint8Array, writtenVersion: number): T {
      if (!Number.isSafeInteger(writtenVersion) || writtenVersion < 1 || writtenVersion > version) {
        throw new RangeError(`${id}: cannot read version ${writtenVersion} (this serializer reads versions 1 to ${version})`);
      }
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(bytes));
      } catch (e) {
        throw new Error(`${id}: invalid payload: ${(e as Error).message}`, { cause: e });
      }
      return decode(value);
    },
  });
}

/**
 * Serializer of {@link MySqlCdcSplit} (`runnel.mysql-cdc.split`, version 1: JSON).
 *
 * @public
 */
export const mySqlCdcSplitSerializer: VersionedSerializer<MySqlCdcSplit> = jsonSerializer(SPLIT_ID, 1, (v) => validateSplit(v, SPLIT_ID));
