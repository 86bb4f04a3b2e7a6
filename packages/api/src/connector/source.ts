// The Source contract, split-based as in Flink's FLIP-27: an enumerator (one per source, on the coordinator)
// discovers splits and assigns them to readers; a reader (one per parallel subtask) reads its splits and reports
// per-split positions. Readers are polled synchronously and never block the event loop: when nothing is
// available they return a promise that settles when data may be available again.
import type { VersionedSerializer } from '../serialization/versioned-serializer.js';
import type { MetricGroup } from '../metrics/metric-group.js';

/**
 * A unit of work of a source (a file, a Kafka partition, a range of generated events) with its position.
 *
 * @public
 */
export interface SourceSplit {
  /** Unique within the source. */
  readonly splitId: string;
}

/** @public */
export type Boundedness = 'bounded' | 'continuous-unbounded';

/**
 * What `SourceReader.pollNext` reports.
 * - `more-available`: call again soon;
 * - `nothing-available`: wait for `isAvailable()`;
 * - `end-of-input`: all splits finished and no more will come.
 *
 * @public
 */
export type InputStatus = 'more-available' | 'nothing-available' | 'end-of-input';

/**
 * Where a reader emits records. Records emitted through a split output get that split's watermarks.
 *
 * Every split handed to a reader (assigned, or restored from a checkpoint) holds the source's watermark from that
 * moment until the reader releases it with `releaseOutputForSplit` — also while the reader has not started
 * reading it — so that a reader holding several splits never lets the watermark of one pass another it has not
 * read yet. A restored split holds it at the watermark it had at the checkpoint. Readers therefore emit through
 * per-split outputs and release every split they finish (even one that emitted nothing); a reader that never
 * releases its splits holds the watermark until its end of input.
 *
 * @public
 */
export interface ReaderOutput<T> {
  /** Emits a record; `timestamp` is its event time if the source knows it (Kafka record time). */
  collect(record: T, timestamp?: number): void;
  /** A per-split output: watermarks are generated per split and the source emits their minimum. */
  createOutputForSplit(splitId: string): ReaderOutput<T>;
  /** A split was read to its end: it no longer holds back the watermark. */
  releaseOutputForSplit(splitId: string): void;
  /** Marks the (split) output idle until it emits again. */
  markIdle(): void;
}

/**
 * Context of a reader.
 *
 * @public
 */
export interface SourceReaderContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly metricGroup: MetricGroup;
  /** Asks the enumerator for a split (pull-based assignment). */
  sendSplitRequest(): void;
  /** Sends a custom event to the enumerator. */
  sendSourceEventToCoordinator(event: unknown): void;
}

/**
 * Reads the splits assigned to one parallel subtask.
 *
 * @public
 */
export interface SourceReader<T, Split extends SourceSplit> {
  start(): void | Promise<void>;
  /** Emits what is available now (a batch), synchronously. */
  pollNext(output: ReaderOutput<T>): InputStatus;
  /** Settles when `pollNext` may have something to emit. */
  isAvailable(): Promise<void>;
  /** Splits to read; each holds the source's watermark until the reader releases it (see {@link ReaderOutput}). */
  addSplits(splits: readonly Split[]): void;
  notifyNoMoreSplits(): void;
  /** The current position of every unfinished split, captured synchronously at a checkpoint barrier. */
  snapshotState(checkpointId: number): Split[];
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  handleSourceEvent?(event: unknown): void;
  /** Idempotent. */
  close(): void | Promise<void>;
}

/**
 * Context of an enumerator.
 *
 * @public
 */
export interface SplitEnumeratorContext<Split extends SourceSplit> {
  readonly currentParallelism: number;
  /** Subtasks whose reader has registered. */
  registeredReaders(): readonly number[];
  assignSplits(assignment: ReadonlyMap<number, readonly Split[]>): void;
  assignSplit(split: Split, subtask: number): void;
  signalNoMoreSplits(subtask: number): void;
  sendEventToSourceReader(subtask: number, event: unknown): void;
  /** Runs `callable` every `periodMs` on the coordinator, handing its result to `handler` (split discovery). */
  callAsync<R>(callable: () => Promise<R>, handler: (result: R | undefined, error: unknown) => void, periodMs?: number): void;
}

/**
 * Discovers splits and assigns them to readers; runs once per source on the coordinator.
 *
 * @public
 */
export interface SplitEnumerator<Split extends SourceSplit, EnumState> {
  start(): void | Promise<void>;
  handleSplitRequest(subtask: number): void;
  /** Splits of a failed reader come back for reassignment. */
  addSplitsBack(splits: readonly Split[], subtask: number): void;
  addReader(subtask: number): void;
  snapshotState(checkpointId: number): EnumState;
  notifyCheckpointComplete?(checkpointId: number): void;
  handleSourceEvent?(subtask: number, event: unknown): void;
  /** Idempotent. */
  close(): void | Promise<void>;
}

/**
 * A source: the factory of its enumerator and readers and the serializers of their state.
 *
 * @public
 */
export interface Source<T, Split extends SourceSplit = SourceSplit, EnumState = unknown> {
  readonly boundedness: Boundedness;
  createEnumerator(context: SplitEnumeratorContext<Split>): SplitEnumerator<Split, EnumState>;
  restoreEnumerator(context: SplitEnumeratorContext<Split>, state: EnumState): SplitEnumerator<Split, EnumState>;
  createReader(context: SourceReaderContext): SourceReader<T, Split>;
  readonly splitSerializer: VersionedSerializer<Split>;
  readonly enumeratorStateSerializer: VersionedSerializer<EnumState>;
}
