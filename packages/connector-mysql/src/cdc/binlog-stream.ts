// Follows the binlog for the mysql-cdc source through @vlasky/zongji (a replica connection with the reader's own
// server id) and turns row events into changelog entries: +I for inserts, -U/+U for updates, -D for deletes, each
// with the position to resume at were the job to fail right after it — the start of its transaction and how many
// row changes of the transaction are processed — and a marker at every commit. Changes of keys whose snapshot
// segment was read at or after the transaction are dropped: the snapshot row already contains them (see CDC.md for
// why that leaves no gap and no duplicate). DDL on a captured table fails the source with the statement. The stream
// pauses the replica connection while the reader's queue is full (back-pressure) and never holds more than that.
import ZongJi from '@vlasky/zongji';
import { advanceGtid, compareBinlogPositions, formatBinlogPosition, type BinlogPosition } from './binlog-position.js';
import { converterFor, type ValueConverter } from './cdc-column.js';
import { binlogFiles, closeConnection, connectionOptions, openConnection } from './cdc-connection.js';
import { tableId, type CapturedTable } from './captured-table.js';
import { ddlTargets } from './ddl-detector.js';
import { MySqlCdcError, translateMySqlError } from './mysql-cdc-error.js';
import type { MySqlCdcSettings } from './mysql-cdc-options.js';
import type { MySqlBinlogSplit, SnapshotSegment } from './mysql-cdc-split.js';
import type { RowKind } from '@runnel/api/table';

/**
 * The table a change belongs to.
 *
 * @public
 */
export interface CdcTableRef {
  readonly table: CapturedTable;
  /** `db.table`. */
  readonly id: string;
}

/**
 * Turns a change (its kind, its table, its fields in the table's column order, the binlog event's epoch-millisecond
 * time, 0 for snapshot rows) into the source's record. Called on the hot path: no promises, no I/O.
 *
 * @public
 */
export type ChangeMapper<T> = (kind: RowKind, table: CdcTableRef, fields: unknown[], opTs: number) => T;

/** A captured table with what the hot path needs. @internal */
export interface TableRuntime extends CdcTableRef {
  readonly converters: readonly ValueConverter[];
  /** Index of the chunk key among the columns, or -1. */
  readonly keyIndex: number;
  /** Indexes of the primary-key columns. */
  readonly pkIndexes: readonly number[];
  /** Finished snapshot segments in key order (bigint bounds), absent for tables without a snapshot. */
  segments: { lo: bigint | null; hi: bigint | null; high: BinlogPosition }[] | undefined;
  /** The largest `high` of the segments: later changes are all emitted. */
  maxHigh: BinlogPosition | undefined;
  /** Whether rows of this table count in `skipRows` (tables captured before a restore added new ones). */
  countsForSkip: boolean;
}

/** Builds the runtime view of a table. @internal */
export function tableRuntime(t: CapturedTable, segments: readonly SnapshotSegment[] | undefined, countsForSkip = true): TableRuntime {
  const rt: TableRuntime = {
    table: t,
    id: tableId(t),
    converters: t.columns.map((c) => converterFor(c, `table ${tableId(t)}`)),
    keyIndex: t.chunkKey === undefined ? -1 : t.columns.findIndex((c) => c.name === t.chunkKey),
    pkIndexes: t.primaryKey.map((k) => t.columns.findIndex((c) => c.name === k)).filter((i) => i >= 0),
    segments: undefined,
    maxHigh: undefined,
    countsForSkip,
  };
  setSegments(rt, segments);
  return rt;
}

