// The reader of the mysql-cdc source (one per parallel subtask). It asks the enumerator for snapshot chunks, a batch
// ahead of the ones it reads, and reads them in consistent snapshots with a known binlog position
// (snapshot-chunk-reader.ts, which leaves the snapshot's transaction open for the next read to end; an idle reader
// commits it), adjacent chunks of one table with one SELECT in one snapshot; rows stream into a queue per chunk (the
// connection pauses when they hold `maxBufferedRecords` together) and `pollNext` emits the current chunk's as +I. A
// checkpoint never waits: `snapshotState` records the chunk's emitted part as a finished segment (`[start, last key +
// 1)` at the snapshot's position), so a restore continues after the last emitted key with a fresh snapshot instead of
// re-reading the chunk; the chunks read ahead of it are in the state as they were assigned. A finished chunk stays in
// the reader's state until the enumerator acknowledged it (the report could otherwise fall between the enumerator's
// and the reader's snapshots of one checkpoint). The reader that receives the binlog split first snapshots newly
// added tables (when enabled), then follows the binlog (binlog-stream.ts), emitting queued changes in batches and
// checkpointing the transaction start and the changes of it already emitted.
import { appendFileSync } from 'node:fs';
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '@runnel/api';
import type { Connection } from 'mysql2';
import type { BinlogPosition } from './binlog-position.js';
import { BinlogStream, tableRuntime, type BinlogEntry, type ChangeMapper, type TableRuntime } from './binlog-stream.js';
import { closeConnection, openConnection, queryRows } from './cdc-connection.js';
import { describeTable, discoverTables, splitTable, tableId, type CapturedTable } from './captured-table.js';
import { MySqlCdcError, translateMySqlError } from './mysql-cdc-error.js';
import type { MySqlCdcSettings } from './mysql-cdc-options.js';
import { BINLOG_SPLIT_ID, snapshotSplit, type MySqlBinlogSplit, type MySqlCdcSplit, type MySqlSnapshotSplit, type SnapshotSegment } from './mysql-cdc-split.js';
import { detectSnapshotMethod, readChunk, type SnapshotMethod } from './snapshot-chunk-reader.js';
import { snapshotRowConverter, type SnapshotRowConverter } from './snapshot-row-converter.js';
import { snapshotPacketParser, type SnapshotPacketParser } from './snapshot-packet-parser.js';

/**
 * Events between the reader and the enumerator.
 *
 * @internal
 */
export type MySqlCdcSourceEvent = { readonly type: 'chunk-finished'; readonly split: MySqlSnapshotSplit } | { readonly type: 'chunk-ack'; readonly splitId: string };

/**
 * What the reader reports when it starts reading a chunk (for monitoring, and the tests' proof that a restore never
 * re-reads a chunk from its start).
 *
 * @public
 */
export interface ChunkReadEvent {
  readonly subtask: number;
  readonly splitId: string;
  /** Where this read starts: the chunk's start, or after its last emitted key when resumed. */
  readonly from: string | null;
  /** Whether this read resumes a chunk part of which was emitted before. */
  readonly resumed: boolean;
}

/**
 * Settings of the {@link MySqlCdcReader}.
 *
 * @public
 */
export interface MySqlCdcReaderSettings<T> {
  readonly settings: MySqlCdcSettings;
  readonly mapper: ChangeMapper<T>;
  /** Records queued at most (snapshot rows or binlog changes); default 8 192. */
  readonly maxBufferedRecords?: number;
  /** Records emitted per `pollNext`; default 1 024. */
  readonly maxRecordsPerPoll?: number;
  /** Called when a chunk read starts. */
  readonly onChunkRead?: (event: ChunkReadEvent) => void;
}

/**
 * Diagnostics: with RUNNEL_MYSQL_CDC_CHUNK_LOG set to a file, one JSON line per chunk read, per checkpointed chunk
 * progress and per finished chunk (the kill test proves from it that a restore resumes each chunk after its
 * checkpointed part).
 */
