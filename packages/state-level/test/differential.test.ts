// Differential test: the same random operations (every state kind, several namespaces, merges, TTL) against the
// heap backend and the LevelDB backend with a cache much smaller than the key set (so keys are evicted, written
// back and reloaded all the time). Every observation must be identical.
import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend } from '@runnel/state-heap';
import {
  VOID_NAMESPACE,
  type AggregateFunction,
  type KeyedStateBackend,
  type StateNamespace,
  type StateTtlConfig,
} from '@runnel/api/state';
import { LevelKeyedStateBackend } from '../src/index.js';
import { FakeClock, context, drain, kg } from './helpers.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const avg: AggregateFunction<number, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (v, a) => [a[0] + v, a[1] + 1],
  getResult: (a) => a[0] / a[1],
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
};

interface Handles {
  value: ReturnType<KeyedStateBackend['getValueState']>;
  list: ReturnType<KeyedStateBackend['getListState']>;
  map: ReturnType<KeyedStateBackend['getMapState']>;
  reducing: ReturnType<KeyedStateBackend['getReducingState']>;
  aggregating: ReturnType<KeyedStateBackend['getAggregatingState']>;
}

function register(b: KeyedStateBackend, ttl: StateTtlConfig | undefined): Handles {
  const t = ttl === undefined ? {} : { ttl };
  return {
    value: b.getValueState({ kind: 'value', name: 'value', defaultValue: 'dflt', ...t }),
    list: b.getListState({ kind: 'list', name: 'list', ...t }),
    map: b.getMapState({ kind: 'map', name: 'map', ...t }),
    reducing: b.getReducingState<number>({ kind: 'reducing', name: 'reducing', reduce: (a, c) => a + c, ...t }),
    aggregating: b.getAggregatingState({ kind: 'aggregating', name: 'aggregating', aggregate: avg, ...t }),
  };
}

