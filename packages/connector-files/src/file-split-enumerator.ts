// The enumerator of the file source: lists the path (once when bounded, periodically when continuous, always via
// `context.callAsync` so that file-system latency never blocks the coordinator) and hands out one file per split
// request. Pull-based assignment balances by speed: a fast reader asks more often and reads more files. Readers
// that ask while nothing is pending wait until discovery finds files (continuous) or until the first listing
// completes (bounded); a bounded source answers "no more splits" once everything is assigned.
import type { SplitEnumerator, SplitEnumeratorContext } from '@runnel/api/connector';
import { fileSplitOf, type FileEnumeratorState, type FileSplit } from './file-split.js';
import { listFiles } from './list-files.js';

/**
 * Settings of the {@link FileSplitEnumerator}.
 *
 * @public
 */
export interface FileSplitEnumeratorSettings {
  readonly path: string;
  /** Re-listing interval in ms; `undefined` makes the source bounded. */
  readonly monitorIntervalMs?: number;
}

/**
 * Assigns files to readers on request.
 *
 * @public
 */
export class FileSplitEnumerator implements SplitEnumerator<FileSplit, FileEnumeratorState> {
  private readonly pending: FileSplit[];
  private readonly discovered: Set<string>;
  private initialDiscoveryDone: boolean;
  /** Subtasks that asked for a split while none was available, in request order. */
  private readonly waiting: number[] = [];
  private closed = false;

  constructor(
    private readonly context: SplitEnumeratorContext<FileSplit>,
    private readonly settings: FileSplitEnumeratorSettings,
    restored?: FileEnumeratorState,
  ) {
    this.pending = restored ? restored.pendingSplits.slice() : [];
    this.discovered = new Set(restored?.discoveredPaths);
    this.initialDiscoveryDone = restored?.initialDiscoveryDone ?? false;
  }

  private get bounded(): boolean {
    return this.settings.monitorIntervalMs === undefined;
  }

  start(): void {
    const list = (): Promise<string[]> => listFiles(this.settings.path);
    const handler = (files: string[] | undefined, error: unknown): void => this.onListing(files, error);
    if (this.bounded) {
      // A restored bounded source keeps its original file set: files that appeared since are not part of it.
      if (!this.initialDiscoveryDone) this.context.callAsync(list, handler);
      return;
    }
    // Discover right away, then periodically (whether the periodic call also fires immediately does not matter:
    // the discovered-path set makes listings idempotent).
    this.context.callAsync(list, handler);
    this.context.callAsync(list, handler, this.settings.monitorIntervalMs);
  }

  private onListing(files: string[] | undefined, error: unknown): void {
    if (this.closed) return;
    if (error !== undefined && error !== null) {
      // Nothing is dropped silently: a path that cannot be listed fails the job (the runtime restarts it).
      throw new Error(`filesystem source: cannot list '${this.settings.path}': ${String(error)}`, { cause: error });
    }
    for (const path of files ?? []) {
      if (this.discovered.has(path)) continue;
      this.discovered.add(path);
      this.pending.push(fileSplitOf(path));
    }
    this.initialDiscoveryDone = true;
    this.serveWaiting();
  }

  private serveWaiting(): void {
    if (this.waiting.length === 0) return;
    const registered = new Set(this.context.registeredReaders());
    const stillWaiting: number[] = [];
    for (const subtask of this.waiting.splice(0)) {
      if (!registered.has(subtask)) continue; // a failed reader asks again after its restart
      if (!this.answer(subtask)) stillWaiting.push(subtask);
    }
    this.waiting.push(...stillWaiting);
  }

  /** Assigns a split or signals the end; false when the subtask has to wait. */
  private answer(subtask: number): boolean {
    const split = this.pending.shift();
    if (split !== undefined) {
      this.context.assignSplit(split, subtask);
      return true;
    }
    if (this.bounded && this.initialDiscoveryDone) {
      this.context.signalNoMoreSplits(subtask);
      return true;
    }
    return false;
  }

  handleSplitRequest(subtask: number): void {
    if (this.waiting.includes(subtask)) return;
    if (!this.answer(subtask)) this.waiting.push(subtask);
  }

  addSplitsBack(splits: readonly FileSplit[], _subtask: number): void {
    // Returned splits keep their positions and go first: they were handed out before the pending ones.
    this.pending.unshift(...splits);
    this.serveWaiting();
  }

  addReader(_subtask: number): void {
    // Assignment is pull-based: a new reader asks through `handleSplitRequest`.
  }

  snapshotState(_checkpointId: number): FileEnumeratorState {
    return {
      pendingSplits: this.pending.slice(),
      discoveredPaths: [...this.discovered],
      initialDiscoveryDone: this.initialDiscoveryDone,
    };
  }

  close(): void {
    this.closed = true;
  }
}
