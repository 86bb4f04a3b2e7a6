// Fakes of the reader side of the Source contract, for unit tests of a SourceReader without the runtime: a reader
// context that records split requests and events, an output that records what was emitted through which split
// output, and a poll loop.
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext, SourceSplit } from '@runnel/api';
import { TestMetricGroup } from './test-metric-group.js';

/**
 * A reader context that records what the reader sends to its enumerator.
 *
 * @public
 */
export class TestReaderContext implements SourceReaderContext {
  readonly metricGroup = new TestMetricGroup();
  /** Split requests sent. */
  splitRequests = 0;
  /** Source events sent to the enumerator, in order. */
  readonly events: unknown[] = [];
  /** Called on every split request (e.g. to answer it). */
  onSplitRequest: (() => void) | undefined;

  constructor(
    readonly subtaskIndex = 0,
    readonly parallelism = 1,
  ) {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
    if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) throw new RangeError(`subtaskIndex must be in [0, ${parallelism - 1}], got ${subtaskIndex}`);
  }
  sendSplitRequest(): void {
    this.splitRequests++;
    this.onSplitRequest?.();
  }
  sendSourceEventToCoordinator(event: unknown): void {
    this.events.push(event);
  }
}

/**
 * One record a reader emitted: through which split output (`undefined`: the main output), with its timestamp.
 *
 * @public
 */
export interface EmittedRecord<T> {
  readonly splitId: string | undefined;
  readonly record: T;
  readonly timestamp: number | undefined;
}

/**
 * A ReaderOutput that records what a reader emits, per split output, and which outputs it created, released and
 * marked idle.
 *
 * @public
 */
export class RecordingReaderOutput<T> implements ReaderOutput<T> {
  /** Every record, in order. */
  readonly emitted: EmittedRecord<T>[] = [];
  /** Split outputs created, released and marked idle, in order (`<main>` for the main output's idleness). */
  readonly created: string[] = [];
  readonly released: string[] = [];
  readonly idle: string[] = [];

  /** The records, in order. */
  get records(): T[] {
    return this.emitted.map((e) => e.record);
  }
  /** The records emitted through the output of `splitId`. */
  recordsOf(splitId: string): T[] {
    return this.emitted.filter((e) => e.splitId === splitId).map((e) => e.record);
  }

  collect(record: T, timestamp?: number): void {
    this.emitted.push({ splitId: undefined, record, timestamp });
  }
  createOutputForSplit(splitId: string): ReaderOutput<T> {
    this.created.push(splitId);
    const parent = this;
    return {
      collect: (record, timestamp) => void parent.emitted.push({ splitId, record, timestamp }),
      createOutputForSplit: (id) => parent.createOutputForSplit(id),
      releaseOutputForSplit: (id) => parent.releaseOutputForSplit(id),
      markIdle: () => void parent.idle.push(splitId),
    };
  }
  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
  markIdle(): void {
    this.idle.push('<main>');
  }
}

/**
 * Polls a reader until end of input or until `maxRecords` records were emitted to `output`; when the reader has
 * nothing available it awaits `isAvailable()` (or returns, with `waitWhenIdle: false`). Returns the last status.
 *
 * @throws Error after `maxPolls` polls (default 1 M) without end of input.
 * @public
 */
export async function pollReader<T, S extends SourceSplit>(
  reader: SourceReader<T, S>,
  output: RecordingReaderOutput<T>,
  options: { readonly maxRecords?: number; readonly waitWhenIdle?: boolean; readonly maxPolls?: number } = {},
): Promise<InputStatus> {
  const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxPolls = options.maxPolls ?? 1_000_000;
  for (let i = 0; i < maxPolls; i++) {
    const status = reader.pollNext(output);
    if (status === 'end-of-input' || output.emitted.length >= max) return status;
    if (status === 'nothing-available') {
      if (options.waitWhenIdle === false) return status;
      await reader.isAvailable();
    }
  }
  throw new Error(`pollReader: no end of input after ${maxPolls} polls`);
}

/**
 * Polls a reader synchronously until it reports end of input or has nothing available (or after `maxPolls`
 * polls); returns every status it reported, in order. For readers whose data is ready without waiting.
 *
 * @public
 */
export function pollUntilBlocked<T, S extends SourceSplit>(reader: SourceReader<T, S>, output: ReaderOutput<T>, maxPolls = 1_000_000): InputStatus[] {
  const statuses: InputStatus[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const s = reader.pollNext(output);
    statuses.push(s);
    if (s !== 'more-available') break;
  }
  return statuses;
}
