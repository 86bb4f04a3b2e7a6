// Small fakes of the runtime-side contexts, so tests drive sources and sinks through the contracts directly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Counter, Gauge, Histogram, Meter, MetricGroup } from '@runnel/api';
import type {
  ReaderOutput,
  SinkWriterContext,
  SourceReader,
  SourceReaderContext,
  SplitEnumeratorContext,
} from '@runnel/api/connector';
import type { FileSplit } from '../src/file-split.js';

export class FakeCounter implements Counter {
  readonly kind = 'counter';
  count = 0;
  inc(n = 1): void {
    this.count += n;
  }
  dec(n = 1): void {
    this.count -= n;
  }
  getCount(): number {
    return this.count;
  }
}

export class FakeMetricGroup implements MetricGroup {
  readonly counters = new Map<string, FakeCounter>();
  counter(name: string): Counter {
    let c = this.counters.get(name);
    if (c === undefined) this.counters.set(name, (c = new FakeCounter()));
    return c;
  }
  gauge<T>(_name: string, gauge: Gauge<T> | (() => T)): Gauge<T> {
    return typeof gauge === 'function' ? { kind: 'gauge', getValue: gauge } : gauge;
  }
  meter(): Meter {
    throw new Error('not needed');
  }
  histogram(): Histogram {
    throw new Error('not needed');
  }
  addGroup(): MetricGroup {
    return this;
  }
  getScopeComponents(): readonly string[] {
    return ['test'];
  }
  getAllVariables(): Readonly<Record<string, string>> {
    return {};
  }
  getMetricIdentifier(metricName: string): string {
    return `test.${metricName}`;
  }
}

export class FakeReaderContext implements SourceReaderContext {
  readonly metricGroup = new FakeMetricGroup();
  splitRequests = 0;
  constructor(
    readonly subtaskIndex = 0,
    readonly parallelism = 1,
  ) {}
  sendSplitRequest(): void {
    this.splitRequests++;
  }
  sendSourceEventToCoordinator(): void {}
}

export interface Emitted {
  readonly splitId: string;
  readonly record: unknown;
}

/** Collects what a reader emits, remembering the split output each record went through. */
export class CollectingOutput implements ReaderOutput<unknown> {
  readonly emitted: Emitted[];
  readonly released: string[];
  constructor(
    private readonly splitId = '<main>',
    shared?: { emitted: Emitted[]; released: string[] },
  ) {
    this.emitted = shared?.emitted ?? [];
    this.released = shared?.released ?? [];
  }
  collect(record: unknown): void {
    this.emitted.push({ splitId: this.splitId, record });
  }
  createOutputForSplit(splitId: string): ReaderOutput<unknown> {
    return new CollectingOutput(splitId, this);
  }
  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
  markIdle(): void {}
  records(): unknown[] {
    return this.emitted.map((e) => e.record);
  }
}

/** Polls until end of input (or until `stopAfter` records were emitted), awaiting `isAvailable` when idle. */
export async function drain(
  reader: SourceReader<unknown, FileSplit>,
  output: CollectingOutput,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<void> {
  for (;;) {
    const status = reader.pollNext(output);
    if (status === 'end-of-input' || output.emitted.length >= stopAfter) return;
    if (status === 'nothing-available') await reader.isAvailable();
  }
}

interface AsyncCall {
  readonly callable: () => Promise<unknown>;
  readonly handler: (result: unknown, error: unknown) => void;
  readonly periodMs: number | undefined;
}

export class FakeEnumeratorContext implements SplitEnumeratorContext<FileSplit> {
  readonly assigned: { split: FileSplit; subtask: number }[] = [];
  readonly noMoreSplits: number[] = [];
  readonly calls: AsyncCall[] = [];
  readers: number[];
  /** Where assignments go when a test wires real readers. */
  onAssign: ((split: FileSplit, subtask: number) => void) | undefined;
  onNoMoreSplits: ((subtask: number) => void) | undefined;

  constructor(readonly currentParallelism = 1) {
    this.readers = Array.from({ length: currentParallelism }, (_, i) => i);
  }
  registeredReaders(): readonly number[] {
    return this.readers;
  }
  assignSplits(assignment: ReadonlyMap<number, readonly FileSplit[]>): void {
    for (const [subtask, splits] of assignment) for (const split of splits) this.assignSplit(split, subtask);
  }
  assignSplit(split: FileSplit, subtask: number): void {
    this.assigned.push({ split, subtask });
    this.onAssign?.(split, subtask);
  }
  signalNoMoreSplits(subtask: number): void {
    this.noMoreSplits.push(subtask);
    this.onNoMoreSplits?.(subtask);
  }
  sendEventToSourceReader(): void {}
  callAsync<R>(callable: () => Promise<R>, handler: (result: R | undefined, error: unknown) => void, periodMs?: number): void {
    this.calls.push({ callable, handler: handler as AsyncCall['handler'], periodMs });
  }
  /** Runs the registered async calls once (a one-shot call only the first time), as the coordinator would. */
  async runCalls(): Promise<void> {
    for (const call of this.calls.splice(0)) {
      let result: unknown;
      let error: unknown;
      try {
        result = await call.callable();
      } catch (e) {
        error = e;
      }
      call.handler(result, error);
      if (call.periodMs !== undefined) this.calls.push(call);
    }
  }
}

export function sinkContext(subtaskIndex = 0, parallelism = 1): SinkWriterContext & { metricGroup: FakeMetricGroup } {
  return {
    subtaskIndex,
    parallelism,
    attemptNumber: 0,
    metricGroup: new FakeMetricGroup(),
    sendToClient(): void {},
  };
}

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-files-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
