// Drives a whole Source as a job does: the split enumerator on a hand-driven coordinator context and one reader
// subtask per parallel instance in the runtime's source operator. Assignments travel through the split serializer,
// checkpoints hold the enumerator state (its serializer's bytes) and every reader's splits, a failed reader's splits
// since the last checkpoint go back to the enumerator, and a checkpoint restores at any parallelism.
import type { InputStatus, Source, SourceSplit, SplitEnumerator, WatermarkStrategy } from '@runnel/api';
import { ManualClock } from '../harness/manual-clock.js';
import { combineSnapshots, OperatorSnapshot } from '../harness/operator-snapshot.js';
import { sourceHarness, type ReaderRequest, type SourceHarness } from '../harness/source-harness.js';
import { TestEnumeratorContext } from './enumerator-context.js';

/**
 * A source checkpoint: the enumerator's state as its serializer wrote it, and every reader's splits.
 *
 * @public
 */
export interface SourceCheckpoint {
  readonly checkpointId: number;
  readonly enumerator: { readonly serializerId: string; readonly version: number; readonly bytes: Uint8Array };
  readonly readers: OperatorSnapshot;
}

/**
 * Options of {@link SourceDriver.start}.
 *
 * @public
 */
export interface SourceDriverOptions<T> {
  /** Number of reader subtasks (default 1). */
  readonly parallelism?: number;
  /** A checkpoint to restore (taken at any parallelism). */
  readonly restore?: SourceCheckpoint;
  readonly watermarkStrategy?: WatermarkStrategy<T>;
  readonly clock?: ManualClock;
}

/**
 * A source's enumerator and readers, driven in the runtime's order.
 *
 * @public
 */
export class SourceDriver<T, Split extends SourceSplit = SourceSplit, EnumState = unknown> {
  /** The enumerator's context: every assignment, no-more-splits signal and event, in order. */
  readonly context: TestEnumeratorContext<Split>;
  readonly clock: ManualClock;
  private enumerator!: SplitEnumerator<Split, EnumState>;
  private readonly readers: (SourceHarness<T, Split> | undefined)[];
  /** Per reader: records up to its last checkpoint, and splits assigned since then. */
  private readonly kept: T[][];
  private readonly assignedSince: Split[][];
  private readonly waiting: (() => void)[][];
  private readonly ended: boolean[];
  private last: SourceCheckpoint | undefined;
  private nextId: number;
  private closed = false;

  private constructor(
    private readonly source: Source<T, Split, EnumState>,
    readonly parallelism: number,
    private readonly options: SourceDriverOptions<T>,
  ) {
    this.clock = options.clock ?? new ManualClock();
    this.context = new TestEnumeratorContext<Split>(parallelism, { registeredReaders: [] });
    this.readers = new Array(parallelism).fill(undefined);
    this.kept = Array.from({ length: parallelism }, () => []);
    this.assignedSince = Array.from({ length: parallelism }, () => []);
    this.waiting = Array.from({ length: parallelism }, () => []);
    this.ended = new Array(parallelism).fill(false);
    this.last = options.restore;
    this.nextId = (options.restore?.checkpointId ?? 0) + 1;
    // As the coordinator sends them: splits cross to the reader as their serializer's bytes.
    this.context.onAssign = (split, subtask) => {
      const ser = source.splitSerializer;
      const copy = ser.deserialize(ser.serialize(split), ser.version);
      this.assignedSince[subtask]!.push(copy);
      this.toReader(subtask, (r) => r.addSplits([copy]));
    };
    this.context.onNoMoreSplits = (subtask) => this.toReader(subtask, (r) => r.noMoreSplits());
  }

  /** Starts (or restores) the enumerator, then opens every reader, which registers with it. */
  static async start<T, Split extends SourceSplit, EnumState>(
    source: Source<T, Split, EnumState>,
    options: SourceDriverOptions<T> = {},
  ): Promise<SourceDriver<T, Split, EnumState>> {
    const parallelism = options.parallelism ?? 1;
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
    const d = new SourceDriver(source, parallelism, options);
    await d.startEnumerator();
    for (let s = 0; s < parallelism; s++) await d.openReader(s, options.restore?.readers);
    return d;
  }

  private async startEnumerator(): Promise<void> {
    const restored = this.options.restore?.enumerator;
    if (restored) {
      const ser = this.source.enumeratorStateSerializer;
      if (restored.serializerId !== ser.id) throw new Error(`the checkpoint's enumerator state was written by serializer '${restored.serializerId}', the source uses '${ser.id}'`);
      this.enumerator = this.source.restoreEnumerator(this.context, ser.deserialize(restored.bytes, restored.version));
    } else {
      this.enumerator = this.source.createEnumerator(this.context);
    }
    await this.enumerator.start();
  }

  private async openReader(subtask: number, restore: OperatorSnapshot | undefined): Promise<void> {
    const onRequest = (r: ReaderRequest): void => {
      if (r.kind === 'register') {
        if (!this.context.readers.includes(subtask)) this.context.readers.push(subtask);
        this.context.readers.sort((a, b) => a - b);
        this.enumerator.addReader(subtask);
      } else if (r.kind === 'split-request') this.enumerator.handleSplitRequest(subtask);
      else this.enumerator.handleSourceEvent?.(subtask, r.event);
    };
    const h = await sourceHarness<T, Split>(this.source, {
      name: 'source',
      parallelism: this.parallelism,
      subtaskIndex: subtask,
      restore,
      clock: this.clock,
      watermarkStrategy: this.options.watermarkStrategy,
      onRequest,
    });
    this.readers[subtask] = h;
    this.ended[subtask] = false;
    for (const f of this.waiting[subtask]!.splice(0)) f();
  }

