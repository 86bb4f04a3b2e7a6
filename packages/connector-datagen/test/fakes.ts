// Fake runtime contexts for driving sources and sinks through the @runnel/api contracts in tests.
import type { MetricGroup } from '@runnel/api';
import type {
  ReaderOutput,
  SinkWriterContext,
  SourceReader,
  SourceReaderContext,
  SourceSplit,
  SplitEnumeratorContext,
} from '@runnel/api/connector';

export const noMetrics = {} as MetricGroup;

export class FakeEnumeratorContext<S extends SourceSplit> implements SplitEnumeratorContext<S> {
  readonly assigned = new Map<number, S[]>();
  readonly noMoreSplits = new Set<number>();
  readonly registered: number[] = [];
  constructor(readonly currentParallelism: number) {}
  registeredReaders(): readonly number[] {
    return this.registered;
  }
  assignSplits(assignment: ReadonlyMap<number, readonly S[]>): void {
    for (const [subtask, splits] of assignment) this.assignSplit0(subtask, splits);
  }
  assignSplit(split: S, subtask: number): void {
    this.assignSplit0(subtask, [split]);
  }
  private assignSplit0(subtask: number, splits: readonly S[]): void {
    const list = this.assigned.get(subtask) ?? [];
    list.push(...splits);
    this.assigned.set(subtask, list);
  }
  signalNoMoreSplits(subtask: number): void {
    this.noMoreSplits.add(subtask);
  }
  sendEventToSourceReader(): void {}
  callAsync(): void {}
}

export function readerContext(subtaskIndex: number, parallelism: number): SourceReaderContext {
  return {
    subtaskIndex,
    parallelism,
    metricGroup: noMetrics,
    sendSplitRequest() {},
    sendSourceEventToCoordinator() {},
  };
}

/** Records everything emitted, per split, with timestamps. */
export class RecordingOutput<T> implements ReaderOutput<T> {
  readonly records: T[] = [];
  readonly timestamps: (number | undefined)[] = [];
  readonly bySplit = new Map<string, T[]>();
  readonly created: string[] = [];
  readonly released: string[] = [];
  collect(record: T, timestamp?: number): void {
    this.records.push(record);
    this.timestamps.push(timestamp);
  }
  createOutputForSplit(splitId: string): ReaderOutput<T> {
    this.created.push(splitId);
    const list: T[] = [];
    this.bySplit.set(splitId, list);
    const parent = this;
    return {
      collect(record: T, timestamp?: number) {
        list.push(record);
        parent.collect(record, timestamp);
      },
      createOutputForSplit: (id) => parent.createOutputForSplit(id),
      releaseOutputForSplit: (id) => parent.releaseOutputForSplit(id),
      markIdle() {},
    };
  }
  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
  markIdle(): void {}
}

/** Polls until end-of-input (or `maxPolls`), returning the statuses seen. */
export function pollToEnd<T, S extends SourceSplit>(reader: SourceReader<T, S>, output: ReaderOutput<T>, maxPolls = 1_000_000): string[] {
  const statuses: string[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const s = reader.pollNext(output);
    statuses.push(s);
    if (s === 'end-of-input') return statuses;
    if (s === 'nothing-available') return statuses;
  }
  return statuses;
}

export function sinkContext(
  subtaskIndex: number,
  parallelism: number,
  sent: { channel: string; values: readonly unknown[] }[] = [],
): SinkWriterContext {
  return {
    subtaskIndex,
    parallelism,
    attemptNumber: 0,
    metricGroup: noMetrics,
    sendToClient(channel, values) {
      sent.push({ channel, values });
    },
  };
}

export const recordContext = { timestamp: Number.NEGATIVE_INFINITY, currentWatermark: Number.NEGATIVE_INFINITY };
