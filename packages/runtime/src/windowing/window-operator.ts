// The window operator: assigns each record to windows, keeps window contents in keyed state under the window's
// namespace, registers a timer per (key, window) and fires when the watermark (or wall clock) passes the window's
// end. Session windows merge through a per-key merging-window set whose state windows stay stable while windows
// grow, so merging moves no state unnecessarily. Allowed lateness keeps windows around after firing; records that
// arrive after a window is cleaned up go to the late-data side output (or are counted as dropped).
//
// Session timers are lazy when a window's cleanup is its firing (processing time, or event time without allowed
// lateness): a merged window keeps a pending timer at or before its max timestamp, so a record that only extends a
// window (a key's records in order within the gap, the common case) changes no timer; a timer that fires before
// its window's max timestamp registers the one at it, which the same advance still fires when due.
import {
  VOID_NAMESPACE,
  type AggregatingState,
  type ListState,
  type ReducingState,
  type ValueState,
} from '@runnel/api';
import { KeyedOperator, type TimersOfState } from '../operators/keyed-operator.js';
import type { OperatorContext } from '../operators/stream-operator.js';
import { wrapUserError } from '../operators/user-function-error.js';
import { TimestampedCollector, instantiate } from '../operators/basic-operators.js';
import type { Timer } from '../time/timer-queue.js';
import { TimeWindow } from './time-window.js';
import type { WindowAssigner } from './window-assigners.js';
import type { ProcessWindowFunction, WindowContext, WindowFunctionSpec } from './window-functions.js';
import type { OutputTag } from '../api/output-tag.js';

/** The keyed state holding each window's contents (namespace: the window's start, or a merged window's id). */
const CONTENTS_STATE = 'window-contents';

type Contents = ReducingState<unknown> | AggregatingState<unknown, unknown> | ListState<unknown>;
/** [start, end, stateNamespace] of each merged window of the current key. */
type MergingSet = [number, number, string][];

/** @internal */
export interface WindowOperatorConfig {
  readonly assigner: WindowAssigner;
  readonly fn: WindowFunctionSpec;
  readonly allowedLateness: number;
  readonly lateDataTag: string | undefined;
}

/** @internal */
export class WindowOperator extends KeyedOperator {
  private contents!: Contents;
  private mergingSet: ValueState<MergingSet> | undefined;
  private readonly collector: TimestampedCollector<unknown>;
  private readonly pwf: ProcessWindowFunction<any, any, any> | undefined;
  private readonly single: unknown[] = [undefined];
  private readonly windowContext: WindowContext & { window: TimeWindow };
  /** Records dropped because they were late and no late-data output was set (numLateRecordsDropped). */
  lateRecordsDropped = 0;
  /** Merging windows whose firing is their cleanup keep lazy timers (see the header). */
  private readonly lazyTimers: boolean;

  constructor(ctx: OperatorContext, private readonly config: WindowOperatorConfig) {
    super(ctx);
    this.collector = new TimestampedCollector(ctx.output);
    this.pwf = instantiate(config.fn.process);
    this.rich = this.pwf;
    const self = this;
    this.windowContext = {
      window: new TimeWindow(0, 0),
      currentWatermark: () => self.currentWatermark,
      currentProcessingTime: () => self.ctx.processingTime.now(),
      output<X>(tag: OutputTag<X>, value: X): void {
        self.ctx.output.collectSide(tag.id, value, self.collector.timestamp);
      },
    };
    this.lazyTimers = config.assigner.isMerging && (!config.assigner.isEventTime || config.allowedLateness === 0);
    if (config.assigner.isMerging && config.fn.kind === 'aggregate' && !config.fn.aggregate?.merge) {
      throw new Error(`operator '${ctx.node.name}': session windows need an AggregateFunction with merge()`);
    }
  }

  override async open(): Promise<void> {
    await super.open();
    const fn = this.config.fn;
    const b = this.backend;
    this.contents =
      fn.kind === 'reduce'
        ? b.getReducingState({ kind: 'reducing', name: CONTENTS_STATE, reduce: fn.reduce! })
        : fn.kind === 'aggregate'
          ? b.getAggregatingState({ kind: 'aggregating', name: CONTENTS_STATE, aggregate: fn.aggregate! })
          : b.getListState({ kind: 'list', name: CONTENTS_STATE });
    if (this.config.assigner.isMerging) this.mergingSet = b.getValueState<MergingSet>({ kind: 'value', name: 'merging-window-set' });
    this.ctx.metricGroup.gauge('numLateRecordsDropped', () => this.lateRecordsDropped);
  }