  private toReader(subtask: number, f: (r: SourceHarness<T, Split>) => void): void {
    const r = this.readers[subtask];
    if (r !== undefined) f(r);
    else this.waiting[subtask]!.push(() => f(this.readers[subtask]!));
  }

  /** The reader harness of `subtask`. */
  reader(subtask: number): SourceHarness<T, Split> {
    const r = this.readers[subtask];
    if (r === undefined) throw new RangeError(`no reader ${subtask}: the source runs ${this.parallelism} readers`);
    return r;
  }

  /** Every record the readers emitted and still count (a failed reader's records since its checkpoint do not). */
  records(): T[] {
    const out: T[] = [];
    for (let s = 0; s < this.parallelism; s++) out.push(...this.kept[s]!, ...(this.readers[s]?.output() ?? []));
    return out;
  }

  /** The records emitted up to the last checkpoint (what a restore from it must not emit again). */
  recordsAtLastCheckpoint(): T[] {
    return this.kept.flat();
  }

  /** Whether every reader reported end of input. */
  get finished(): boolean {
    return this.ended.every((e) => e);
  }

  /**
   * One round: runs the enumerator's pending async calls (split discovery) once, then polls each reader that has not
   * ended once. Returns each reader's status.
   */
  async pollAll(): Promise<InputStatus[]> {
    this.checkOpen();
    await this.context.runCalls();
    const statuses: InputStatus[] = [];
    for (let s = 0; s < this.parallelism; s++) {
      if (this.ended[s]) {
        statuses.push('end-of-input');
        continue;
      }
      const st = this.reader(s).pollNext();
      if (st === 'end-of-input') this.ended[s] = true;
      statuses.push(st);
    }
    return statuses;
  }

  /**
   * Polls until every reader ended (a bounded source), or until `maxRecords` records count in total. When no reader
   * has anything, waits for the first reader to become available (at most `idleWaitMs`, default 2000) and fails
   * after `maxRounds` rounds, so an unbounded or stuck source cannot hang a test.
   */
  async run(options: { readonly maxRecords?: number; readonly maxRounds?: number; readonly idleWaitMs?: number } = {}): Promise<void> {
    const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
    const maxRounds = options.maxRounds ?? 1_000_000;
    for (let i = 0; i < maxRounds; i++) {
      if (this.finished || this.records().length >= max) return;
      const statuses = await this.pollAll();
      if (statuses.every((s) => s !== 'more-available')) {
        const waits = statuses.flatMap((s, k) => (s === 'nothing-available' ? [this.reader(k).reader.isAvailable()] : []));
        if (waits.length > 0 && this.context.calls.length === 0) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.idleWaitMs ?? 2_000)));
          await Promise.race([Promise.race(waits), timeout]);
          clearTimeout(timer);
        }
      }
    }
    if (!this.finished && this.records().length < max) throw new Error(`the source did not end (or reach ${max} records) in ${maxRounds} rounds`);
  }

  /** A checkpoint: the enumerator's state first (as FLIP-27 orders it), then every reader's splits. */
  async checkpoint(checkpointId?: number): Promise<SourceCheckpoint> {
    this.checkOpen();
    const id = checkpointId ?? this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    const ser = this.source.enumeratorStateSerializer;
    const enumerator = { serializerId: ser.id, version: ser.version, bytes: ser.serialize(this.enumerator.snapshotState(id)) };
    const parts: OperatorSnapshot[] = [];
    for (let s = 0; s < this.parallelism; s++) {
      const r = this.reader(s);
      parts.push(await r.snapshot(id));
      this.kept[s]!.push(...r.output());
      r.clearOutput();
      this.assignedSince[s] = [];
    }
    const cp: SourceCheckpoint = { checkpointId: id, enumerator, readers: combineSnapshots(parts) };
    this.last = cp;
    return cp;
  }

  /** Checkpoint `checkpointId` completed: the enumerator and the readers are told. */
  async complete(checkpointId: number): Promise<void> {
    this.checkOpen();
    this.enumerator.notifyCheckpointComplete?.(checkpointId);
    for (let s = 0; s < this.parallelism; s++) await this.reader(s).notifyCheckpointComplete(checkpointId);
  }

  /**
   * A failure of one reader (Flink's regional failover): the reader is closed, its records since the last checkpoint
   * are discarded, the splits assigned to it since then go back to the enumerator (`addSplitsBack`), and a new reader
   * restored from its part of the last checkpoint registers again.
   */
  async failReader(subtask: number): Promise<void> {
    const old = this.reader(subtask);
    await old.close();
    this.readers[subtask] = undefined;
    const back = this.assignedSince[subtask]!;
    this.assignedSince[subtask] = [];
    if (back.length > 0) this.enumerator.addSplitsBack(back, subtask);
    this.context.readers = this.context.readers.filter((r) => r !== subtask);
    const own = this.last?.readers.subtasks.find((s) => s.subtaskIndex === subtask && s.parallelism === this.parallelism);
    await this.openReader(subtask, own === undefined ? undefined : new OperatorSnapshot(this.last!.checkpointId, [own]));
  }

  /** A failure of the whole job: readers and enumerator closed, nothing more happens. */
  async crash(): Promise<void> {
    await this.close();
  }

  /** Closes readers and the enumerator (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.readers) await r?.close();
    await this.enumerator?.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the source driver is closed; start a new one to restore');
  }
}
