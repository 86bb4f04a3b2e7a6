// Helpers on the canonical entry form of snapshot.ts, used where no state handle is at hand (restoring entries of
// states not registered yet, snapshotting them again). Canonical values by kind: value/reducing/aggregating — the
// value; list — an array of elements; map — an array of [mapKey, mapValue] pairs; with TTL each value, element or
// map value is a pair [value, lastAccessTimestamp].
import type { StateKind, StateNamespace } from '@runnel/api/state';

/**
 * Brings a restored canonical value into the exact form this backend stores: maps given as `Map` become pair
 * arrays and TTL values given as `{ value, timestamp }` objects (the heap backend's entry walk) become pairs.
 * Returns `undefined` for an empty list or map (nothing to store).
 *
 * @internal
 */
export function normalizeCanonical(stateName: string, kind: StateKind, hasTtl: boolean, value: unknown): unknown {
  const ttl = (x: unknown): unknown => (hasTtl ? toPair(stateName, x) : x);
  switch (kind) {
    case 'list': {
      if (!isIterable(value)) throw new TypeError(`restoring list state '${stateName}': expected an array`);
      const arr = Array.from(value, ttl);
      return arr.length === 0 ? undefined : arr;
    }
    case 'map': {
      if (!isIterable(value)) throw new TypeError(`restoring map state '${stateName}': expected [key, value] pairs`);
      const arr = Array.from(value as Iterable<readonly [unknown, unknown]>, (p) => {
        if (!Array.isArray(p) || p.length !== 2) {
          throw new TypeError(`restoring map state '${stateName}': expected [key, value] pairs`);
        }
        return [p[0], ttl(p[1])];
      });
      return arr.length === 0 ? undefined : arr;
    }
    default:
      return ttl(value);
  }
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function toPair(stateName: string, x: unknown): [unknown, number] {
  if (Array.isArray(x) && x.length === 2 && typeof x[1] === 'number') return [x[0], x[1]];
  if (typeof x === 'object' && x !== null && typeof (x as { timestamp?: unknown }).timestamp === 'number') {
    const o = x as { value: unknown; timestamp: number };
    return [o.value, o.timestamp];
  }
  throw new TypeError(`restoring TTL state '${stateName}': expected [value, timestamp], got ${String(x)}`);
}

/**
 * Drops expired parts of a canonical TTL value (Flink: expired once `timestamp + ttl <= now`); `undefined` when
 * nothing is left.
 *
 * @internal
 */
export function dropExpired(kind: StateKind, canonical: unknown, ttlMs: number, now: number): unknown {
  const live = (pair: unknown): boolean => (pair as [unknown, number])[1] + ttlMs > now;
  switch (kind) {
    case 'list': {
      const arr = canonical as unknown[];
      const out = arr.every(live) ? arr : arr.filter(live);
      return out.length === 0 ? undefined : out;
    }
    case 'map': {
      const arr = canonical as [unknown, unknown][];
      const out = arr.every((p) => live(p[1])) ? arr : arr.filter((p) => live(p[1]));
      return out.length === 0 ? undefined : out;
    }
    default:
      return live(canonical) ? canonical : undefined;
  }
}

/** Whether a namespace is valid for keyed state. @internal */
export function isNamespace(x: unknown): x is StateNamespace {
  return typeof x === 'string' || typeof x === 'number';
}