  /**
   * Windows of a non-merging assigner whose contents live until their single timer fires (processing time, or
   * event time without allowed lateness): a window has contents exactly while its end-of-window timer is pending,
   * so checkpoints need not carry the timers — a restore re-registers one per window-contents entry. With allowed
   * lateness a fired window keeps its contents until a later cleanup timer, and a restore could not tell whether
   * it fired (the watermark is not checkpointed), so those timers stay checkpointed; so do merging windows'.
   */
  protected override timersFollowState(): TimersOfState | undefined {
    const a = this.config.assigner;
    if (a.isMerging || (a.isEventTime && this.config.allowedLateness !== 0)) return undefined;
    return { state: CONTENTS_STATE, processingTime: !a.isEventTime, timestampOf: (start) => new TimeWindow(start as number, (start as number) + a.size).maxTimestamp() };
  }

  processElement(value: unknown, timestamp: number): void {
    this.setKeyOf(value, 0);
    const a = this.config.assigner;
    let ts = timestamp;
    if (a.isEventTime) {
      if (ts === Number.NEGATIVE_INFINITY) {
        throw new Error(
          `operator '${this.ctx.node.name}': record has no timestamp; event-time windows need a WatermarkStrategy ` +
            '(fromSource(..., strategy) or assignTimestampsAndWatermarks)',
        );
      }
    } else {
      ts = this.ctx.processingTime.now();
    }
    const windows = a.assignWindows(ts);
    let skipped = true;
    if (a.isMerging) {
      for (const w of windows) if (this.addToMergingWindow(w, value)) skipped = false;
    } else {
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        if (this.isLate(w)) continue;
        skipped = false;
        this.backend.setCurrentNamespace(w.start);
        this.addContents(value);
        this.onElementTrigger(w, w.start);
      }
    }
    if (skipped) this.late(value, timestamp);
  }

  private late(value: unknown, timestamp: number): void {
    if (this.config.lateDataTag !== undefined) this.ctx.output.collectSide(this.config.lateDataTag, value, timestamp);
    else this.lateRecordsDropped++;
  }

  private addContents(value: unknown): void {
    try {
      this.contents.add(value);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
  }

  private cleanupTime(w: TimeWindow): number {
    return this.config.assigner.isEventTime ? w.maxTimestamp() + this.config.allowedLateness : w.maxTimestamp();
  }

  private isLate(w: TimeWindow): boolean {
    return this.config.assigner.isEventTime && this.cleanupTime(w) <= this.currentWatermark;
  }

  /** The default event-time / processing-time trigger, plus the cleanup timer. */
  private onElementTrigger(w: TimeWindow, ns: string | number): void {
    if (this.config.assigner.isEventTime) {
      if (w.maxTimestamp() <= this.currentWatermark) {
        // Late but within allowed lateness: fire again right away with the updated contents.
        this.fire(w);
      } else {
        this.timers.registerEventTimeTimer(ns, w.maxTimestamp());
      }
      const cleanup = this.cleanupTime(w);
      if (cleanup !== w.maxTimestamp()) this.timers.registerEventTimeTimer(ns, cleanup);
    } else {
      this.timers.registerProcessingTimeTimer(ns, w.maxTimestamp());
    }
  }

  /** Session windows: merge the new window into the key's set; returns false if the result is late. */
  private addToMergingWindow(w: TimeWindow, value: unknown): boolean {
    const b = this.backend;
    b.setCurrentNamespace(VOID_NAMESPACE);
    const set = this.mergingSet!.value();
    // Fast path: the window touches exactly one window of the key, which it does not extend to the left (records of
    // a key in order within the gap): that window grows in place, keeping its state namespace.
    if (set !== undefined) {
      let hit = -1;
      for (let i = 0; i < set.length; i++) {
        const e = set[i]!;
        if (e[0] <= w.end && e[1] >= w.start) {
          if (hit >= 0 || e[0] > w.start) {
            hit = -2;
            break;
          }
          hit = i;
        }
      }
      if (hit >= 0) return this.extendWindow(set, set[hit]!, w.end, value);
    }
    let merged = w;
    const overlapping: [number, number, string][] = [];
    const rest: MergingSet = [];
    for (const e of set ?? []) {
      const ew = new TimeWindow(e[0], e[1]);
      if (ew.intersects(merged)) {
        merged = merged.cover(ew);
        overlapping.push(e);
      } else rest.push(e);
    }
    // A second pass: the cover may now reach windows that did not intersect the original one.
    let grew = true;
    while (grew) {
      grew = false;
      for (let i = rest.length - 1; i >= 0; i--) {
        const e = rest[i]!;
        const ew = new TimeWindow(e[0], e[1]);
        if (ew.intersects(merged)) {
          merged = merged.cover(ew);
          overlapping.push(e);
          rest.splice(i, 1);
          grew = true;
        }
      }
    }
    if (this.isLate(merged)) {
      return false;
    }
    let stateNs: string;
    let keepsTimer = false;
    if (overlapping.length === 0) {
      stateNs = `${merged.start}:${merged.end}`;
    } else {
      stateNs = overlapping[0]![2];
      const sources = overlapping.slice(1).map((e) => e[2]);
      for (let i = 0; i < overlapping.length; i++) {
        const e = overlapping[i]!;
        // Timers of the windows that disappear into the merged one (lazy: the state window's timer stays, at or
        // before its old max timestamp, so at or before the merged one's).
        if (this.lazyTimers && i === 0) continue;
        this.deleteTriggerTimers(new TimeWindow(e[0], e[1]), e[2]);
      }
      keepsTimer = this.lazyTimers;
      if (sources.length > 0) b.mergeNamespaces(CONTENTS_STATE, stateNs, sources);
    }
    rest.push([merged.start, merged.end, stateNs]);
    b.setCurrentNamespace(VOID_NAMESPACE);
    this.mergingSet!.update(rest);
    b.setCurrentNamespace(stateNs);
    this.addContents(value);
    if (!keepsTimer) this.onElementTrigger(merged, stateNs);
    return true;
  }

  /** Grows the set's window `e` to `end` (if later) and adds the value to its contents (the fast path above). */
  private extendWindow(set: MergingSet, e: [number, number, string], end: number, value: unknown): boolean {
    const oldEnd = e[1];
    const newEnd = end > oldEnd ? end : oldEnd;
    const ns = e[2];
    const a = this.config.assigner;
    // Late: the same test as isLate() on the grown window.
    if (a.isEventTime && newEnd - 1 + this.config.allowedLateness <= this.currentWatermark) return false;
    if (newEnd !== oldEnd) {
      e[1] = newEnd;
      this.mergingSet!.update(set);
    }
    const b = this.backend;
    b.setCurrentNamespace(ns);
    this.addContents(value);
    if (this.lazyTimers) return true;
    // Eager timers (allowed lateness): the grown window's replace the old ones.
    const grown = new TimeWindow(e[0], newEnd);
    if (newEnd !== oldEnd) this.deleteTriggerTimers(new TimeWindow(e[0], oldEnd), ns);
    this.onElementTrigger(grown, ns);
    return true;
  }

  private deleteTriggerTimers(w: TimeWindow, ns: string): void {
    if (this.config.assigner.isEventTime) {
      this.timers.deleteEventTimeTimer(ns, w.maxTimestamp());
      this.timers.deleteEventTimeTimer(ns, this.cleanupTime(w));
    } else {
      this.timers.deleteProcessingTimeTimer(ns, w.maxTimestamp());
    }
  }

  private windowOf(timer: Timer): TimeWindow | undefined {
    if (!this.config.assigner.isMerging) {
      const start = timer.namespace as number;
      return new TimeWindow(start, start + this.config.assigner.size);
    }
    this.backend.setCurrentNamespace(VOID_NAMESPACE);
    const set = this.mergingSet!.value() ?? [];
    const e = set.find((x) => x[2] === timer.namespace);
    this.backend.setCurrentNamespace(timer.namespace);
    return e ? new TimeWindow(e[0], e[1]) : undefined;
  }

  override onEventTime(timer: Timer): void {
    const w = this.windowOf(timer);
    if (!w) return;
    if (timer.timestamp < w.maxTimestamp()) {
      // A lazy timer of a window that grew since: the grown window's.
      this.timers.registerEventTimeTimer(timer.namespace, w.maxTimestamp());
      return;
    }
    if (timer.timestamp === w.maxTimestamp()) this.fire(w);
    if (timer.timestamp === this.cleanupTime(w)) this.clear(timer.namespace);
  }

  override onProcessingTime(timer: Timer): void {
    const w = this.windowOf(timer);
    if (!w) return;
    if (timer.timestamp < w.maxTimestamp()) {
      this.timers.registerProcessingTimeTimer(timer.namespace, w.maxTimestamp());
      return;
    }
    this.fire(w);
    this.clear(timer.namespace);
  }

  private fire(w: TimeWindow): void {
    const contents = this.contents.get();
    if (contents === undefined || (Array.isArray(contents) && contents.length === 0 && this.config.fn.kind === 'process')) return;
    this.collector.timestamp = w.maxTimestamp();
    try {
      if (this.pwf) {
        this.windowContext.window = w;
        let elements: Iterable<unknown>;
        if (this.config.fn.kind === 'process') elements = contents as unknown[];
        else {
          this.single[0] = contents;
          elements = this.single;
        }
        this.pwf.process(this.backend.getCurrentKey(), this.windowContext, elements, this.collector);
      } else {
        this.collector.collect(contents);
      }
    } catch (e) {
      throw wrapUserError(e, this.ctx, { window: w.toString(), key: this.backend.getCurrentKey() });
    }
  }

  private clear(ns: string | number): void {
    this.backend.setCurrentNamespace(ns);
    this.contents.clear();
    if (this.mergingSet) {
      this.backend.setCurrentNamespace(VOID_NAMESPACE);
      const set = (this.mergingSet.value() ?? []).filter((e) => e[2] !== ns);
      if (set.length === 0) this.mergingSet.clear();
      else this.mergingSet.update(set);
    }
  }
}
