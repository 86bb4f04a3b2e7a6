// The split enumerator of the mysql-cdc source (on the coordinator). At the first start it checks the server (ROW
// binlog, full row images, privileges), finds the captured tables and, for `initial` startup, splits them into
// chunks; other startup modes resolve their binlog position now, so a restore never resolves it again. Readers ask
// for work (pull): each request gets the next chunks (a few adjacent ones of one table, fewer near the end); when
// every chunk is finished (readers report each with its segments and get an acknowledgement) the next request gets
// the binlog split, which starts at the smallest segment position (binlog-stream.ts skips what each segment already
// contains). Chunks of a failed reader come back and go out again, resuming after their emitted part. On a restore
// before the binlog split went out, tables added meanwhile (`scan.newly-added-table.enabled`) are discovered and
// chunked here; after it, the binlog reader does that.
import type { SplitEnumerator, SplitEnumeratorContext } from '@runnel/api';
import { compareBinlogPositions, validatePosition, type BinlogPosition } from './binlog-position.js';
import { binlogFiles, checkServer, closeConnection, currentBinlogPosition, openConnection } from './cdc-connection.js';
import { discoverTables, splitTable, tableId, type CapturedTable } from './captured-table.js';
import { MySqlCdcError, translateMySqlError } from './mysql-cdc-error.js';
import type { MySqlCdcSettings } from './mysql-cdc-options.js';
import type { MySqlCdcSourceEvent } from './mysql-cdc-reader.js';
import {
  BINLOG_SPLIT_ID,
  jsonSerializer,
  snapshotSplit,
  validateSplit,
  type MySqlBinlogSplit,
  type MySqlCdcSplit,
  type MySqlSnapshotSplit,
  type SnapshotSegment,
} from './mysql-cdc-split.js';
import type { VersionedSerializer } from '@runnel/api';

/** Chunks one split request gets at most (see `batchSize`). */
const CHUNKS_PER_REQUEST = 4;

/**
 * Where the binlog starts when there is no snapshot (resolved once, at the first start).
 *
 * @public
 */
export interface BinlogStart {
  readonly position?: BinlogPosition;
  readonly gtidStart?: string;
  readonly startTimestampMs?: number;
}

/**
 * State of the mysql-cdc enumerator.
 *
 * @public
 */
export interface MySqlCdcEnumeratorState {
  readonly discovered: boolean;
  readonly tables: readonly CapturedTable[];
  /** Chunks not handed out yet. */
  readonly remaining: readonly MySqlSnapshotSplit[];
  /** Ids of chunks handed out and not reported finished. */
  readonly assigned: readonly string[];
  /**
   * Finished chunks: their table and segments, by split id (a chunk reported again after a failover replaces its
   * segments: the latest report is what the restored readers emitted).
   */
  readonly finished: Readonly<Record<string, { readonly table: string; readonly segments: readonly SnapshotSegment[] }>>;
  readonly binlogAssigned: boolean;
  /**
   * A checkpoint was taken after every chunk finished: restoring from it means the snapshot's rows are committed
   * downstream, so the binlog split may go out.
   */
  readonly snapshotCheckpointed?: boolean;
  /** The binlog split given back by a failed reader, to hand out again. */
  readonly binlogReturned?: MySqlBinlogSplit;
  readonly start?: BinlogStart;
}

const STATE_ID = 'runnel.mysql-cdc.enumerator-state';

/**
 * Serializer of {@link MySqlCdcEnumeratorState} (`runnel.mysql-cdc.enumerator-state`, version 1: JSON).
 *
 * @public
 */
