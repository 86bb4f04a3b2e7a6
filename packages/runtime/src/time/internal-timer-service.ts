// Event-time and processing-time timers of one keyed operator, per key and namespace. Event-time timers fire when
// the operator's watermark passes them; processing-time timers through the task's ProcessingTimeService. Before a
// timer fires, the key (and namespace) is made current in the state backend so the callback sees that key's state.
import type { KeyedStateBackend } from '@runnel/api';
import type { ProcessingTimeService } from './processing-time-service.js';
import { TimerQueue, type Timer } from './timer-queue.js';
import type { TimerChangeLog } from './timer-change-log.js';

/** @internal */
export interface Triggerable {
  onEventTime(timer: Timer): void;
  onProcessingTime(timer: Timer): void;
}

/** @internal */
export class InternalTimerService {
  readonly eventTimers = new TimerQueue();
  readonly processingTimers = new TimerQueue();
  private scheduledProcessingTime = Number.POSITIVE_INFINITY;
  private cancelScheduled: (() => void) | undefined;
  currentWatermark = Number.NEGATIVE_INFINITY;
  /** Records timer changes for incremental snapshots, when set. */
  changes: TimerChangeLog | undefined;

  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly processingTime: ProcessingTimeService,
    private readonly target: Triggerable,
    /** Backends that keep state off-heap: suspends the task until the keys are resident. */
    private readonly prefetch?: (timers: readonly Timer[]) => Promise<void> | undefined,
  ) {}

  registerEventTimeTimer(namespace: string | number, time: number): void {
    const t = this.eventTimers.add(time, this.backend.getCurrentKey(), this.backend.getCurrentKeyGroup(), namespace);
    if (t !== undefined && this.changes !== undefined) this.changes.added(t, false);
  }

  deleteEventTimeTimer(namespace: string | number, time: number): void {
    const t = this.eventTimers.delete(time, this.backend.getCurrentKey(), namespace);
    if (t !== undefined && this.changes !== undefined) this.changes.removed(t, false);
  }

  registerProcessingTimeTimer(namespace: string | number, time: number): void {
    const t = this.processingTimers.add(time, this.backend.getCurrentKey(), this.backend.getCurrentKeyGroup(), namespace);
    if (t !== undefined && this.changes !== undefined) this.changes.added(t, true);
    if (time < this.scheduledProcessingTime) this.schedule(time);
  }

  deleteProcessingTimeTimer(namespace: string | number, time: number): void {
    const t = this.processingTimers.delete(time, this.backend.getCurrentKey(), namespace);
    if (t !== undefined && this.changes !== undefined) this.changes.removed(t, true);
  }

  /** Fires every event-time timer ≤ watermark, in timestamp order. */
  advanceWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    let batch: Timer[] | undefined;
    while ((batch = this.eventTimers.pollUpTo(watermark)) !== undefined) {
      if (this.changes !== undefined) this.changes.removedAll(batch, false);
      for (let i = 0; i < batch.length; i++) {
        const t = batch[i]!;
        this.backend.setCurrentKey(t.key, t.keyGroup);
        this.backend.setCurrentNamespace(t.namespace);
        this.target.onEventTime(t);
      }
    }
  }

  private schedule(time: number): void {
    this.cancelScheduled?.();
    this.scheduledProcessingTime = time;
    this.cancelScheduled = this.processingTime.registerTimer(time, (now) => this.onProcessingTime(now));
  }

  private onProcessingTime(now: number): void {
    this.scheduledProcessingTime = Number.POSITIVE_INFINITY;
    this.cancelScheduled = undefined;
    const p = this.prefetch?.(this.processingTimers.dueUpTo(now - 1));
    if (p) {
      p.then(() => this.fireProcessingTimers(now), () => this.fireProcessingTimers(now));
      return;
    }
    this.fireProcessingTimers(now);
  }

  private fireProcessingTimers(now: number): void {
    let batch: Timer[] | undefined;
    while ((batch = this.processingTimers.pollUpTo(now - 1)) !== undefined) {
      if (this.changes !== undefined) this.changes.removedAll(batch, true);
      for (let i = 0; i < batch.length; i++) {
        const t = batch[i]!;
        this.backend.setCurrentKey(t.key, t.keyGroup);
        this.backend.setCurrentNamespace(t.namespace);
        this.target.onProcessingTime(t);
      }
    }
    const next = this.processingTimers.peekTimestamp();
    if (next !== Number.POSITIVE_INFINITY) this.schedule(next);
  }

  /** Stops the scheduled processing-time callback. */
  dispose(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
  }
}
