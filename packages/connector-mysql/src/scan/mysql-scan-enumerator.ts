// The enumerator of the scan source: the splits are planned up front (no query needed: the partition bounds are
// options) and handed out one per request, so a fast reader reads more ranges; when none is left the reader is told
// there are no more. A failed reader's splits come back with their positions and go first.
import type { SplitEnumerator, SplitEnumeratorContext } from '@runnel/api/connector';
import type { MySqlScanEnumeratorState, MySqlScanSplit } from './mysql-scan-split.js';

/**
 * Assigns scan splits on request.
 *
 * @internal
 */
export class MySqlScanEnumerator implements SplitEnumerator<MySqlScanSplit, MySqlScanEnumeratorState> {
  private readonly pending: MySqlScanSplit[];

  constructor(
    private readonly context: SplitEnumeratorContext<MySqlScanSplit>,
    splits: readonly MySqlScanSplit[],
  ) {
    this.pending = splits.slice();
  }

  start(): void {}

  handleSplitRequest(subtask: number): void {
    const split = this.pending.shift();
    if (split !== undefined) this.context.assignSplit(split, subtask);
    else this.context.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly MySqlScanSplit[]): void {
    this.pending.unshift(...splits);
  }

  addReader(): void {}

  snapshotState(): MySqlScanEnumeratorState {
    return { pending: this.pending.slice() };
  }

  close(): void {}
}