export const mySqlCdcEnumeratorStateSerializer: VersionedSerializer<MySqlCdcEnumeratorState> = jsonSerializer(STATE_ID, 1, (value) => {
  const v = value as Partial<MySqlCdcEnumeratorState> | null;
  const bad = (what: string): never => {
    throw new Error(`${STATE_ID}: invalid payload: ${what}`);
  };
  if (typeof v !== 'object' || v === null) return bad('not an object');
  if (!Array.isArray(v.tables) || !Array.isArray(v.remaining) || !Array.isArray(v.assigned)) return bad('tables, remaining and assigned must be arrays');
  const remaining = v.remaining.map((s) => validateSplit(s, STATE_ID));
  if (remaining.some((s) => s.kind !== 'snapshot')) bad('a remaining split is not a chunk');
  const finished: Record<string, { table: string; segments: SnapshotSegment[] }> = {};
  for (const [id, f] of Object.entries(v.finished ?? {})) {
    const entry = f as { table?: unknown; segments?: unknown };
    if (typeof entry.table !== 'string' || !Array.isArray(entry.segments)) bad(`finished chunk ${id} needs table and segments`);
    finished[id] = {
      table: entry.table as string,
      segments: (entry.segments as unknown[]).map((s) => {
        const seg = s as SnapshotSegment;
        return { lo: seg.lo ?? null, hi: seg.hi ?? null, high: validatePosition(seg.high, STATE_ID) };
      }),
    };
  }
  const returned = v.binlogReturned === undefined || v.binlogReturned === null ? undefined : validateSplit(v.binlogReturned, STATE_ID);
  if (returned !== undefined && returned.kind !== 'binlog') bad('binlogReturned is not the binlog split');
  const start = v.start as BinlogStart | undefined;
  return {
    discovered: v.discovered === true,
    tables: v.tables as CapturedTable[],
    remaining: remaining as MySqlSnapshotSplit[],
    assigned: v.assigned.map(String),
    finished,
    binlogAssigned: v.binlogAssigned === true,
    snapshotCheckpointed: v.snapshotCheckpointed === true,
    ...(returned !== undefined ? { binlogReturned: returned as MySqlBinlogSplit } : {}),
    ...(start !== undefined && start !== null
      ? {
          start: {
            ...(start.position ? { position: validatePosition(start.position, STATE_ID) } : {}),
            ...(typeof start.gtidStart === 'string' ? { gtidStart: start.gtidStart } : {}),
            ...(typeof start.startTimestampMs === 'number' ? { startTimestampMs: start.startTimestampMs } : {}),
          },
        }
      : {}),
  };
});

type Discovery = { tables: CapturedTable[]; chunks: MySqlSnapshotSplit[]; start?: BinlogStart };

/**
 * Hands out chunks, then the binlog split.
 *
 * @public
 */
export class MySqlCdcEnumerator implements SplitEnumerator<MySqlCdcSplit, MySqlCdcEnumeratorState> {
  private discovered: boolean;
  private tables: CapturedTable[];
  private readonly remaining: MySqlSnapshotSplit[];
  private readonly assigned: Set<string>;
  private readonly finished: Map<string, { readonly table: string; readonly segments: readonly SnapshotSegment[] }>;
  private binlogAssigned: boolean;
  private binlogReturned: MySqlBinlogSplit | undefined;
  private start_: BinlogStart | undefined;
  private readonly waiting = new Set<number>();
  private readonly restored: boolean;
  /** The first checkpoint taken after every chunk finished. */
  private snapshotCheckpointId: number | undefined;
  /** Whether that checkpoint completed. */
  private snapshotCheckpointCompleted = false;
  /** The first checkpoint taken after it completed; the binlog goes out once this one completed (`assignPending`). */
  private confirmCheckpointId: number | undefined;
  private snapshotCommitted: boolean;

  constructor(
    private readonly context: SplitEnumeratorContext<MySqlCdcSplit>,
    private readonly settings: MySqlCdcSettings,
    restored?: MySqlCdcEnumeratorState,
  ) {
    this.restored = restored !== undefined;
    this.discovered = restored?.discovered ?? false;
    this.tables = [...(restored?.tables ?? [])];
    this.remaining = [...(restored?.remaining ?? [])];
    this.assigned = new Set(restored?.assigned ?? []);
    this.finished = new Map(Object.entries(restored?.finished ?? {}));
    this.binlogAssigned = restored?.binlogAssigned ?? false;
    this.binlogReturned = restored?.binlogReturned;
    this.start_ = restored?.start;
    this.snapshotCommitted = restored?.snapshotCheckpointed === true;
  }

  start(): void {
    const rediscover = this.discovered && this.restored && this.settings.newlyAddedTables && !this.binlogAssigned && this.settings.startup.mode === 'initial';
    if (this.discovered && !rediscover) {
      this.assignPending();
      return;
    }
    this.context.callAsync(
      () => this.discover(),
      (result, error) => {
        if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
        if (result === undefined) return;
        const known = new Set(this.tables.map(tableId));
        for (const t of result.tables) if (!known.has(tableId(t))) this.tables.push(t);
        for (const c of result.chunks) if (!known.has(c.table)) this.remaining.push(c);
        if (!this.discovered) this.start_ = result.start;
        this.discovered = true;
        this.assignPending();
      },
    );
  }

  handleSplitRequest(subtask: number): void {
    this.waiting.add(subtask);
    this.assignPending();
  }

