// Enumerator of the generator sources: all splits exist up front, split i belongs to subtask i mod parallelism
// and is assigned when that subtask's reader registers, followed by "no more splits" (as Flink's
// NumberSequenceSource does). Its state is only the splits not yet handed out: assigned splits live in the
// readers' state, so a restore (at any parallelism) never duplicates or loses a split.
import type { SplitEnumerator, SplitEnumeratorContext } from '@runnel/api/connector';
import type { SequenceEnumeratorState, SequenceSplit } from './sequence-split.js';

/**
 * Static split assignment by split index.
 *
 * @public
 */
export class StaticSplitEnumerator implements SplitEnumerator<SequenceSplit, SequenceEnumeratorState> {
  private pending: SequenceSplit[];

  constructor(
    private readonly context: SplitEnumeratorContext<SequenceSplit>,
    pending: readonly SequenceSplit[],
  ) {
    this.pending = [...pending];
  }

  start(): void {
    // Readers that registered before start (or a restored enumerator) get their splits now.
    for (const subtask of this.context.registeredReaders()) this.assignTo(subtask);
  }

  handleSplitRequest(subtask: number): void {
    this.assignTo(subtask);
  }

  addSplitsBack(splits: readonly SequenceSplit[], _subtask: number): void {
    this.pending.push(...splits);
    // The failed reader gets its splits back when it registers again; a live owner gets them now.
    const live = new Set(this.context.registeredReaders());
    for (const s of new Set(splits.map((sp) => sp.index % this.context.currentParallelism))) {
      if (live.has(s)) this.assignTo(s);
    }
  }

  addReader(subtask: number): void {
    this.assignTo(subtask);
  }

  snapshotState(_checkpointId: number): SequenceEnumeratorState {
    return { pending: this.pending.map((s) => ({ ...s })) };
  }

  close(): void {}

  private assignTo(subtask: number): void {
    const p = this.context.currentParallelism;
    const mine = this.pending.filter((s) => s.index % p === subtask);
    if (mine.length > 0) {
      this.pending = this.pending.filter((s) => s.index % p !== subtask);
      this.context.assignSplits(new Map([[subtask, mine]]));
    }
    this.context.signalNoMoreSplits(subtask);
  }
}
