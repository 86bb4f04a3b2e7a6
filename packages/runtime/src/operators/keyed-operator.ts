// Base of keyed operators: creates the keyed state backend for the subtask's key-group range, extracts the key of
// each record (Flink recomputes it from the record with the key selector instead of shipping it), makes it current
// in the backend, and owns the operator's timer service.
import { keyGroupFor, keyGroupRangeContains, VOID_NAMESPACE, type KeyedStateBackend } from '@runnel/api';
import type { KeySelector } from '../api/functions.js';
import { InternalTimerService, type Triggerable } from '../time/internal-timer-service.js';
import type { Timer } from '../time/timer-queue.js';
import { UdfOperator } from './basic-operators.js';
import type { OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';

/** @internal */
export abstract class KeyedOperator extends UdfOperator implements Triggerable {
  protected backend!: KeyedStateBackend;
  protected timers!: InternalTimerService;
  private readonly keySelectors: KeySelector<any, unknown>[];

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
    });
    this.timers = new InternalTimerService(this.backend, c.processingTime, this);
    await super.open();
  }

  /** Extracts the record's key and makes it current; returns the key. */
  protected setKeyOf(value: unknown, inputIndex: number): unknown {
    let key: unknown;
    let kg: number;
    try {
      key = this.keySelectors[inputIndex]!(value);
      kg = keyGroupFor(key, this.ctx.maxParallelism);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
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
    return key;
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
