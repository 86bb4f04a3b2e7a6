// Records everything an operator under test emits, in order: main-output records with their timestamps,
// side-output records by tag, watermarks and idleness changes.
import type { CountingOutput } from '@runnel/runtime/testing';

/**
 * One emission of an operator, in the order it happened.
 *
 * @public
 */
export type HarnessEmission<T = unknown> =
  | { readonly kind: 'record'; readonly value: T; readonly timestamp: number }
  | { readonly kind: 'side'; readonly tag: string; readonly value: unknown; readonly timestamp: number }
  | { readonly kind: 'watermark'; readonly watermark: number }
  | { readonly kind: 'idle'; readonly idle: boolean };

/**
 * A main-output record with its timestamp (-Infinity: none).
 *
 * @public
 */
export interface TimestampedValue<T> {
  readonly value: T;
  readonly timestamp: number;
}

/** The output the operator writes to. @internal */
export class RecordingOutput implements CountingOutput<unknown> {
  readonly counter = { count: 0 };
  readonly emissions: HarnessEmission[] = [];

  collect(value: unknown, timestamp: number): void {
    this.counter.count++;
    this.emissions.push({ kind: 'record', value, timestamp });
  }
  collectSide(tag: string, value: unknown, timestamp: number): void {
    this.emissions.push({ kind: 'side', tag, value, timestamp });
  }
  emitWatermark(watermark: number): void {
    this.emissions.push({ kind: 'watermark', watermark });
  }
  emitIdle(idle: boolean): void {
    this.emissions.push({ kind: 'idle', idle });
  }
}
