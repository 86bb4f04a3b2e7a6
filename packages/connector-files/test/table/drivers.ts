// Small hand-written drivers of the Source and Sink contracts for the table tests. This package is in the runtime's
// dependency closure (a dev dependency of it), so it cannot devDepend on @runnel/testing, which depends on the
// runtime; these wire one reader to its enumerator, record what it emits, and give a sink writer its context.
import type {
  Counter,
  MetricGroup,
  ReaderOutput,
  SinkWriterContext,
  Source,
  SourceReader,
  SourceReaderContext,
  SplitEnumeratorContext,
} from '@runnel/api';
import type { FileSplit } from '../../src/file-split.js';

const counter = (): Counter => {
  let n = 0;
  return { inc: (by = 1) => void (n += by), dec: (by = 1) => void (n -= by), getCount: () => n } as Counter;
};

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

export function readerContext(onSplitRequest: () => void = () => {}): SourceReaderContext {
  return { subtaskIndex: 0, parallelism: 1, metricGroup: metricGroup(), sendSplitRequest: onSplitRequest, sendSourceEventToCoordinator() {} };
}

/** Records what a reader emits. */
export class RecordingOutput<T> implements ReaderOutput<T> {
  readonly records: T[] = [];
  collect(record: T): void {
    this.records.push(record);
  }
  createOutputForSplit(): ReaderOutput<T> {
    return this;
  }
  releaseOutputForSplit(): void {}
  markIdle(): void {}
}

/** Polls `reader` (waiting when it has nothing) until it ends; throws what the reader throws. */
export async function readToEnd<T>(reader: SourceReader<T, any>, output: ReaderOutput<T>, maxPolls = 100_000): Promise<void> {
  for (let i = 0; i < maxPolls; i++) {
    const status = reader.pollNext(output);
    if (status === 'end-of-input') return;
    if (status === 'nothing-available') await reader.isAvailable();
  }
  throw new Error(`the reader did not end within ${maxPolls} polls`);
}

/**
 * Runs a bounded file source with one reader wired to its enumerator (split requests answered, listings run once)
 * to its end; returns what it emitted.
 */
export async function runFileSource<T>(source: Source<T, FileSplit, any>): Promise<T[]> {
  let reader: SourceReader<T, FileSplit> | undefined;
  // Deliveries to the reader are deferred, as the runtime's messages are.
  const toReader = (f: (r: SourceReader<T, FileSplit>) => void): void => queueMicrotask(() => f(reader!));
  const enumContext: SplitEnumeratorContext<FileSplit> = {
    currentParallelism: 1,
    registeredReaders: () => [0],
    assignSplits: (m) => {
      for (const splits of m.values()) toReader((r) => r.addSplits(splits));
    },
    assignSplit: (s) => toReader((r) => r.addSplits([s])),
    signalNoMoreSplits: () => toReader((r) => r.notifyNoMoreSplits()),
    sendEventToSourceReader() {},
    callAsync: (callable, handler, period) => {
      if (period === undefined) void callable().then((v) => handler(v, undefined), (e: unknown) => handler(undefined, e));
    },
  };
  const enumerator = source.createEnumerator(enumContext);
  reader = source.createReader(readerContext(() => queueMicrotask(() => enumerator.handleSplitRequest(0))));
  await enumerator.start();
  enumerator.addReader(0);
  await reader.start();
  const out = new RecordingOutput<T>();
  try {
    await readToEnd(reader, out);
  } finally {
    await reader.close();
    await enumerator.close();
  }
  return out.records;
}

/** A sink writer context. */
export function writerContext(subtaskIndex = 0, parallelism = 1): SinkWriterContext {
  return { subtaskIndex, parallelism, attemptNumber: 0, metricGroup: metricGroup(), sendToClient() {} };
}

export const recordContext = { timestamp: Number.NEGATIVE_INFINITY, currentWatermark: Number.NEGATIVE_INFINITY };
