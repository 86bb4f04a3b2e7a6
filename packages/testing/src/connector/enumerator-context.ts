// A hand-driven SplitEnumeratorContext, for unit tests of a SplitEnumerator without the runtime's coordinator: it
// records assignments, no-more-splits signals and events, and runs the enumerator's async calls (split discovery)
// only when the test asks, so discovery happens at exact points.
import type { SourceSplit, SplitEnumeratorContext } from '@runnel/api';

interface AsyncCall {
  readonly callable: () => Promise<unknown>;
  readonly handler: (result: unknown, error: unknown) => void;
  readonly periodMs: number | undefined;
}

/**
 * A split enumerator context for tests.
 *
 * @public
 */
export class TestEnumeratorContext<Split extends SourceSplit> implements SplitEnumeratorContext<Split> {
  /** Every assignment, in order. */
  readonly assigned: { readonly split: Split; readonly subtask: number }[] = [];
  /** Subtasks told that no more splits will come, in order. */
  readonly noMoreSplits: number[] = [];
  /** Events sent to readers, in order. */
  readonly events: { readonly subtask: number; readonly event: unknown }[] = [];
  /** The registered readers (`registeredReaders()`); by default every subtask. Tests may change it. */
  readers: number[];
  /** Called for each assignment and no-more-splits signal (a driver forwards them to readers). */
  onAssign: ((split: Split, subtask: number) => void) | undefined;
  onNoMoreSplits: ((subtask: number) => void) | undefined;
  private readonly pending: AsyncCall[] = [];

  constructor(
    readonly currentParallelism = 1,
    options: { readonly registeredReaders?: readonly number[] } = {},
  ) {
    if (!Number.isInteger(currentParallelism) || currentParallelism < 1) throw new RangeError(`parallelism must be a positive integer, got ${currentParallelism}`);
    this.readers = options.registeredReaders ? [...options.registeredReaders] : Array.from({ length: currentParallelism }, (_, i) => i);
  }

  /** The splits assigned to `subtask`, in order. */
  assignedTo(subtask: number): Split[] {
    return this.assigned.filter((a) => a.subtask === subtask).map((a) => a.split);
  }

  /** Async calls registered and not run yet (periodic ones stay registered after running), with their periods. */
  get calls(): readonly { readonly periodMs: number | undefined }[] {
    return this.pending.map((c) => ({ periodMs: c.periodMs }));
  }

  registeredReaders(): readonly number[] {
    return this.readers;
  }
  assignSplits(assignment: ReadonlyMap<number, readonly Split[]>): void {
    for (const [subtask, splits] of assignment) for (const split of splits) this.assignSplit(split, subtask);
  }
  assignSplit(split: Split, subtask: number): void {
    if (!Number.isInteger(subtask) || subtask < 0 || subtask >= this.currentParallelism) {
      throw new RangeError(`split '${split.splitId}' assigned to subtask ${subtask}, the parallelism is ${this.currentParallelism}`);
    }
    this.assigned.push({ split, subtask });
    this.onAssign?.(split, subtask);
  }
  signalNoMoreSplits(subtask: number): void {
    this.noMoreSplits.push(subtask);
    this.onNoMoreSplits?.(subtask);
  }
  sendEventToSourceReader(subtask: number, event: unknown): void {
    this.events.push({ subtask, event });
  }
  callAsync<R>(callable: () => Promise<R>, handler: (result: R | undefined, error: unknown) => void, periodMs?: number): void {
    this.pending.push({ callable, handler: handler as AsyncCall['handler'], periodMs });
  }

  /** Runs every registered async call once, as the coordinator would (one-shot calls are then gone). */
  async runCalls(): Promise<void> {
    for (const call of this.pending.splice(0)) {
      let result: unknown;
      let error: unknown;
      try {
        result = await call.callable();
      } catch (e) {
        error = e;
      }
      call.handler(result, error);
      if (call.periodMs !== undefined && call.periodMs > 0) this.pending.push(call);
    }
  }
}
