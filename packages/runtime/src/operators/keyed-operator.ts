// Base of keyed operators: creates the keyed state backend for the subtask's key-group range, extracts the key of
// each record (Flink recomputes it from the record with the key selector instead of shipping it), makes it current
// in the backend, and owns the operator's timer service.
import { keyGroupFor, keyGroupRangeContains, VOID_NAMESPACE, type KeyedStateBackend } from '@runnel/api';
import type { KeySelector } from '../api/functions.js';
import { InternalTimerService, type Triggerable } from '../time/internal-timer-service.js';
import type { Timer } from '../time/timer-queue.js';
import { KeyGroupsEncoder } from '@runnel/checkpoint';
import { UdfOperator } from './basic-operators.js';
import type { OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';
import {
  isTimerState,
  PROCESSING_TIMER_REMOVED_STATE,
  PROCESSING_TIMER_STATE,
  TIMER_REMOVED_STATE,
  TIMER_STATE,
  type OperatorCapture,
} from '../checkpointing/operator-snapshot.js';
import { TIMER_OPS, TimerChangeLog } from '../time/timer-change-log.js';
import { StateRestoreError } from '../checkpointing/state-restore-error.js';
import type { KeyGroupEntries, KeyedStateEncoder, KeyedStateEntry, StateMetaInfo } from '@runnel/api';

/** The pseudo-state a logged timer change is written to, by operation code. */
const TIMER_OP_STATES: readonly string[] = (() => {
  const a: string[] = [];
  a[TIMER_OPS.ADD_EVENT] = TIMER_STATE;
  a[TIMER_OPS.REMOVE_EVENT] = TIMER_REMOVED_STATE;
  a[TIMER_OPS.ADD_PROCESSING] = PROCESSING_TIMER_STATE;
  a[TIMER_OPS.REMOVE_PROCESSING] = PROCESSING_TIMER_REMOVED_STATE;
  return a;
})();

/**
 * Timers an operator keeps in one-to-one correspondence with the entries of one of its keyed states: every
 * (key, namespace) entry of `state` has exactly one pending timer, at `timestampOf(namespace)`, and no other timers
 * exist. Such timers need not be checkpointed: a restore re-creates them from the state's entries.
 *
 * @internal
 */
export interface TimersOfState {
  readonly state: string;
  readonly processingTime: boolean;
  timestampOf(namespace: string | number): number;
}

/** @internal */
export abstract class KeyedOperator extends UdfOperator implements Triggerable {
  protected backend!: KeyedStateBackend;
  protected timers!: InternalTimerService;
  private readonly keySelectors: KeySelector<any, unknown>[];
  /** Set when this operator's timers follow from a state (see {@link TimersOfState}); fixed at open. */
  private timersOfState: TimersOfState | undefined;
  private encoder: KeyGroupsEncoder | undefined;

  constructor(ctx: OperatorContext) {
    super(ctx);
    this.keySelectors = ctx.node.keySelectors.filter((k): k is KeySelector<any, unknown> => k !== undefined);
    if (this.keySelectors.length === 0) throw new Error(`operator '${ctx.node.name}' is keyed but has no key selector`);
  }

  protected override keyedBackend(): KeyedStateBackend {
    return this.backend;
  }

  override async open(): Promise<void> {
    const c = this.ctx;
    this.backend = await c.stateBackend.createKeyedStateBackend({
      jobId: c.jobId,
      operatorUid: c.node.uid,
      subtaskIndex: c.subtaskIndex,
      parallelism: c.parallelism,
      maxParallelism: c.maxParallelism,
      keyGroupRange: c.keyGroupRange,
      clock: () => c.processingTime.now(),
      metricGroup: c.metricGroup,
      incrementalSnapshots: c.incrementalCheckpoints,
    });
    this.timers = new InternalTimerService(this.backend, c.processingTime, this, this.backend.prefetch ? (t) => this.prefetchTimerKeys(t, true) : undefined);
    this.timers.currentWatermark = this.currentWatermark; // the restored watermark, if any
    const derived = (this.timersOfState = this.timersFollowState());
    const keyed = c.restore?.keyed;
    if (keyed) {
      if (!this.backend.restore) throw new Error(`state backend cannot restore keyed state (operator '${c.node.name}')`);
      const known = new Set(keyed.states.map((st) => st.name));
      const timerGroups: KeyGroupEntries[] = [];
      const stateGroups: KeyGroupEntries[] = [];
      for (const g of keyed.groups) {
        const timers: KeyedStateEntry[] = [];
        const rest: KeyedStateEntry[] = [];
        for (const e of g.entries) {
          if (isTimerState(e.state)) timers.push(e);
          else if (known.has(e.state)) {
            rest.push(e);
            if (derived !== undefined && e.state === derived.state) timers.push(timerOfEntry(derived, e));
          } else {
            throw new StateRestoreError(
              `cannot restore keyed state of operator '${c.node.name}' (uid ${c.node.uid}): the snapshot has entries of state ` +
                `'${e.state}', which its metadata does not list (known: ${[...known].join(', ') || 'none'}); the state files do not belong to this operator`,
            );
          }
        }
        if (timers.length > 0) timerGroups.push({ keyGroup: g.keyGroup, entries: timers });
        if (rest.length > 0) stateGroups.push({ keyGroup: g.keyGroup, entries: rest });
      }
      try {
        await this.backend.restore(keyed.states, stateGroups);
      } catch (e) {
        throw new Error(`cannot restore keyed state (${[...known].join(', ')}) of operator '${c.node.name}' (uid ${c.node.uid}): ${(e as Error).message}`, { cause: e });
      }
      // In order: a delta's removal cancels what its base (or an earlier delta) registered.
      for (const g of timerGroups) {
        for (const e of g.entries) {
          this.backend.setCurrentKey(e.key, g.keyGroup);
          const ts = e.value as number;
          if (e.state === TIMER_STATE) this.timers.registerEventTimeTimer(e.namespace, ts);
          else if (e.state === PROCESSING_TIMER_STATE) this.timers.registerProcessingTimeTimer(e.namespace, ts);
          else if (e.state === TIMER_REMOVED_STATE) this.timers.deleteEventTimeTimer(e.namespace, ts);
          else this.timers.deleteProcessingTimeTimer(e.namespace, ts);
        }
      }
    }
    // Incremental checkpoints: timer changes are logged from here on (restored timers belong to the base) — unless
    // the timers follow a state, whose changes the backend tracks anyway (a delta then carries no timers at all).
    if (c.incrementalCheckpoints && this.backend.snapshotChangesTo && derived === undefined) this.timers.changes = new TimerChangeLog();
    await super.open();
  }

  override snapshotState(checkpointId: number, baseCheckpointId = -1): OperatorCapture {
    const base = super.snapshotState(checkpointId);
    const range = this.ctx.keyGroupRange;
    const b = this.backend;
    const log = this.timers.changes;
    if (b.snapshotTo && b.snapshotChangesTo && baseCheckpointId >= 0 && (this.timersOfState !== undefined || log?.covers(baseCheckpointId))) {
      // Incremental: the state and timers that changed since the base checkpoint (no timers when they follow the
      // state: its changes imply them).
      const enc = this.captureEncoder();
      let into: KeyedStateEncoder = enc;
      if (log !== undefined) {
        const { starts, timers, ops } = log.seal(checkpointId, baseCheckpointId, range.start, range.end - range.start + 1)!;
        into = withTimers(enc, range.start, (i) => {
          for (let j = starts[i]!, end = starts[i + 1]!; j < end; j++) {
            const t = timers[j]!;
            enc.entry(TIMER_OP_STATES[ops[j]!]!, t.key, t.namespace, t.timestamp);
          }
        });
      }
      const states = b.snapshotChangesTo(checkpointId, baseCheckpointId, into);
      if (states !== undefined) return { ...base, keyed: this.encoded(enc, states, baseCheckpointId) };
      // The backend cannot (it lost track of that base): a full snapshot below, which needs no timer changes.
    } else {
      log?.seal(checkpointId);
    }
    // Full: all timers per key group of the subtask's range; they go into the same key-group blocks as the state.
    const eventTimers: Timer[][] = new Array(range.end - range.start + 1);
    const processingTimers: Timer[][] = new Array(range.end - range.start + 1);
    this.timers.eventTimers.forEach((t) => (eventTimers[t.keyGroup - range.start] ??= []).push(t));
    this.timers.processingTimers.forEach((t) => (processingTimers[t.keyGroup - range.start] ??= []).push(t));
    if (b.snapshotTo) {
      // In-memory state: encode at the barrier straight from the live tables (no copies, no entry objects).
      const enc = this.captureEncoder();
      const states = b.snapshotTo(checkpointId, withTimers(enc, range.start, (i) => {
        const ev = eventTimers[i];
        if (ev) for (const t of ev) enc.entry(TIMER_STATE, t.key, t.namespace, t.timestamp);
        const pt = processingTimers[i];
        if (pt) for (const t of pt) enc.entry(PROCESSING_TIMER_STATE, t.key, t.namespace, t.timestamp);
      }));
      return { ...base, keyed: this.encoded(enc, states) };
    }
    if (!b.snapshot) throw new Error(`state backend cannot snapshot keyed state (operator '${this.ctx.node.name}')`);
    const snapshot = b.snapshot(checkpointId);
    const timers: KeyGroupEntries[] = [];
    for (let i = 0; i < eventTimers.length; i++) {
      const entries: KeyedStateEntry[] = [];
      for (const t of eventTimers[i] ?? []) entries.push({ state: TIMER_STATE, key: t.key, namespace: t.namespace, value: t.timestamp });
      for (const t of processingTimers[i] ?? []) entries.push({ state: PROCESSING_TIMER_STATE, key: t.key, namespace: t.namespace, value: t.timestamp });
      if (entries.length > 0) timers.push({ keyGroup: range.start + i, entries });
    }
    return { ...base, keyed: { snapshot, timers } };
  }

  /** One encoder for all captures (its buffers keep their size; `encoded` copies the bytes out). */
  private captureEncoder(): KeyGroupsEncoder {
    if (this.encoder === undefined) this.encoder = new KeyGroupsEncoder();
    else this.encoder.reset();
    return this.encoder;
  }

  private encoded(enc: KeyGroupsEncoder, states: StateMetaInfo[], base?: number): NonNullable<OperatorCapture['keyed']> {
    const { bytes, index } = enc.finish();
    const encoded = { states, bytes: bytes.slice(), index: index as [number, number, number][] };
    return { encoded: base === undefined ? encoded : { ...encoded, base } };
  }

  /**
   * The state this operator's timers follow, if they do (see {@link TimersOfState}). Called once at open, before
   * restore; the answer must not change while the operator runs.
   */
  protected timersFollowState(): TimersOfState | undefined {
    return undefined;
  }

  /** The record's key (not made current). */
  protected keyOf(value: unknown, inputIndex: number): unknown {
    try {
      return this.keySelectors[inputIndex]!(value);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
  }

  /** Makes a key current in the state backend, checking that it belongs to this subtask's key groups. */
  protected makeKeyCurrent(key: unknown, value?: unknown): void {
    let kg: number;
    try {
      kg = keyGroupFor(key, this.ctx.maxParallelism);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value ?? { key });
    }
    if (!keyGroupRangeContains(this.ctx.keyGroupRange, kg)) {
      throw new Error(
        `operator '${this.ctx.node.name}': key ${JSON.stringify(key)} (key group ${kg}) arrived at subtask ` +
          `${this.ctx.subtaskIndex} that owns key groups ${this.ctx.keyGroupRange.start}-${this.ctx.keyGroupRange.end}; ` +
          'a keyed operator must be fed through keyBy() with the same key selector',
      );
    }
    this.backend.setCurrentKey(key, kg);
    this.backend.setCurrentNamespace(VOID_NAMESPACE);
  }

  /** Extracts the record's key and makes it current; returns the key. */
  protected setKeyOf(value: unknown, inputIndex: number): unknown {
    const key = this.keyOf(value, inputIndex);
    this.makeKeyCurrent(key, value);
    return key;
  }

  override get needsPrefetch(): boolean {
    return this.backend?.prefetch !== undefined;
  }

  /** Off-heap state: the keys (and key groups) of the input batch being processed, as last prefetched. */
  protected batchKeys: { keys: unknown[]; groups: number[] } | undefined;

  /** Keys to load together with the next input batch's (a subclass's buffered keys), or undefined. */
  protected extraPrefetchKeys(): readonly unknown[] | undefined {
    return undefined;
  }

  override prefetchRecords(values: readonly unknown[], inputs: readonly number[]): Promise<void> | undefined {
    const b = this.backend;
    const extra = b.prefetch ? this.extraPrefetchKeys() : undefined;
    if (!b.prefetch || (values.length === 0 && extra === undefined)) return undefined;
    const keys: unknown[] = new Array(values.length);
    const groups: number[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      try {
        keys[i] = this.keySelectors[inputs[i]!]!(values[i]);
        groups[i] = keyGroupFor(keys[i], this.ctx.maxParallelism);
      } catch (e) {
        throw wrapUserError(e, this.ctx, values[i]);
      }
    }
    if (extra !== undefined) {
      for (const k of extra) {
        keys.push(k);
        groups.push(keyGroupFor(k, this.ctx.maxParallelism));
      }
    }
    this.batchKeys = { keys, groups };
    return b.prefetch(keys, groups);
  }

  /**
   * Off-heap state: loads `keys` while the current input batch's keys stay resident (a prefetch of other keys alone
   * may evict keys of the batch whose records are still to come). Undefined when nothing had to be loaded.
   */
  protected prefetchWithBatch(keys: readonly unknown[]): Promise<void> | undefined {
    const b = this.backend;
    if (!b.prefetch) return undefined;
    const all = this.batchKeys ? [...this.batchKeys.keys] : [];
    const groups = this.batchKeys ? [...this.batchKeys.groups] : [];
    for (const k of keys) {
      all.push(k);
      groups.push(keyGroupFor(k, this.ctx.maxParallelism));
    }
    this.batchKeys = { keys: all, groups };
    return all.length === 0 ? undefined : b.prefetch(all, groups);
  }

  override prefetchTimers(watermark: number): Promise<void> | undefined {
    return this.prefetchTimerKeys(this.timers.eventTimers.dueUpTo(watermark), false);
  }

  private prefetchTimerKeys(timers: readonly { key: unknown; keyGroup: number }[], suspend: boolean): Promise<void> | undefined {
    const b = this.backend;
    if (!b.prefetch || timers.length === 0) return undefined;
    const p = b.prefetch(
      timers.map((t) => t.key),
      timers.map((t) => t.keyGroup),
    );
    if (p && suspend) this.ctx.suspendUntil(p);
    return p;
  }

  protected override onWatermark(watermark: number): void {
    this.timers.advanceWatermark(watermark);
  }

  onEventTime(_timer: Timer): void {}
  onProcessingTime(_timer: Timer): void {}

  override async close(): Promise<void> {
    this.timers?.dispose();
    await super.close();
    await this.backend?.dispose();
  }
}

/**
 * The timer a restored entry of a state that timers follow implies: registered with the entry, or cancelled by its
 * tombstone (a delta's removal), applied in chain order like logged timer changes. A snapshot that also lists the
 * timers (a full one) registers each twice, which the timer queue ignores.
 */
function timerOfEntry(derived: TimersOfState, e: KeyedStateEntry): KeyedStateEntry {
  const removed = e.value === undefined;
  const state = derived.processingTime
    ? removed
      ? PROCESSING_TIMER_REMOVED_STATE
      : PROCESSING_TIMER_STATE
    : removed
      ? TIMER_REMOVED_STATE
      : TIMER_STATE;
  const namespace = e.namespace as string | number;
  return { state, key: e.key, namespace, value: derived.timestampOf(namespace) };
}

/**
 * The encoder a backend captures into: its entries go to `enc`, and each key group's timers (`timersOf` with the
 * key group's index in the subtask's range) are appended before the group is closed, in the same block.
 */
function withTimers(enc: KeyGroupsEncoder, rangeStart: number, timersOf: (index: number) => void): KeyedStateEncoder {
  let current = -1;
  return {
    beginKeyGroup: (kg) => {
      current = kg;
      enc.beginKeyGroup(kg);
    },
    entry: (state, key, namespace, value) => enc.entry(state, key, namespace, value),
    endKeyGroup: () => {
      timersOf(current - rangeStart);
      enc.endKeyGroup();
    },
  };
}
