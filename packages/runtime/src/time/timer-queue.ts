// Timers of one operator in one time domain, deduplicated per (timestamp, namespace, key) as Flink does. Timers are
// bucketed by timestamp with a min-heap over the distinct timestamps: window operators register the same few
// timestamps for many keys, so this keeps registration a few map lookups and firing a linear walk.
import { normalizeKey } from '@runnel/api';

/** @internal */
export interface Timer {
  readonly timestamp: number;
  readonly key: unknown;
  readonly keyGroup: number;
  readonly namespace: string | number;
}

type Bucket = Map<string | number, Map<unknown, Timer>>;

/** @internal */
export class TimerQueue {
  private readonly buckets = new Map<number, Bucket>();
  private readonly heap: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Returns the new timer, or undefined if it was already registered. */
  add(timestamp: number, key: unknown, keyGroup: number, namespace: string | number): Timer | undefined {
    let bucket = this.buckets.get(timestamp);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(timestamp, bucket);
      this.push(timestamp);
    }
    let byKey = bucket.get(namespace);
    if (byKey === undefined) {
      byKey = new Map();
      bucket.set(namespace, byKey);
    }
    const mk = normalizeKey(key);
    if (byKey.has(mk)) return undefined;
    const t: Timer = { timestamp, key, keyGroup, namespace };
    byKey.set(mk, t);
    this.count++;
    return t;
  }

  /** Returns the removed timer, if there was one. */
  delete(timestamp: number, key: unknown, namespace: string | number): Timer | undefined {
    const byKey = this.buckets.get(timestamp)?.get(namespace);
    if (byKey === undefined) return undefined;
    const mk = normalizeKey(key);
    const t = byKey.get(mk);
    if (t === undefined) return undefined;
    byKey.delete(mk);
    this.count--;
    return t;
  }

  /** The smallest timestamp with timers (+Infinity when empty). */
  peekTimestamp(): number {
    while (this.heap.length > 0) {
      const ts = this.heap[0]!;
      const b = this.buckets.get(ts);
      if (b !== undefined && bucketSize(b) > 0) return ts;
      this.pop();
      if (b !== undefined) this.buckets.delete(ts);
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Removes and returns all timers of the smallest timestamp if it is ≤ `upTo`. */
  pollUpTo(upTo: number): Timer[] | undefined {
    if (this.count === 0) return undefined;
    const ts = this.peekTimestamp();
    if (ts > upTo || ts === Number.POSITIVE_INFINITY) return undefined;
    const bucket = this.buckets.get(ts)!;
    this.buckets.delete(ts);
    this.pop();
    const out: Timer[] = [];
    for (const byKey of bucket.values()) for (const t of byKey.values()) out.push(t);
    this.count -= out.length;
    return out;
  }

  /** Timers with timestamp ≤ `upTo`, without removing them (to prefetch their keys' state). */
  dueUpTo(upTo: number, limit = Number.POSITIVE_INFINITY): Timer[] {
    const out: Timer[] = [];
    if (this.count === 0) return out;
    for (const [ts, b] of this.buckets) {
      if (ts > upTo) continue;
      for (const byKey of b.values()) for (const t of byKey.values()) if (out.length < limit) out.push(t);
    }
    return out;
  }

  /** Visits every timer (snapshots); no generator, no allocation. */
  forEach(visit: (t: Timer) => void): void {
    for (const b of this.buckets.values()) for (const byKey of b.values()) for (const t of byKey.values()) visit(t);
  }

  /** All timers, for snapshots. */
  *all(): IterableIterator<Timer> {
    for (const b of this.buckets.values()) for (const byKey of b.values()) yield* byKey.values();
  }

  private push(ts: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(ts);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= ts) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = ts;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1]! < h[c]!) c++;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function bucketSize(b: Bucket): number {
  let n = 0;
  for (const m of b.values()) n += m.size;
  return n;
}