function chunkLog(entry: Record<string, unknown>): void {
  const log = process.env['RUNNEL_MYSQL_CDC_CHUNK_LOG'];
  if (log) appendFileSync(log, JSON.stringify({ ...entry, pid: process.pid }) + '\n');
}

/** Chunks one SELECT reads at most (see `MySqlCdcReader.next`). */
const MAX_CHUNKS_PER_READ = 4;

/** Whether a resumed chunk has nothing left: its last emitted segment ends at the chunk's end. */
function fullyEmitted(split: MySqlSnapshotSplit): boolean {
  const last = split.segments[split.segments.length - 1];
  return last !== undefined && split.tableInfo.chunkKey !== undefined && split.range.end !== null && last.hi !== null && BigInt(last.hi) >= BigInt(split.range.end);
}

/**
 * Whether `next` can be read by the SELECT that reads `prev`: the chunk right after it in the same table, split by
 * its key, nothing of it emitted yet, and `prev` not already complete (its SELECT would read nothing).
 */
function readTogether(prev: MySqlSnapshotSplit, next: MySqlSnapshotSplit): boolean {
  return (
    prev.table === next.table &&
    prev.tableInfo.chunkKey !== undefined &&
    prev.range.end !== null &&
    next.range.start === prev.range.end &&
    next.segments.length === 0 &&
    !fullyEmitted(prev) &&
    JSON.stringify(prev.tableInfo) === JSON.stringify(next.tableInfo)
  );
}

class Signal {
  private p: Promise<void> | undefined;
  private r: (() => void) | undefined;
  promise(): Promise<void> {
    this.p ??= new Promise<void>((resolve) => (this.r = resolve));
    return this.p;
  }
  notify(): void {
    const r = this.r;
    this.p = undefined;
    this.r = undefined;
    r?.();
  }
}

interface ChunkRun {
  split: MySqlSnapshotSplit;
  readonly rt: TableRuntime;
  /** Binlog-owned chunks (newly added tables) report to the binlog run, others to the enumerator. */
  readonly owner: 'enumerator' | 'binlog';
  readonly segLo: string | null;
  high: BinlogPosition | undefined;
  readonly rows: unknown[][];
  head: number;
  lastKey: bigint | undefined;
  readDone: boolean;
  output: ReaderOutput<unknown> | undefined;
  readonly done: () => void;
}

interface BinlogRun {
  split: MySqlBinlogSplit;
  segments: Record<string, SnapshotSegment[]>;
  tables: CapturedTable[];
  pending: MySqlSnapshotSplit[];
  stream: BinlogStream<unknown> | undefined;
  readonly queue: BinlogEntry<unknown>[];
  head: number;
  position: BinlogPosition | undefined;
  skip: number;
  gtidOnly: boolean;
  output: ReaderOutput<unknown> | undefined;
  paused: boolean;
}

/**
 * Reads snapshot chunks and the binlog for one subtask.
 *
 * @public
 */
export class MySqlCdcReader<T> implements SourceReader<T, MySqlCdcSplit> {
  private readonly pending: MySqlSnapshotSplit[] = [];
  private chunk: ChunkRun | undefined;
  /** Chunks read by the current chunk's SELECT after it, in key order (see `readChunks`). */
  private readonly ahead: ChunkRun[] = [];
  /** Snapshot rows queued, in the current chunk and those read ahead (`maxBufferedRecords` bounds their sum). */
  private snapshotQueued = 0;
  /** Whether the snapshot connection is paused because `snapshotQueued` reached the bound. */
  private snapshotPaused = false;
  private readonly unacked = new Map<string, MySqlSnapshotSplit>();
  /** Acknowledged chunks: the first checkpoint taken after the acknowledgement (see `handleSourceEvent`). */
  private readonly acked = new Map<string, number | undefined>();
  private binlog: BinlogRun | undefined;
  private conn: Connection | undefined;
  private lockConn: Connection | undefined;
  private method: SnapshotMethod | undefined;
  private started = false;
  private requested = false;
  /** Whether the snapshot connection may hold an open transaction (a chunk read leaves it open). */
  private inTransaction = false;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private readonly signal = new Signal();
  /**
   * Generated row converters by table and columns: one per table for the reader's life, not one per chunk (a new
   * function per chunk would start cold every time).
   */
  private readonly rowConverters = new Map<string, { convert: SnapshotRowConverter; packet: SnapshotPacketParser | undefined }>();
  private readonly maxBuffered: number;
  private readonly maxPerPoll: number;
  private readonly counters;

