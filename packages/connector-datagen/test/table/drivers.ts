// Small hand-written drivers of the Source and Sink contracts for the table tests. This package is in the runtime's
// dependency closure, so it cannot devDepend on @runnel/testing (which depends on the runtime); these do the few
// things the tests need: a reader context, an output that records records and timestamps, an enumerator context
// that records assignments, a poll loop, and a sink writer context.
import type {
  Counter,
  InputStatus,
  MetricGroup,
  ReaderOutput,
  SinkWriterContext,
  SourceReader,
  SourceReaderContext,
  SourceSplit,
  SplitEnumeratorContext,
} from '@runnel/api';

const counter = (): Counter => {
  let n = 0;
  return { inc: (by = 1) => void (n += by), dec: (by = 1) => void (n -= by), getCount: () => n } as Counter;
};

/** A metric group that hands out working counters and ignores the rest. */
export const metricGroup = (): MetricGroup =>
  ({
    counter: () => counter(),
    gauge: (_n: string, g: unknown) => g,
    meter: () => ({}),
    histogram: () => ({}),
    addGroup: () => metricGroup(),
    getScopeComponents: () => [],
    getAllVariables: () => ({}),
    getMetricIdentifier: (name: string) => name,
  }) as unknown as MetricGroup;

export function readerContext(subtaskIndex = 0, parallelism = 1): SourceReaderContext & { splitRequests: number } {
  return {
    subtaskIndex,
    parallelism,
    metricGroup: metricGroup(),
    splitRequests: 0,
    sendSplitRequest() {
      this.splitRequests++;
    },
    sendSourceEventToCoordinator() {},
  };
}

/** Records what a reader emits (through any split output), with timestamps. */
export class RecordingOutput<T> implements ReaderOutput<T> {
  readonly records: T[] = [];
  readonly timestamps: (number | undefined)[] = [];
  readonly released: string[] = [];
  collect(record: T, timestamp?: number): void {
    this.records.push(record);
    this.timestamps.push(timestamp);
  }
  createOutputForSplit(): ReaderOutput<T> {
    return this;
  }
  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
  markIdle(): void {}
}

/** An enumerator context that records the splits assigned to each subtask. */
export class RecordingEnumeratorContext<S extends SourceSplit> implements SplitEnumeratorContext<S> {
  readonly assigned = new Map<number, S[]>();
  readonly noMoreSplits = new Set<number>();
  constructor(readonly currentParallelism: number) {}
  registeredReaders(): readonly number[] {
    return [];
  }
  assignSplits(assignment: ReadonlyMap<number, readonly S[]>): void {
    for (const [subtask, splits] of assignment) this.assignSplit(splits, subtask);
  }
  assignSplit(split: S | readonly S[], subtask: number): void {
    const list = this.assigned.get(subtask) ?? [];
    list.push(...(Array.isArray(split) ? split : [split as S]));
    this.assigned.set(subtask, list);
  }
  signalNoMoreSplits(subtask: number): void {
    this.noMoreSplits.add(subtask);
  }
  sendEventToSourceReader(): void {}
  callAsync(): void {}
}

/** Polls a synchronous reader until it blocks or ends, at most `maxPolls` times; returns the last status. */
export function pollUntilBlocked<T>(reader: SourceReader<T, any>, output: ReaderOutput<T>, maxPolls = 100_000): InputStatus {
  let status: InputStatus = 'more-available';
  for (let i = 0; i < maxPolls && status === 'more-available'; i++) status = reader.pollNext(output);
  return status;
}

/** A sink writer context (client messages are dropped). */
export function writerContext(subtaskIndex = 0, parallelism = 1): SinkWriterContext {
  return { subtaskIndex, parallelism, attemptNumber: 0, metricGroup: metricGroup(), sendToClient() {} };
}

export const recordContext = { timestamp: Number.NEGATIVE_INFINITY, currentWatermark: Number.NEGATIVE_INFINITY };