  addSplitsBack(splits: readonly MySqlCdcSplit[]): void {
    const back: MySqlSnapshotSplit[] = [];
    for (const s of splits) {
      if (s.kind === 'binlog') {
        this.binlogAssigned = false;
        this.binlogReturned = s;
      } else if (s.finished) {
        this.finish(s);
      } else {
        // Assigned since the last checkpoint: whatever it reported since is void, it is read again.
        this.assigned.delete(s.splitId);
        this.finished.delete(s.splitId);
        if (!this.remaining.some((r) => r.splitId === s.splitId)) back.push(s);
      }
    }
    // First again, in the order they came (adjacent chunks stay adjacent: a reader reads them with one SELECT).
    this.remaining.unshift(...back);
    this.assignPending();
  }

  addReader(): void {
    // Readers ask for splits.
  }

  handleSourceEvent(subtask: number, event: unknown): void {
    const e = event as MySqlCdcSourceEvent;
    if (e.type !== 'chunk-finished') return;
    this.finish(e.split);
    const ack: MySqlCdcSourceEvent = { type: 'chunk-ack', splitId: e.split.splitId };
    this.context.sendEventToSourceReader(subtask, ack);
    this.assignPending();
  }

  snapshotState(checkpointId: number): MySqlCdcEnumeratorState {
    const allFinished = this.discovered && this.remaining.length === 0 && this.assigned.size === 0;
    if (allFinished && !this.snapshotCommitted && this.snapshotCheckpointId === undefined) this.snapshotCheckpointId = checkpointId;
    else if (this.snapshotCheckpointCompleted && !this.snapshotCommitted && this.confirmCheckpointId === undefined) this.confirmCheckpointId = checkpointId;
    return {
      snapshotCheckpointed: this.snapshotCommitted || (allFinished && this.snapshotCheckpointId !== undefined),
      discovered: this.discovered,
      tables: this.tables,
      remaining: this.remaining,
      assigned: [...this.assigned],
      finished: Object.fromEntries(this.finished),
      binlogAssigned: this.binlogAssigned,
      ...(this.binlogReturned !== undefined ? { binlogReturned: this.binlogReturned } : {}),
      ...(this.start_ !== undefined ? { start: this.start_ } : {}),
    };
  }

  notifyCheckpointComplete(checkpointId: number): void {
    if (this.snapshotCommitted || this.snapshotCheckpointId === undefined) return;
    if (this.confirmCheckpointId !== undefined && checkpointId >= this.confirmCheckpointId) {
      this.snapshotCommitted = true;
      this.assignPending();
    } else if (checkpointId >= this.snapshotCheckpointId) {
      this.snapshotCheckpointCompleted = true;
    }
  }

  close(): void {
    // Connections are per discovery.
  }

  /** Chunks still to finish (handed out or not). */
  pendingChunks(): number {
    return this.remaining.length + this.assigned.size;
  }

  private finish(split: MySqlSnapshotSplit): void {
    this.assigned.delete(split.splitId);
    const i = this.remaining.findIndex((r) => r.splitId === split.splitId);
    if (i >= 0) this.remaining.splice(i, 1);
    // The latest report wins: after a failover the restored reader re-reports what it actually emitted.
    this.finished.set(split.splitId, { table: split.table, segments: split.segments });
  }

  /** Every table's finished segments. */
  private segmentsByTable(): Record<string, SnapshotSegment[]> {
    const out: Record<string, SnapshotSegment[]> = {};
    for (const f of this.finished.values()) (out[f.table] ??= []).push(...f.segments);
    return out;
  }

  private assignPending(): void {
    if (!this.discovered) return;
    for (const subtask of [...this.waiting].sort((a, b) => a - b)) {
      if (!this.context.registeredReaders().includes(subtask)) continue;
      const chunk = this.remaining.shift();
      if (chunk !== undefined) {
        const batch = [chunk];
        const size = this.batchSize();
        while (batch.length < size && this.remaining[0]?.table === chunk.table) batch.push(this.remaining.shift()!);
        for (const c of batch) this.assigned.add(c.splitId);
        this.waiting.delete(subtask);
        this.context.assignSplits(new Map([[subtask, batch]]));
        continue;
      }
      if (this.assigned.size > 0 || this.binlogAssigned) return;
      // The binlog waits until the snapshot rows, emitted by several readers, are committed downstream, before any
      // change of the same keys, which one reader emits, can overtake them on another path. Flink CDC waits for a
      // checkpoint taken after the last chunk to complete; here a second one is waited for: a two-phase-commit sink
      // commits a checkpoint after it completed, each subtask on its own, and a slow commit of snapshot rows on one
      // subtask landed after another subtask's commit of later changes of the same keys (stale and resurrected
      // rows in the SIGKILL test). A sink subtask takes a checkpoint only after its commits of completed ones
      // returned (the runtime's sink operator), so the completion of the second checkpoint means they landed.
      if (!this.snapshotCommitted && !this.snapshotNotNeeded()) return;
      this.waiting.delete(subtask);
      this.binlogAssigned = true;
      const split = this.binlogReturned ?? this.binlogSplit();
      this.binlogReturned = undefined;
      this.context.assignSplit(split, subtask);
    }
  }

