// Gauges: a value holder for values the owner pushes (`gauge.value = x`), and a supplier-backed gauge for values
// that are cheaper to read on demand than to keep current (queue lengths, watermarks kept elsewhere).
import type { Gauge } from '@runnel/api/metrics';

/**
 * A gauge that holds a value; the owner writes `value` (a plain field) or calls `set`.
 *
 * @public
 */
export class SimpleGauge<T> implements Gauge<T> {
  readonly kind = 'gauge' as const;
  /** The current value; may be written directly. */
  value: T;

  constructor(initialValue: T) {
    this.value = initialValue;
  }

  set(value: T): void {
    this.value = value;
  }

  getValue(): T {
    return this.value;
  }
}

/**
 * A gauge that calls a supplier whenever it is read (by a snapshot or a reporter, never per record).
 *
 * @public
 */
export class FunctionGauge<T> implements Gauge<T> {
  readonly kind = 'gauge' as const;

  constructor(private readonly supplier: () => T) {}

  getValue(): T {
    return this.supplier();
  }
}
