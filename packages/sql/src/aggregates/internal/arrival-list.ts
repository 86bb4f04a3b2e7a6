// The accumulator of the order-sensitive aggregates over retracting input (FIRST_VALUE, LAST_VALUE, LISTAGG): the
// live values in arrival order, with retraction of one occurrence of a value. Like Flink's *WithRetract functions,
// a retraction removes the earliest live occurrence of an equal value. Unlike them it does not use the wall clock
// for order (Flink orders by System.currentTimeMillis(), so rows within one millisecond tie); the order is the
// arrival number.
//
// Layout (plain data, for the state codec): `vals` holds the values in arrival order with null in place of retracted
// ones (the aggregates ignore NULL inputs, so null is free as a tombstone); `h` is the index of the first live value
// and the array is trimmed at its end, so the first and the last live values are read in O(1). The retracted prefix
// is cut off once it is more than half the array (amortised O(1)); `base` is the arrival number of vals[0], so the
// arrival numbers kept in `at` stay valid across that cut. `at` maps a value's canonical key to the arrival numbers
// of its live occurrences, a number for one (the common case: no array per value), an ascending array for several.
// `pend` counts retractions that arrived before the row they retract (possible when the -U and the +I of a row come
// through different channels); the matching accumulation then cancels instead of adding.
import { canonicalKey } from './canonical-key.js';

/**
 * Live values in arrival order, retractable by value.
 *
 * @internal
 */
export interface ArrivalList {
  /** Index in `vals` of the first live value (`vals.length` when none). */
  h: number;
  /** Arrival number of `vals[0]`. */
  base: number;
  /** Values in arrival order; null where a value was retracted. */
  vals: unknown[];
  /** Number of live values. */
  live: number;
  /** Canonical key → arrival numbers of its live occurrences (ascending). */
  at: Map<unknown, number | number[]>;
  /** Retractions not matched yet: canonical key → count; null when there are none. */
  pend: Map<unknown, number> | null;
}

const COMPACT_MIN = 32;

/**
 * An empty list.
 *
 * @internal
 */
export function newArrivalList(): ArrivalList {
  return { h: 0, base: 0, vals: [], live: 0, at: new Map(), pend: null };
}

/**
 * Appends a (non-null) value, or cancels a pending retraction of an equal value.
 *
 * @internal
 */
export function arrivalAppend(list: ArrivalList, v: unknown): void {
  const key = canonicalKey(v);
  if (list.pend !== null && takePending(list, key)) return;
  const order = list.base + list.vals.length;
  list.vals.push(v);
  list.live++;
  const prev = list.at.get(key);
  if (prev === undefined) list.at.set(key, order);
  else if (typeof prev === 'number') list.at.set(key, [prev, order]);
  else prev.push(order);
}

/**
 * Retracts the earliest live occurrence of a value equal to `v`; remembers the retraction when there is none.
 *
 * @internal
 */
export function arrivalRetract(list: ArrivalList, v: unknown): void {
  retractKey(list, canonicalKey(v));
}

/**
 * The first live value, or null.
 *
 * @internal
 */
export function arrivalFirst(list: ArrivalList): unknown {
  return list.live > 0 ? list.vals[list.h] : null;
}

/**
 * The last live value, or null.
 *
 * @internal
 */
export function arrivalLast(list: ArrivalList): unknown {
  return list.live > 0 ? list.vals[list.vals.length - 1] : null;
}

/**
 * The live values joined by a separator (LISTAGG), or null when there are none.
 *
 * @internal
 */
export function arrivalJoin(list: ArrivalList, separator: string): string | null {
  if (list.live === 0) return null;
  const vals = list.vals;
  let s = vals[list.h] as string;
  for (let i = list.h + 1; i < vals.length; i++) {
    const v = vals[i];
    if (v !== null) s += separator + (v as string);
  }
  return s;
}

/**
 * Appends `other`'s live values after this list's, in their order, then applies `other`'s pending retractions.
 * `other` is not changed.
 *
 * @internal
 */
export function arrivalMerge(list: ArrivalList, other: ArrivalList): void {
  const vals = other.vals;
  for (let i = other.h; i < vals.length; i++) {
    const v = vals[i];
    if (v !== null) arrivalAppend(list, v);
  }
  if (other.pend !== null) {
    for (const [key, count] of other.pend) {
      for (let i = 0; i < count; i++) retractKey(list, key);
    }
  }
}

function takePending(list: ArrivalList, key: unknown): boolean {
  const pend = list.pend!;
  const n = pend.get(key);
  if (n === undefined) return false;
  if (n > 1) pend.set(key, n - 1);
  else {
    pend.delete(key);
    if (pend.size === 0) list.pend = null;
  }
  return true;
}

function retractKey(list: ArrivalList, key: unknown): void {
  const orders = list.at.get(key);
  if (orders === undefined) {
    const pend = (list.pend ??= new Map());
    pend.set(key, (pend.get(key) ?? 0) + 1);
    return;
  }
  let order: number;
  if (typeof orders === 'number') {
    order = orders;
    list.at.delete(key);
  } else {
    order = orders.shift()!;
    if (orders.length === 1) list.at.set(key, orders[0]!);
  }
  const vals = list.vals;
  vals[order - list.base] = null;
  if (--list.live === 0) {
    list.base += vals.length;
    vals.length = 0;
    list.h = 0;
    return;
  }
  while (vals[list.h] === null) list.h++;
  while (vals[vals.length - 1] === null) vals.pop();
  if (list.h >= COMPACT_MIN && list.h * 2 > vals.length) {
    vals.splice(0, list.h);
    list.base += list.h;
    list.h = 0;
  }
}