/** Runs one op on a backend; returns what it observed (or the error message). */
function apply(b: KeyedStateBackend, h: Handles, op: Op): unknown {
  try {
    switch (op.kind) {
      case 'value.get':
        return h.value.value();
      case 'value.update':
        return h.value.update(op.arg), 'ok';
      case 'value.clear':
        return h.value.clear(), 'ok';
      case 'list.get':
        return [...h.list.get()];
      case 'list.add':
        return h.list.add(op.arg), 'ok';
      case 'list.addAll':
        return h.list.addAll(op.arg as unknown[]), 'ok';
      case 'list.update':
        return h.list.update(op.arg as unknown[]), 'ok';
      case 'list.clear':
        return h.list.clear(), 'ok';
      case 'map.get':
        return h.map.get(op.arg);
      case 'map.put':
        return h.map.put(op.arg, op.arg2), 'ok';
      case 'map.putAll':
        return h.map.putAll(op.arg as [unknown, unknown][]), 'ok';
      case 'map.remove':
        return h.map.remove(op.arg), 'ok';
      case 'map.contains':
        return h.map.contains(op.arg);
      case 'map.entries':
        return [...h.map.entries()];
      case 'map.keys':
        return [...h.map.keys()];
      case 'map.values':
        return [...h.map.values()];
      case 'map.isEmpty':
        return h.map.isEmpty();
      case 'map.clear':
        return h.map.clear(), 'ok';
      case 'reducing.get':
        return h.reducing.get();
      case 'reducing.add':
        return h.reducing.add(op.arg), 'ok';
      case 'reducing.clear':
        return h.reducing.clear(), 'ok';
      case 'aggregating.get':
        return h.aggregating.get();
      case 'aggregating.add':
        return h.aggregating.add(op.arg), 'ok';
      case 'aggregating.clear':
        return h.aggregating.clear(), 'ok';
      case 'merge':
        return b.mergeNamespaces(op.arg as string, op.arg2 as StateNamespace, op.sources!), 'ok';
    }
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

interface Op {
  kind: string;
  arg?: unknown;
  arg2?: unknown;
  sources?: StateNamespace[];
}

const NAMESPACES: StateNamespace[] = [VOID_NAMESPACE, VOID_NAMESPACE, 'w1', 'w2', 3];
const MAP_KEYS: unknown[] = [1, 2, 'a', [1, 'x'], new Date(5), '\u0001odd'];

function randomOp(r: () => number): Op {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const small = (): number => Math.floor(r() * 10);
  const val = (): unknown => (r() < 0.7 ? small() : { n: small(), tag: pick(['x', 'y']) });
  const kinds = [
    'value.get', 'value.update', 'value.clear',
    'list.get', 'list.add', 'list.addAll', 'list.update', 'list.clear',
    'map.get', 'map.put', 'map.putAll', 'map.remove', 'map.contains', 'map.entries', 'map.keys', 'map.values',
    'map.isEmpty', 'map.clear',
    'reducing.get', 'reducing.add', 'reducing.add', 'reducing.clear',
    'aggregating.get', 'aggregating.add', 'aggregating.add', 'aggregating.clear',
    'merge',
  ];
  const kind = pick(kinds);
  switch (kind) {
    case 'value.update':
      return { kind, arg: r() < 0.1 ? undefined : val() };
    case 'list.add':
      return { kind, arg: val() };
    case 'list.addAll':
    case 'list.update':
      return { kind, arg: Array.from({ length: Math.floor(r() * 3) }, val) };
    case 'map.get':
    case 'map.remove':
    case 'map.contains':
      return { kind, arg: pick(MAP_KEYS) };
    case 'map.put':
      return { kind, arg: pick(MAP_KEYS), arg2: val() };
    case 'map.putAll':
      return { kind, arg: Array.from({ length: Math.floor(r() * 3) }, () => [pick(MAP_KEYS), val()]) };
    case 'reducing.add':
    case 'aggregating.add':
      return { kind, arg: small() };
    case 'merge':
      return {
        kind,
        arg: pick(['list', 'map', 'reducing', 'aggregating', 'value']),
        arg2: pick(NAMESPACES),
        sources: [pick(NAMESPACES), pick(NAMESPACES)],
      };
    default:
      return { kind };
  }
}

/** The heap backend's canonical snapshot entries. */
async function heapEntries(heap: HeapKeyedStateBackend): Promise<string[]> {
  const snap = heap.snapshot(1);
  const out: string[] = [];
  for (const g of await drain(snap)) {
    for (const e of g.entries) out.push(JSON.stringify([g.keyGroup, e.state, e.key, e.namespace, e.value]));
  }
  await snap.release();
  return out.sort();
}

async function levelEntries(level: LevelKeyedStateBackend): Promise<string[]> {
  const snap = level.snapshot(1);
  const out: string[] = [];
  for (const g of await drain(snap)) {
    for (const e of g.entries) out.push(JSON.stringify([g.keyGroup, e.state, e.key, e.namespace, e.value]));
  }
  await snap.release();
  return out.sort();
}

async function run(
  seed: number,
  ttl: StateTtlConfig | undefined,
  pointReadNamespaces = 16,
): Promise<{ ops: number; evictions: number; rangeReads: number }> {
  const r = prng(seed);
  const clock = new FakeClock();
  const ctx = context(undefined, clock.fn);
  const heap = new HeapKeyedStateBackend(ctx, { 'ttl.incremental-cleanup.cleanup-size': 0 });
  const level = await LevelKeyedStateBackend.open(ctx, {
    'cache-size': 24,
    'prefetch.max-point-read-namespaces': pointReadNamespaces,
  });
  try {
    const hh = register(heap, ttl);
    const lh = register(level, ttl);
    const keySpace: unknown[] = [];
    for (let i = 0; i < 60; i++) keySpace.push(i, `k${i}`);
    keySpace.push([1, 'tuple'], new Date(1234), true, null);
    let ops = 0;
    for (let batch = 0; batch < 120; batch++) {
      const keys = Array.from({ length: 16 }, () => keySpace[Math.floor(r() * keySpace.length)]);
      const p = level.prefetch(keys, keys.map(kg));
      if (p !== undefined) await p;
      for (const key of keys) {
        heap.setCurrentKey(key, kg(key));
        level.setCurrentKey(key, kg(key));
        for (let n = 0; n < 3; n++) {
          const ns = NAMESPACES[Math.floor(r() * NAMESPACES.length)]!;
          heap.setCurrentNamespace(ns);
          level.setCurrentNamespace(ns);
          const op = randomOp(r);
          const expected = apply(heap, hh, op);
          const actual = apply(level, lh, op);
          expect(actual, `batch ${batch} key ${String(key)} ns ${ns} op ${JSON.stringify(op)}`).toEqual(expected);
          ops++;
        }
        if (ttl !== undefined && r() < 0.3) clock.now += Math.floor(r() * 40);
      }
      if (batch % 40 === 39) expect(await levelEntries(level)).toEqual(await heapEntries(heap));
    }
    // keys(): the state is on disk now, so prepare first.
    for (const state of ['list', 'reducing']) {
      for (const ns of [VOID_NAMESPACE, 'w1', 3]) {
        await level.prepareKeys(state, ns);
        const norm = (xs: Iterable<unknown>): string[] => Array.from(xs, (k) => JSON.stringify(k)).sort();
        expect(norm(level.keys(state, ns))).toEqual(norm(heap.keys(state, ns)));
      }
    }
    return { ops, evictions: level.stats().evictions, rangeReads: level.stats().rangeReads };
  } finally {
    await level.dispose();
    heap.dispose();
  }
}

describe('LevelDB backend matches the heap backend', () => {
  it.each([1, 2, 3])('without TTL (seed %i)', async (seed) => {
    const { ops, evictions } = await run(seed, undefined);
    expect(ops).toBe(120 * 16 * 3);
    expect(evictions).toBeGreaterThan(100);
  });

  it('with namespaces prefetched by range reads', async () => {
    const { rangeReads, evictions } = await run(4, undefined, 0);
    expect(evictions).toBeGreaterThan(100);
    expect(rangeReads).toBeGreaterThan(100);
  });

  it.each<[string, StateTtlConfig]>([
    ['on-create-and-write, never-return-expired', { ttlMs: 100 }],
    ['on-read-and-write, never-return-expired', { ttlMs: 100, updateType: 'on-read-and-write' }],
    ['return-expired-if-not-cleaned-up', { ttlMs: 100, visibility: 'return-expired-if-not-cleaned-up' }],
  ])('with TTL %s', async (_name, ttl) => {
    const { evictions } = await run(7, ttl);
    expect(evictions).toBeGreaterThan(100);
  });
});