/** Replaces a table's segments (sorted by their start). @internal */
export function setSegments(rt: TableRuntime, segments: readonly SnapshotSegment[] | undefined): void {
  if (segments === undefined || segments.length === 0) {
    rt.segments = undefined;
    rt.maxHigh = undefined;
    return;
  }
  // An empty segment (a chunk resumed after its last key and finished with nothing left to read records `[end, end)`)
  // holds no key, but it starts where the next chunk's first segment starts: kept, it could win the search below for
  // that chunk's keys and make every change of them before the chunk's snapshot look new (emitted twice).
  const segs = segments
    .map((s) => ({ lo: s.lo === null ? null : BigInt(s.lo), hi: s.hi === null ? null : BigInt(s.hi), high: s.high }))
    .filter((s) => s.lo === null || s.hi === null || s.lo < s.hi);
  if (segs.length === 0) {
    rt.segments = undefined;
    rt.maxHigh = undefined;
    return;
  }
  segs.sort((a, b) => (a.lo === null ? -1 : b.lo === null ? 1 : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  rt.segments = segs;
  let max = segs[0]!.high;
  for (const s of segs) if (compareBinlogPositions(s.high, max) > 0) max = s.high;
  rt.maxHigh = max;
}

/** Whether a change of `fields` in a transaction at `at` is not yet in the snapshot rows (so must be emitted). @internal */
export function afterSnapshot(rt: TableRuntime, fields: unknown[], at: BinlogPosition): boolean {
  const segs = rt.segments;
  if (segs === undefined) return true;
  if (compareBinlogPositions(at, rt.maxHigh!) > 0) return true;
  let seg = segs[0]!;
  if (rt.keyIndex >= 0 && segs.length > 1) {
    const v = fields[rt.keyIndex];
    if (v === null || v === undefined) return true;
    const key = BigInt(v as number | bigint);
    let lo = 0;
    let hi = segs.length - 1;
    // The last segment whose start is <= key.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = segs[mid]!.lo;
      if (s === null || s <= key) lo = mid;
      else hi = mid - 1;
    }
    seg = segs[lo]!;
    if ((seg.lo !== null && key < seg.lo) || (seg.hi !== null && key >= seg.hi)) return true;
  }
  return compareBinlogPositions(at, seg.high) > 0;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (x instanceof Uint8Array && y instanceof Uint8Array) return Buffer.compare(x, y) === 0;
  return false;
}

/** Whether an update keeps the row's primary key. */
function samePrimaryKey(rt: TableRuntime, before: unknown[], after: unknown[]): boolean {
  for (const i of rt.pkIndexes) if (!sameValue(before[i], after[i])) return false;
  return true;
}

/**
 * A changelog entry of the binlog: `out` (undefined for a commit marker) and where to resume after it.
 *
 * @internal
 */
export interface BinlogEntry<T> {
  readonly out: T | undefined;
  /** Start of the transaction (or, for a marker, the position after the commit). */
  readonly file: string;
  readonly pos: number;
  /** Row changes of the transaction processed up to and including this one (0 for a marker). */
  readonly skip: number;
  /** The GTID position after the commit (markers). */
  readonly gtid?: string;
  /** Positions are not known yet (started by GTID): resume by the split's GTID start. */
  readonly gtidOnly?: boolean;
}

interface Group {
  readonly file: string;
  readonly start: number;
  /** Where the transaction's GTID event ends: its position for snapshot comparisons. */
  readonly at: BinlogPosition;
  readonly gtid: string | undefined;
  rows: number;
}

/**
 * The binlog follower of one reader.
 *
 * @internal
 */
export class BinlogStream<T> {
  private zongji: ZongJi | undefined;
  private file: string;
  private lastEnd: number;
  private gtidPos: string | undefined;
  private group: Group | undefined;
  private skipRemaining: number;
  private positionKnown: boolean;
  private stopped = false;
  private paused = false;
  private readonly byName = new Map<string, TableRuntime>();

  constructor(
    private readonly settings: MySqlCdcSettings,
    private readonly serverId: number,
    private readonly split: MySqlBinlogSplit,
    tables: readonly TableRuntime[],
    private readonly mapper: ChangeMapper<T>,
    private readonly onEntries: (entries: BinlogEntry<T>[]) => void,
    private readonly onError: (error: MySqlCdcError) => void,
  ) {
    for (const t of tables) this.byName.set(t.id, t);
    this.file = split.position?.file ?? '';
    this.lastEnd = split.position?.pos ?? 4;
    this.gtidPos = split.position?.gtid ?? split.gtidStart;
    this.skipRemaining = split.skipRows;
    this.positionKnown = split.position !== undefined;
  }

  /** Checks the start position is still on the server, then starts following. */
  async start(): Promise<void> {
    const pos = this.split.position;
    if (pos !== undefined) {
      const c = await openConnection(this.settings, 'checking binlog files');
      try {
        const files = await binlogFiles(c).catch((e) => {
          throw translateMySqlError(e, 'listing binlog files (SHOW BINARY LOGS)');
        });
        if (!files.includes(pos.file)) {
          throw new MySqlCdcError(
            `mysql-cdc: the binlog needed to resume, ${formatBinlogPosition(pos)}, is no longer on the server (oldest kept: ${files[0] ?? 'none'}): ` +
              "it was purged past the checkpoint, so resuming would lose changes. Start the job without restoring (a new snapshot, scan.startup.mode = 'initial') and keep binlogs longer (expire_logs_days / binlog_expire_logs_seconds)",
            'fatal',
          );
        }
      } finally {
        await closeConnection(c);
      }
    }
    if (this.stopped) return;
    const includeSchema: Record<string, string[]> = {};
    for (const t of this.byName.values()) (includeSchema[t.table.database] ??= []).push(t.table.table);
    const z = new ZongJi(connectionOptions(this.settings));
    this.zongji = z;
    z.on('error', (e: unknown) => {
      if (this.stopped) return;
      this.stop();
      this.onError(translateMySqlError(e, `following the binlog from ${formatBinlogPosition(this.split.position ?? { file: '?', pos: 0, gtid: this.split.gtidStart })}`));
    });
    z.on('binlog', (e: unknown) => {
      if (this.stopped) return;
      try {
        this.handle(e as ZEvent);
      } catch (error) {
        this.stop();
        this.onError(error instanceof MySqlCdcError ? error : new MySqlCdcError(`mysql-cdc: ${(error as Error).message}`, 'fatal', { cause: error }));
      }
    });
    const options: Record<string, unknown> = {
      serverId: this.serverId,
      includeEvents: ['rotate', 'mariadbgtid', 'gtid', 'xid', 'query', 'tablemap', 'writerows', 'updaterows', 'deleterows'],
      includeSchema,
    };
    if (pos !== undefined) {
      options['filename'] = pos.file;
      options['position'] = pos.pos;
    } else {
      options['gtidSet'] = this.split.gtidStart;
    }
    z.start(options);
  }

  /**
   * Stops reading from the server until `resume` (the reader's queue is full). It pauses the socket, not the
   * mysql2 connection: zongji pauses and resumes the connection itself while it fetches a table's columns, and a
   * resume from here must not release row events before their table map is ready.
   */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket()?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket()?.resume();
  }

  private socket(): { pause(): void; resume(): void } | undefined {
    return (this.zongji as unknown as { connection?: { stream?: { pause(): void; resume(): void } } } | undefined)?.connection?.stream;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      this.zongji?.stop();
    } catch {
      // already closed
    }
  }

  private handle(e: ZEvent): void {
    const name = e.getEventName();
    switch (name) {
      case 'rotate':
        this.file = e.binlogName!;
        this.lastEnd = Number(e.position);
        return;
      case 'mariadbgtid':
      case 'gtid': {
        this.group = { file: this.file, start: this.lastEnd, at: { file: this.file, pos: e.nextPosition }, gtid: e.gtid, rows: 0 };
        if (e.nextPosition > 0) this.lastEnd = e.nextPosition;
        return;
      }
      case 'tablemap':
        return;
      case 'writerows':
      case 'updaterows':
      case 'deleterows':
        this.rows(name, e);
        return;
      case 'xid':
        this.commit(e.nextPosition);
        return;
      case 'query': {
        const q = (e.query ?? '').trim();
        const upper = q.toUpperCase();
        if (upper === 'BEGIN' || upper.startsWith('SAVEPOINT') || upper.startsWith('XA START') || upper.startsWith('XA END')) return;
        if (upper === 'COMMIT' || upper === 'ROLLBACK' || upper.startsWith('XA COMMIT') || upper.startsWith('XA ROLLBACK')) {
          this.commit(e.nextPosition);
          return;
        }
        for (const t of ddlTargets(q, e.schema ?? '')) {
          if (this.byName.has(`${t.database}.${t.table}`)) {
            throw new MySqlCdcError(
              `mysql-cdc: schema change on captured table ${t.database}.${t.table} at ${this.file}:${e.nextPosition}: ${q} — ` +
                'the source fails on DDL of a captured table (its rows would no longer match the schema it read): ' +
                'restart the job without restoring to take a new snapshot with the new schema, or stop capturing the table',
              'fatal',
            );
          }
        }
        this.commit(e.nextPosition);
        return;
      }
      default:
        return;
    }
  }

  private currentGroup(): Group {
    this.group ??= { file: this.file, start: this.lastEnd, at: { file: this.file, pos: this.lastEnd }, gtid: undefined, rows: 0 };
    return this.group;
  }

  private rows(name: string, e: ZEvent): void {
    const g = this.currentGroup();
    const tm = e.tableMap?.[e.tableId!];
    if (tm === undefined) {
      throw new MySqlCdcError(`mysql-cdc: a rows event at ${this.file}:${e.nextPosition} has no table map (table id ${e.tableId}); refusing to drop its rows`, 'fatal');
    }
    const rt = this.byName.get(`${tm.parentSchema}.${tm.tableName}`);
    if (rt === undefined || !rt.countsForSkip) {
      if (rt !== undefined) this.emitRows(name, e, g, rt, false);
      return;
    }
    this.emitRows(name, e, g, rt, true);
  }

  /**
   * Emits the changes of a rows event. `skip` counts changelog records (an update is two: -U and +U), processed or
   * filtered, so a resume inside a transaction, and even between an update's -U and +U, emits nothing twice.
   */
  private emitRows(name: string, e: ZEvent, g: Group, rt: TableRuntime, counts: boolean): void {
    const rows = e.rows!;
    const conv = rt.converters;
    const cols = rt.table.columns;
    const n = cols.length;
    const startTs = this.split.startTimestampMs;
    const early = startTs !== undefined && e.timestamp < startTs;
    const out: BinlogEntry<T>[] = [];
    const opTs = e.timestamp;
    const gtidOnly = !this.positionKnown;
    const convert = (r: Record<string, unknown>): unknown[] => {
      const f = new Array<unknown>(n);
      for (let i = 0; i < n; i++) f[i] = conv[i]!(r[cols[i]!.name]);
      return f;
    };
    const push = (kind: RowKind, fields: unknown[]): void => {
      let unit = 0;
      if (counts) {
        unit = ++g.rows;
        if (unit <= this.skipRemaining) return;
      }
      if (early) return;
      const entry: BinlogEntry<T> = gtidOnly
        ? { out: this.mapper(kind, rt, fields, opTs), file: g.file, pos: g.start, skip: unit, gtidOnly }
        : { out: this.mapper(kind, rt, fields, opTs), file: g.file, pos: g.start, skip: unit };
      out.push(entry);
    };
    for (const r of rows) {
      if (name === 'writerows') {
        const f = convert(r as Record<string, unknown>);
        if (afterSnapshot(rt, f, g.at)) push(0, f);
        else if (counts) g.rows++;
      } else if (name === 'deleterows') {
        const f = convert(r as Record<string, unknown>);
        if (afterSnapshot(rt, f, g.at)) push(3, f);
        else if (counts) g.rows++;
      } else {
        const u = r as { before: Record<string, unknown>; after: Record<string, unknown> };
        const before = convert(u.before);
        const after = convert(u.after);
        const b = afterSnapshot(rt, before, g.at);
        const a = afterSnapshot(rt, after, g.at);
        // An update that changes the primary key is a delete of the old key and an insert of the new one (as
        // Debezium emits it): an upsert consumer that drops -U would otherwise keep the old key's row. Each image
        // also follows its own snapshot segment.
        const pair = b && a && samePrimaryKey(rt, before, after);
        if (b) push(pair ? 1 : 3, before);
        else if (counts) g.rows++;
        if (a) push(pair ? 2 : 0, after);
        else if (counts) g.rows++;
      }
    }
    if (out.length > 0) this.onEntries(out);
  }

  private commit(nextPosition: number): void {
    const g = this.group;
    if (g?.gtid !== undefined) this.gtidPos = advanceGtid(this.gtidPos, g.gtid);
    this.group = undefined;
    this.skipRemaining = 0;
    if (nextPosition > 0) {
      this.lastEnd = nextPosition;
      this.positionKnown = true;
      this.onEntries([{ out: undefined, file: this.file, pos: nextPosition, skip: 0, ...(this.gtidPos !== undefined ? { gtid: this.gtidPos } : {}) }]);
    }
  }
}

/** The parts of zongji's events the stream reads. */
interface ZEvent {
  getEventName(): string;
  nextPosition: number;
  timestamp: number;
  binlogName?: string;
  position?: number | string;
  gtid?: string;
  query?: string;
  schema?: string;
  tableId?: number;
  tableMap?: Record<number, { parentSchema: string; tableName: string }>;
  rows?: unknown[];
}