  constructor(
    private readonly context: SourceReaderContext,
    private readonly s: MySqlCdcReaderSettings<T>,
  ) {
    this.maxBuffered = s.maxBufferedRecords ?? 8192;
    this.maxPerPoll = s.maxRecordsPerPoll ?? 1024;
    const g = context.metricGroup.addGroup('MySqlCdcReader');
    this.counters = {
      chunkReads: g.counter('snapshotChunkReads'),
      chunkResumes: g.counter('snapshotChunkResumes'),
      snapshotRows: g.counter('snapshotRecords'),
      binlogRecords: g.counter('binlogRecords'),
    };
  }

  start(): void {
    this.started = true;
    for (const s of this.unacked.values()) this.report(s);
    this.next();
  }

  addSplits(splits: readonly MySqlCdcSplit[]): void {
    this.requested = false;
    for (const split of splits) {
      if (split.kind === 'binlog') {
        if (this.binlog === undefined) this.startBinlog(split);
      } else if (split.finished) {
        this.unacked.set(split.splitId, split);
        if (this.started) this.report(split);
      } else {
        this.pending.push(split);
      }
    }
    if (this.started) this.next();
  }

  notifyNoMoreSplits(): void {
    // The source is unbounded: the enumerator never says so.
  }

  handleSourceEvent(event: unknown): void {
    const e = event as MySqlCdcSourceEvent;
    // An acknowledgement can reach the reader after the enumerator's snapshot of a checkpoint but before the
    // reader's: the chunk is then in neither. It stays in the reader's state until a checkpoint taken after the
    // acknowledgement completed (re-reporting it is harmless: the latest report wins).
    if (e.type === 'chunk-ack' && this.unacked.has(e.splitId)) this.acked.set(e.splitId, undefined);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    for (const [id, takenAt] of this.acked) {
      if (takenAt !== undefined && checkpointId > takenAt) {
        this.acked.delete(id);
        this.unacked.delete(id);
      }
    }
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.failure !== undefined) throw this.failure.error;
    const out = output as ReaderOutput<unknown>;
    let budget = this.maxPerPoll;
    const c = this.chunk;
    // A chunk that cannot resume after its last key (no integer key: the table is one chunk) is emitted only once it
    // is read completely, so a checkpoint never holds part of it: a restore reads it again with nothing emitted.
    if (c !== undefined && c.high !== undefined && (c.rt.keyIndex >= 0 || c.readDone)) {
      c.output ??= out.createOutputForSplit(c.split.splitId);
      const o = c.output;
      const rows = c.rows;
      const mapper = this.s.mapper;
      const keyIndex = c.rt.keyIndex;
      let i = c.head;
      const end = Math.min(rows.length, i + budget);
      // The last key is read before the rows are emitted: an emitted row's fields array belongs downstream (the
      // mappers hand it on as the record's, and an operator may change it in place).
      const lastKey = end > i && keyIndex >= 0 ? (rows[end - 1]![keyIndex] as number | bigint) : undefined;
      for (; i < end; i++) {
        const f = rows[i]!;
        o.collect(mapper(0, c.rt, f, 0));
      }
      const emitted = i - c.head;
      if (emitted > 0) {
        if (lastKey !== undefined) c.lastKey = BigInt(lastKey);
        this.counters.snapshotRows.inc(emitted);
        budget -= emitted;
        this.snapshotQueued -= emitted;
        // Resumed at half the bound, not at each poll below it: a pause and a resume per poll would cost more.
        if (this.snapshotPaused && this.snapshotQueued <= this.maxBuffered / 2) {
          this.snapshotPaused = false;
          this.conn?.resume();
        }
      }
      c.head = i;
      if (c.head >= rows.length) {
        rows.length = 0;
        c.head = 0;
      } else if (c.head > 4096 && c.head * 2 > rows.length) {
        rows.splice(0, c.head);
        c.head = 0;
      }
      if (c.readDone && c.head >= rows.length) this.finishChunk(c, out);
    }
    const b = this.binlog;
    if (b !== undefined && budget > 0 && b.head < b.queue.length) {
      b.output ??= out.createOutputForSplit(BINLOG_SPLIT_ID);
      const o = b.output;
      const q = b.queue;
      let i = b.head;
      const end = Math.min(q.length, i + budget);
      let emitted = 0;
      let last: BinlogEntry<unknown> | undefined;
      for (; i < end; i++) {
        const e = q[i]!;
        if (e.out !== undefined) {
          o.collect(e.out);
          emitted++;
        }
        last = e;
      }
      b.head = i;
      if (last !== undefined) {
        if (last.gtidOnly === true) {
          b.gtidOnly = true;
          b.skip = last.skip;
        } else {
          const gtid = last.out === undefined ? last.gtid : b.position?.gtid;
          b.position = gtid === undefined ? { file: last.file, pos: last.pos } : { file: last.file, pos: last.pos, gtid };
          b.skip = last.skip;
          b.gtidOnly = false;
        }
      }
      this.counters.binlogRecords.inc(emitted);
      if (b.head >= q.length) {
        q.length = 0;
        b.head = 0;
      } else if (b.head > 4096 && b.head * 2 > q.length) {
        q.splice(0, b.head);
        b.head = 0;
      }
      if (b.paused && q.length - b.head <= this.maxBuffered / 2) {
        b.paused = false;
        b.stream?.resume();
      }
    }
    if (this.hasQueued()) return 'more-available';
    return 'nothing-available';
  }

  private hasQueued(): boolean {
    const c = this.chunk;
    if (c !== undefined && c.high !== undefined && (c.readDone || (c.rt.keyIndex >= 0 && c.head < c.rows.length))) return true;
    const b = this.binlog;
    return b !== undefined && b.head < b.queue.length;
  }

  isAvailable(): Promise<void> {
    if (this.failure !== undefined || this.closed || this.hasQueued()) return Promise.resolve();
    return this.signal.promise();
  }

  snapshotState(checkpointId: number): MySqlCdcSplit[] {
    for (const [id, takenAt] of this.acked) if (takenAt === undefined) this.acked.set(id, checkpointId);
    const out: MySqlCdcSplit[] = [...this.unacked.values()];
    const c = this.chunk;
    if (c !== undefined && c.owner === 'enumerator') {
      const state = this.chunkState(c);
      out.push(state);
      const last = state.segments[state.segments.length - 1];
      if (last !== undefined) chunkLog({ type: 'progress', checkpointId, splitId: state.splitId, hi: last.hi });
    }
    for (const r of this.ahead) out.push(r.split);
    out.push(...this.pending);
    const b = this.binlog;
    if (b !== undefined) out.push(this.binlogState(b));
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal.notify();
    this.binlog?.stream?.stop();
    const conns = [this.conn, this.lockConn];
    this.conn = undefined;
    this.lockConn = undefined;
    for (const c of conns) {
      c?.on('error', () => undefined);
      c?.destroy();
    }
  }

  /** The chunk with its emitted part recorded as a finished segment. */
  private chunkState(c: ChunkRun): MySqlSnapshotSplit {
    if (c.lastKey === undefined || c.high === undefined || c.rt.keyIndex < 0) return c.split;
    return { ...c.split, segments: [...c.split.segments, { lo: c.segLo, hi: String(c.lastKey + 1n), high: c.high }] };
  }

  private binlogState(b: BinlogRun): MySqlBinlogSplit {
    const pending = [...b.pending];
    const c = this.chunk;
    if (c !== undefined && c.owner === 'binlog') pending[0] = this.chunkState(c);
    const base = b.split;
    return {
      kind: 'binlog',
      splitId: BINLOG_SPLIT_ID,
      ...(b.gtidOnly || b.position === undefined ? {} : { position: b.position }),
      skipRows: b.skip,
      ...(b.gtidOnly || b.position === undefined ? { gtidStart: base.gtidStart ?? '' } : {}),
      ...(base.startTimestampMs !== undefined ? { startTimestampMs: base.startTimestampMs } : {}),
      tables: b.tables,
      segments: b.segments,
      pendingChunks: pending,
    };
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined || this.closed) return;
    this.failure = { error };
    this.signal.notify();
  }

  private report(split: MySqlSnapshotSplit): void {
    const event: MySqlCdcSourceEvent = { type: 'chunk-finished', split };
    this.context.sendSourceEventToCoordinator(event);
  }

  /**
   * Starts the next enumerator chunk, and asks for more while it is read: the reader keeps a batch of chunks ahead, so
   * that the next read starts when this one ends, without a round trip through the coordinator in between. Adjacent
   * chunks of one table are read by one SELECT in one snapshot (`readChunks`): a query costs this process about
   * 0.3 ms of CPU however small (one chunk of 8 096 rows takes about 4 ms), so reading four chunks per query saves
   * most of it, and each chunk still finishes, reports and checkpoints on its own. A reader left with nothing to read
   * ends its snapshot transaction (an open one holds the server's read view).
   */
  private next(): void {
    if (this.closed) return;
    if (this.chunk === undefined) {
      const run = this.ahead.shift();
      if (run !== undefined) {
        this.chunk = run;
      } else {
        const split = this.pending.shift();
        if (split !== undefined) {
          // The chunks after it wherever they are queued (splits may arrive in several calls, in any order).
          const group = [split];
          while (group.length < MAX_CHUNKS_PER_READ) {
            const prev = group[group.length - 1]!;
            const i = this.pending.findIndex((p) => readTogether(prev, p));
            if (i < 0) break;
            group.push(this.pending.splice(i, 1)[0]!);
          }
          this.readChunks(
            group.map((g) => this.chunkRun(g, tableRuntime(g.tableInfo, undefined), 'enumerator', () => undefined)),
          );
        }
      }
    }
    if (this.binlog === undefined && !this.requested && this.pending.length === 0) {
      this.requested = true;
      this.context.sendSplitRequest();
    }
    if (this.chunk === undefined) void this.endSnapshotTransaction();
  }

  /** Commits the snapshot transaction the last chunk left open (snapshot-chunk-reader.ts), if any. */
  private endSnapshotTransaction(): Promise<void> {
    const c = this.conn;
    if (!this.inTransaction || c === undefined) return Promise.resolve();
    this.inTransaction = false;
    return queryRows(c, 'COMMIT').then(
      () => undefined,
      (e) => this.fail(translateMySqlError(e, 'ending a snapshot transaction')),
    );
  }

  private async connection(): Promise<Connection> {
    if (this.conn === undefined) {
      this.conn = await openConnection(this.s.settings, `snapshot reader ${this.context.subtaskIndex}`, true);
      this.conn.on('error', (e) => this.fail(e));
    }
    this.method ??= await detectSnapshotMethod(this.conn);
    return this.conn;
  }

  private async lockConnection(): Promise<Connection> {
    this.lockConn ??= await openConnection(this.s.settings, `snapshot lock ${this.context.subtaskIndex}`);
    return this.lockConn;
  }

  private chunkRun(split: MySqlSnapshotSplit, rt: TableRuntime, owner: 'enumerator' | 'binlog', done: () => void): ChunkRun {
    const last = split.segments[split.segments.length - 1];
    const segLo = last === undefined ? split.range.start : last.hi;
    return { split, rt, owner, segLo, high: undefined, rows: [], head: 0, lastKey: undefined, readDone: false, output: undefined, done };
  }

  /**
   * Reads chunks with one SELECT in one snapshot: the first becomes the current chunk, the others wait in `ahead`
   * (nothing of them is emitted before the chunk ahead of them finished, so a checkpoint holds them as they came).
   * Rows come in key order and go to the chunk whose range holds their key; all of them share the snapshot's position.
   */
  private readChunks(runs: ChunkRun[]): void {
    const first = runs[0]!;
    this.chunk = first;
    for (let i = 1; i < runs.length; i++) this.ahead.push(runs[i]!);
    for (const run of runs) {
      const resumed = run.split.segments.length > 0;
      this.counters.chunkReads.inc();
      if (resumed) this.counters.chunkResumes.inc();
      const event: ChunkReadEvent = { subtask: this.context.subtaskIndex, splitId: run.split.splitId, from: run.segLo, resumed };
      this.s.onChunkRead?.(event);
      // Diagnostics (and the kill test's record of chunk reads across processes): one JSON line per chunk read.
      chunkLog({ type: 'read', ...event, start: run.split.range.start });
    }
    const rt = first.rt;
    // A resumed chunk whose every key was emitted has nothing left (and is read alone: `readTogether`).
    const finishedAlready = fullyEmitted(first.split);
    const keyIndex = rt.keyIndex;
    // The chunk rows go to now, and the end of its range (number and bigint forms: keys come as either).
    let at = 0;
    let run = first;
    let endBig = 0n;
    let endNum = 0;
    let bounded = false;
    const bound = (): void => {
      bounded = at < runs.length - 1;
      if (bounded) {
        endBig = BigInt(runs[at]!.split.range.end!);
        endNum = Number(endBig);
      }
    };
    bound();
    void (async () => {
      const c = await this.connection();
      if (this.closed) return;
      const hi = finishedAlready ? first.segLo : runs[runs.length - 1]!.split.range.end;
      const { convert, packet } = this.rowConverter(rt);
      this.inTransaction = true;
      await readChunk(c, () => this.lockConnection(), this.method!, rt.table, convert, packet, first.segLo, hi, {
        onStart: (high) => {
          for (const r of runs) r.high = high;
        },
        onRow: (fields) => {
          if (bounded) {
            const k = fields[keyIndex];
            while (bounded && (typeof k === 'bigint' ? k >= endBig : Number(k) >= endNum)) {
              run.readDone = true;
              if (run === this.chunk) this.signal.notify();
              run = runs[++at]!;
              bound();
            }
          }
          run.rows.push(fields);
          // A table without a chunk key is emitted only once read completely (see `pollNext`): never paused.
          if (++this.snapshotQueued >= this.maxBuffered && keyIndex >= 0 && !this.snapshotPaused) {
            this.snapshotPaused = true;
            c.pause();
          }
          if (run.rows.length - run.head === 1 && run === this.chunk) this.signal.notify();
        },
        onEnd: () => {
          for (let i = at; i < runs.length; i++) runs[i]!.readDone = true;
          this.signal.notify();
        },
        onError: (e) => this.fail(e),
      });
    })().catch((e) => this.fail(e));
  }

  private rowConverter(rt: TableRuntime): { convert: SnapshotRowConverter; packet: SnapshotPacketParser | undefined } {
    const key = JSON.stringify([rt.id, rt.table.columns]);
    let f = this.rowConverters.get(key);
    if (f === undefined) {
      const where = `table ${rt.id}`;
      f = { convert: snapshotRowConverter(rt.table.columns, where), packet: snapshotPacketParser(rt.table.columns, where) };
      this.rowConverters.set(key, f);
    }
    return f;
  }

  private finishChunk(c: ChunkRun, out: ReaderOutput<unknown>): void {
    const seg: SnapshotSegment = { lo: c.segLo, hi: c.split.range.end, high: c.high! };
    // A chunk resumed after its last key has nothing left: `[end, end)` would be an empty segment starting where the
    // next chunk starts (binlog-stream.ts ignores such segments too, for checkpoints written before this).
    const empty = fullyEmitted(c.split);
    const split: MySqlSnapshotSplit = { ...c.split, segments: empty ? c.split.segments : [...c.split.segments, seg], finished: true };
    out.releaseOutputForSplit(c.split.splitId);
    this.chunk = undefined;
    chunkLog({ type: 'finished', splitId: split.splitId });
    if (c.owner === 'enumerator') {
      this.unacked.set(split.splitId, split);
      this.report(split);
    } else {
      const b = this.binlog!;
      b.segments = { ...b.segments, [split.table]: [...(b.segments[split.table] ?? []), ...split.segments] };
      b.pending.shift();
    }
    c.done();
    this.next();
  }

  private startBinlog(split: MySqlBinlogSplit): void {
    const b: BinlogRun = {
      split,
      segments: { ...split.segments } as Record<string, SnapshotSegment[]>,
      tables: [...split.tables],
      pending: [...split.pendingChunks],
      stream: undefined,
      queue: [],
      head: 0,
      position: split.position,
      skip: split.skipRows,
      gtidOnly: split.position === undefined,
      output: undefined,
      paused: false,
    };
    this.binlog = b;
    void this.runBinlog(b).catch((e) => this.fail(e));
  }

  private async runBinlog(b: BinlogRun): Promise<void> {
    const settings = this.s.settings;
    if (settings.newlyAddedTables) await this.addNewTables(b);
    // Snapshot the chunks of newly added tables here, one after the other, before the binlog goes on.
    while (b.pending.length > 0 && !this.closed) {
      // An enumerator chunk still being emitted finishes first (it cannot be: the binlog comes after them).
      const split = b.pending[0]!;
      await new Promise<void>((resolve) => this.readChunks([this.chunkRun(split, tableRuntime(split.tableInfo, undefined), 'binlog', resolve)]));
    }
    await this.endSnapshotTransaction();
    if (this.closed) return;
    const runtimes = b.tables.map((t) => tableRuntime(t, b.segments[tableId(t)]));
    const serverId = settings.serverIds[0] + this.context.subtaskIndex;
    if (serverId > settings.serverIds[1]) {
      throw new MySqlCdcError(
        `mysql-cdc: 'server-id' ${settings.serverIds[0]}-${settings.serverIds[1]} has no id for reader ${this.context.subtaskIndex}: give a range with at least one id per parallel reader`,
        'configuration',
      );
    }
    const stream = new BinlogStream<unknown>(
      settings,
      serverId,
      { ...b.split, segments: b.segments, tables: b.tables, pendingChunks: [] },
      runtimes,
      this.s.mapper as ChangeMapper<unknown>,
      (entries) => {
        const wasEmpty = b.head >= b.queue.length;
        for (const e of entries) b.queue.push(e);
        if (!b.paused && b.queue.length - b.head >= this.maxBuffered) {
          b.paused = true;
          stream.pause();
        }
        if (wasEmpty) this.signal.notify();
      },
      (e) => this.fail(e),
    );
    b.stream = stream;
    if (this.closed) return;
    await stream.start();
    if (this.closed) stream.stop();
  }

  /** Finds tables matching the patterns that the binlog split does not capture yet, and plans their snapshot. */
  private async addNewTables(b: BinlogRun): Promise<void> {
    const settings = this.s.settings;
    const c = await openConnection(settings, 'discovering newly added tables');
    try {
      const known = new Set(b.tables.map(tableId));
      const found = await discoverTables(c, settings.databaseName, settings.tableName);
      for (const t of found) {
        if (known.has(tableId(t))) continue;
        const described = await describeTable(c, t.database, t.table);
        const ranges = await splitTable(c, described, settings.chunkSize);
        b.tables.push(described);
        ranges.forEach((r, i) => b.pending.push(snapshotSplit(described, i, r)));
      }
    } finally {
      await closeConnection(c);
    }
  }
}
