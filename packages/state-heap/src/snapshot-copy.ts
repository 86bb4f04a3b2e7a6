// Snapshots of heap state must not see writes that happen after the barrier, but user values (and list arrays) are
// live objects that operators keep mutating. The synchronous capture therefore copies every entry's value with a
// plain-data deep copy (primitives are shared, which covers counters and most accumulators at no cost). The
// trade-off: the capture is O(state size) on the task thread; copy-on-write state maps (as Flink's heap backend has)
// would make it O(1) at the cost of a slower write path.

/** A deep copy of plain data (objects, arrays, Map, Set, Date, typed arrays); primitives are returned as they are. @internal */
export function copyPlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyPlain(v[i]);
    return out;
  }
  if (v instanceof Map) {
    const m = new Map();
    for (const [k, x] of v) m.set(copyPlain(k), copyPlain(x));
    return m;
  }
  if (v instanceof Set) {
    const s = new Set();
    for (const x of v) s.add(copyPlain(x));
    return s;
  }
  if (v instanceof Date) return new Date(v.getTime());
  if (ArrayBuffer.isView(v)) return (v as Uint8Array).slice();
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
  for (const k of Object.keys(v)) out[k] = copyPlain((v as Record<string, unknown>)[k]);
  return out;
}