  /**
   * Chunks per request: up to `CHUNKS_PER_REQUEST` of one table (a reader reads adjacent ones with one SELECT:
   * mysql-cdc-reader.ts), fewer as the chunks run out, so that the last ones still spread over the readers (each
   * request gets at most a half of an even share of what is left, at least one).
   */
  private batchSize(): number {
    const readers = Math.max(1, this.context.registeredReaders().length);
    return Math.max(1, Math.min(CHUNKS_PER_REQUEST, Math.floor((this.remaining.length + 1) / (2 * readers))));
  }

  /** Nothing was snapshotted (startup from a binlog position): the binlog needs no checkpoint first. */
  private snapshotNotNeeded(): boolean {
    return this.finished.size === 0 && this.settings.startup.mode !== 'initial';
  }

  /** The binlog split after the snapshot: from the smallest segment position (or the resolved start). */
  private binlogSplit(): MySqlBinlogSplit {
    let position: BinlogPosition | undefined = this.start_?.position;
    const segments = this.segmentsByTable();
    for (const segs of Object.values(segments)) {
      for (const s of segs) if (position === undefined || compareBinlogPositions(s.high, position) < 0) position = s.high;
    }
    const start = this.start_;
    if (position === undefined && start?.gtidStart === undefined) throw new MySqlCdcError('mysql-cdc: no binlog position to start from (no table was captured?)', 'fatal');
    return {
      kind: 'binlog',
      splitId: BINLOG_SPLIT_ID,
      ...(position !== undefined ? { position } : {}),
      skipRows: 0,
      ...(position === undefined && start?.gtidStart !== undefined ? { gtidStart: start.gtidStart } : {}),
      ...(start?.startTimestampMs !== undefined ? { startTimestampMs: start.startTimestampMs } : {}),
      tables: this.tables,
      segments,
      pendingChunks: [],
    };
  }

  private async discover(): Promise<Discovery> {
    const s = this.settings;
    const c = await openConnection(s, 'split enumerator');
    try {
      if (!this.discovered) await checkServer(c, s);
      const tables = await discoverTables(c, s.databaseName, s.tableName);
      if (tables.length === 0 && !this.discovered) {
        throw new MySqlCdcError(
          `mysql-cdc: no table on ${s.hostname}:${s.port} matches database-name '${s.databaseName}' and table-name '${s.tableName}' (or the user may not see them: it needs SELECT on them)`,
          'configuration',
        );
      }
      const known = new Set(this.tables.map(tableId));
      const chunks: MySqlSnapshotSplit[] = [];
      const mode = s.startup.mode;
      if (mode === 'initial') {
        for (const t of tables) {
          if (known.has(tableId(t))) continue;
          const ranges = await splitTable(c, t, s.chunkSize);
          ranges.forEach((r, i) => chunks.push(snapshotSplit(t, i, r)));
        }
      }
      let start: BinlogStart | undefined;
      if (!this.discovered) {
        // Privileges the binlog needs fail here, early, rather than in a reader.
        const here = await currentBinlogPosition(c).catch((e) => {
          throw translateMySqlError(e, 'reading the binlog position (SHOW MASTER STATUS)');
        });
        const su = s.startup;
        if (su.mode === 'latest-offset') start = { position: here };
        else if (su.mode === 'earliest-offset' || su.mode === 'timestamp') {
          const files = await binlogFiles(c);
          start = { position: { file: files[0] ?? here.file, pos: 4 }, ...(su.mode === 'timestamp' ? { startTimestampMs: su.timestampMillis } : {}) };
        } else if (su.mode === 'specific-offset') {
          start = su.gtidSet !== undefined ? { gtidStart: su.gtidSet } : { position: { file: su.file!, pos: su.pos! } };
        }
      }
      return { tables, chunks, ...(start !== undefined ? { start } : {}) };
    } finally {
      await closeConnection(c);
    }
  }
}
