// Snapshots and restores of the LevelDB backend: consistency at the barrier while records keep flowing,
// rescaling to other key-group ranges, and round trips with the heap backend through canonical entries.
import { afterEach, describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend } from '@runnel/state-heap';
import type { VersionedSerializer } from '@runnel/api';
import {
  VOID_NAMESPACE,
  type KeyGroupEntries,
  type KeyedStateEntry,
  type StateMetaInfo,
} from '@runnel/api/state';
import { LevelKeyedStateBackend } from '../src/index.js';
import { FakeClock, context, drain, kg } from './helpers.js';

const open: LevelKeyedStateBackend[] = [];
async function backend(
  cacheSize = 100,
  range = { start: 0, end: 127 },
  clock: () => number = () => 0,
): Promise<LevelKeyedStateBackend> {
  const b = await LevelKeyedStateBackend.open(context(range, clock), { 'cache-size': cacheSize });
  open.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.dispose()));
});

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function prefetch(b: LevelKeyedStateBackend, keys: readonly unknown[]): Promise<void> {
  const p = b.prefetch(keys, keys.map(kg));
  if (p !== undefined) await p;
}

/** Adds `delta` to a counter per key, batch by batch, yielding between batches so write-backs land. */
async function add(b: LevelKeyedStateBackend, keys: readonly number[], delta: number): Promise<void> {
  const s = b.getValueState<number>({ kind: 'value', name: 'count' });
  for (let i = 0; i < keys.length; i += 16) {
    const slice = keys.slice(i, i + 16);
    await tick();
    await prefetch(b, slice);
    for (const k of slice) {
      b.setCurrentKey(k, kg(k));
      s.update((s.value() ?? 0) + delta);
    }
  }
}

function valuesByKey(groups: readonly KeyGroupEntries[], state = 'count'): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  for (const g of groups) {
    for (const e of g.entries) {
      expect(kg(e.key)).toBe(g.keyGroup);
      if (e.state === state) out.set(e.key, e.value);
    }
  }
  return out;
}

const KEYS = Array.from({ length: 300 }, (_, i) => i);

describe('snapshot consistency', () => {
  it('contains exactly the state at the barrier, not writes made after it', async () => {
    const b = await backend(20);
    await add(b, KEYS, 1);
    const s1 = b.snapshot(1);
    await add(b, KEYS, 1); // evictions write post-barrier values to the live database
    await add(b, KEYS.slice(0, 50), 100);
    const s2 = b.snapshot(2);
    const v1 = valuesByKey(await drain(s1));
    const v2 = valuesByKey(await drain(s2));
    expect(v1.size).toBe(300);
    expect([...v1.values()].every((v) => v === 1)).toBe(true);
    for (const k of KEYS) expect(v2.get(k)).toBe(k < 50 ? 102 : 2);
    const groups = await drain(s2);
    expect(groups.map((g) => g.keyGroup)).toEqual([...groups.map((g) => g.keyGroup)].sort((x, y) => x - y));
    await s1.release();
    await s1.release();
    await s2.release();
    await expect(drain(s1)).rejects.toThrow(/was released/);
  });

  it('walks the whole key-group range with one iterator, yielding each group once and in order (cached and stored entries)', async () => {
    // Every iterator call waits for an event-loop turn, which a busy task thread makes long: one per key group
    // made checkpoints take seconds.
    const b = await backend(20); // 300 keys, 20 cached: most entries come from the database, some from the overlay
    await add(b, KEYS, 1);
    const db = (b as unknown as { db: { iterator: (...a: unknown[]) => unknown } }).db;
    const iterator = db.iterator.bind(db);
    let iterators = 0;
    db.iterator = (...a: unknown[]) => {
      iterators++;
      return iterator(...a);
    };
    const groups = await drain(b.snapshot(3));
    expect(iterators).toBe(1);
    const order = groups.map((g) => g.keyGroup);
    expect(order).toEqual([...new Set(order)].sort((x, y) => x - y));
    expect(valuesByKey(groups).size).toBe(300);
  });

  it('is not disturbed by records processed while write() iterates', async () => {
    const b = await backend(20);
    await add(b, KEYS, 5);
    const snap = b.snapshot(7);
    const it = (snap.write() as AsyncIterable<KeyGroupEntries>)[Symbol.asyncIterator]();
    const groups: KeyGroupEntries[] = [];
    let n = 0;
    for (let r = await it.next(); r.done !== true; r = await it.next()) {
      groups.push(r.value);
      // Between key groups: keep processing, including deletes, with evictions and landed write-backs.
      if (n++ % 10 === 0) {
        await add(b, KEYS, 1);
        await prefetch(b, [1, 2]);
        b.setCurrentKey(1, kg(1));
        b.getValueState({ kind: 'value', name: 'count' }).clear();
      }
    }
    const v = valuesByKey(groups);
    expect(v.size).toBe(300);
    expect([...v.values()].every((x) => x === 5)).toBe(true);
    await snap.release();
  });

  it('includes write-backs that have not landed at the barrier, and their deletes', async () => {
    const b = await backend(10);
    const s = b.getListState<string>({ kind: 'list', name: 'l' });
    const a = Array.from({ length: 10 }, (_, i) => `a${i}`);
    await prefetch(b, a);
    for (const k of a) {
      b.setCurrentKey(k, kg(k));
      s.add(k);
    }
    await b.flush();
    await prefetch(b, a);
    b.setCurrentKey('a0', kg('a0'));
    s.clear(); // a0 is on disk; the delete travels with the eviction below
    b.setCurrentKey('a1', kg('a1'));
    s.add('more');
    await prefetch(b, Array.from({ length: 10 }, (_, i) => `c${i}`)); // evicts the a-keys, not landed yet
    expect(b.stats().inflightKeys).toBeGreaterThan(0);
    const snap = b.snapshot(3);
    const v = valuesByKey(await drain(snap), 'l');
    expect(v.has('a0')).toBe(false);
    expect(v.get('a1')).toEqual(['a1', 'more']);
    expect(v.get('a9')).toEqual(['a9']);
    expect(v.size).toBe(9);
    await snap.release();
  });

  it('leaves expired TTL entries out under never-return-expired, keeps them otherwise', async () => {
    const clock = new FakeClock();
    const b = await backend(4, undefined, clock.fn);
    const strict = b.getValueState<number>({ kind: 'value', name: 'strict', ttl: { ttlMs: 100 } });
    const lax = b.getValueState<number>({
      kind: 'value',
      name: 'lax',
      ttl: { ttlMs: 100, visibility: 'return-expired-if-not-cleaned-up' },
    });
    const keys = Array.from({ length: 12 }, (_, i) => i);
    for (const k of keys) {
      await tick();
      await prefetch(b, [k]);
      b.setCurrentKey(k, kg(k));
      strict.update(k);
      lax.update(k);
      if (k === 5) clock.now += 60; // keys 0..5 written at t=1000, 6..11 at t=1060
    }
    clock.now = 1100; // 0..5 expired (1000 + 100 <= 1100), 6..11 live; some on disk, some in the cache
    const snap = b.snapshot(1);
    const groups = await drain(snap);
    const s = valuesByKey(groups, 'strict');
    expect([...s.keys()].sort((x, y) => (x as number) - (y as number))).toEqual([6, 7, 8, 9, 10, 11]);
    expect(s.get(6)).toEqual([6, 1060]); // canonical TTL form: [value, lastAccessTimestamp]
    expect(valuesByKey(groups, 'lax').size).toBe(12);
    expect(snap.states.find((m) => m.name === 'strict')?.ttl).toEqual({ ttlMs: 100 });
    await snap.release();
  });
});

describe('restore', () => {
  /** Fills a backend with value, list and map state in several namespaces. */
  async function fill(b: LevelKeyedStateBackend): Promise<void> {
    const v = b.getValueState<{ n: number }>({ kind: 'value', name: 'v' });
    const l = b.getListState<number>({ kind: 'list', name: 'l' });
    const m = b.getMapState<[number, string], string>({ kind: 'map', name: 'm' });
    const keys: unknown[] = [...KEYS, 'alpha', [7, 'tuple'], new Date(99)];
    for (let i = 0; i < keys.length; i += 32) {
      await tick();
      const slice = keys.slice(i, i + 32);
      await prefetch(b, slice);
      for (const k of slice) {
        b.setCurrentKey(k, kg(k));
        b.setCurrentNamespace(VOID_NAMESPACE);
        v.update({ n: typeof k === 'number' ? k : -1 });
        b.setCurrentNamespace(typeof k === 'number' ? k % 3 : 'w');
        l.addAll([1, 2]);
        m.put([1, 'x'], String(k));
      }
    }
  }

  const sorted = (groups: readonly KeyGroupEntries[]): string[] =>
    groups.flatMap((g) => g.entries.map((e) => JSON.stringify([g.keyGroup, e]))).sort();

  it('restores at other key-group ranges (scale out 1 → 3, then in 3 → 1) without losing or moving entries', async () => {
    const src = await backend(40);
    await fill(src);
    const snap = src.snapshot(1);
    const groups = await drain(snap);
    const states = snap.states;
    expect(states.map((s) => s.name)).toEqual(['v', 'l', 'm']);
    const ranges = [
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ];
    const parts: KeyGroupEntries[][] = [];
    for (const range of ranges) {
      const b = await backend(30, range);
      await b.restore(
        states,
        groups.filter((g) => g.keyGroup >= range.start && g.keyGroup <= range.end),
      );
      // Restored entries are served through prefetch (registered after the restore).
      const v = b.getValueState<{ n: number }>({ kind: 'value', name: 'v' });
      const l = b.getListState<number>({ kind: 'list', name: 'l' });
      const mine = KEYS.filter((k) => kg(k) >= range.start && kg(k) <= range.end);
      await prefetch(b, mine);
      for (const k of mine) {
        b.setCurrentKey(k, kg(k));
        b.setCurrentNamespace(VOID_NAMESPACE);
        expect(v.value()).toEqual({ n: k });
        b.setCurrentNamespace(k % 3);
        expect(l.get()).toEqual([1, 2]);
      }
      b.getMapState({ kind: 'map', name: 'm' });
      const s = b.snapshot(2);
      parts.push(await drain(s));
      await s.release();
    }
    const merged = await backend(50);
    await merged.restore(states, parts.flat());
    const s = merged.snapshot(3);
    expect(sorted(await drain(s))).toEqual(sorted(groups));
    await s.release();
    await snap.release();
  });

  it('rejects key groups outside the range, unknown states, kind changes and late restores', async () => {
    const b = await backend(10, { start: 0, end: 9 });
    const meta: StateMetaInfo = { name: 'x', kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 } };
    const entry = (state: string): KeyedStateEntry => ({ state, key: 1, namespace: VOID_NAMESPACE, value: 1 });
    await expect(b.restore([meta], [{ keyGroup: 20, entries: [entry('x')] }])).rejects.toThrow(/outside/);
    await expect(b.restore([meta], [{ keyGroup: 1, entries: [entry('y')] }])).rejects.toThrow(/no meta info/);
    await b.restore([meta], [{ keyGroup: 1, entries: [entry('x')] }]);
    expect(() => b.getListState({ kind: 'list', name: 'x' })).toThrow(/was restored as value state/);
    const inRange = KEYS.find((k) => kg(k) <= 9)!;
    await prefetch(b, [inRange]);
    await expect(b.restore([meta], [])).rejects.toThrow(/before processing starts/);
  });

  it('migrates values written by an older serializer version', async () => {
    const calls: number[] = [];
    const ser: VersionedSerializer<string> = {
      id: 'test.upper',
      version: 2,
      serialize: (v) => new TextEncoder().encode(`v2:${v}`),
      deserialize: (bytes, version) => {
        calls.push(version);
        const s = new TextDecoder().decode(bytes);
        return version === 1 ? s.toUpperCase() : s.slice(3);
      },
    };
    const b = await backend(10);
    const meta: StateMetaInfo = { name: 's', kind: 'value', valueSerializer: { id: 'test.upper', version: 1 } };
    await b.restore(
      [meta],
      [{ keyGroup: kg('k'), entries: [{ state: 's', key: 'k', namespace: VOID_NAMESPACE, value: new TextEncoder().encode('old') }] }],
    );
    const s = b.getValueState<string>({ kind: 'value', name: 's', serializer: ser });
    await prefetch(b, ['k', 'n']);
    b.setCurrentKey('k', kg('k'));
    expect(s.value()).toBe('OLD');
    b.setCurrentKey('n', kg('n'));
    s.update('new');
    const snap = b.snapshot(1);
    expect(snap.states).toEqual([{ name: 's', kind: 'value', valueSerializer: { id: 'test.upper', version: 2 } }]);
    const values = valuesByKey(await drain(snap), 's');
    // Both entries in the current version (the restored one was rewritten by the snapshot).
    expect(new TextDecoder().decode(values.get('k') as Uint8Array)).toBe('v2:OLD');
    expect(new TextDecoder().decode(values.get('n') as Uint8Array)).toBe('v2:new');
    expect(calls).toContain(1);
    await snap.release();
  });
});

describe('round trips with the heap backend', () => {
  /** The heap backend's canonical snapshot. */
  async function heapGroups(heap: HeapKeyedStateBackend): Promise<KeyGroupEntries[]> {
    const snap = heap.snapshot(1);
    const groups = await drain(snap);
    await snap.release();
    return groups;
  }

  const META: StateMetaInfo[] = [
    { name: 'value', kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 } },
    { name: 'list', kind: 'list', valueSerializer: { id: 'runnel.generic', version: 1 } },
    {
      name: 'map',
      kind: 'map',
      valueSerializer: { id: 'runnel.generic', version: 1 },
      mapKeySerializer: { id: 'runnel.generic', version: 1 },
    },
    { name: 'sum', kind: 'reducing', valueSerializer: { id: 'runnel.generic', version: 1 } },
    { name: 'ttl', kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 }, ttl: { ttlMs: 1e9 } },
  ];

  function registerAll(b: HeapKeyedStateBackend | LevelKeyedStateBackend) {
    return {
      value: b.getValueState<unknown>({ kind: 'value', name: 'value' }),
      list: b.getListState<unknown>({ kind: 'list', name: 'list' }),
      map: b.getMapState<unknown, unknown>({ kind: 'map', name: 'map' }),
      sum: b.getReducingState<number>({ kind: 'reducing', name: 'sum', reduce: (x, y) => x + y }),
      ttl: b.getValueState<string>({ kind: 'value', name: 'ttl', ttl: { ttlMs: 1e9 } }),
    };
  }

  const KEYS2: unknown[] = [...Array.from({ length: 200 }, (_, i) => i), 'x', [1, 'two'], new Date(3), true];

  it('heap → level → heap preserves every entry', async () => {
    const clock = new FakeClock();
    const heap = new HeapKeyedStateBackend(context(undefined, clock.fn));
    const h = registerAll(heap);
    for (const k of KEYS2) {
      heap.setCurrentKey(k, kg(k));
      heap.setCurrentNamespace(VOID_NAMESPACE);
      h.value.update({ k, nested: [1n, -0, 'ß'] });
      h.sum.add(3);
      h.ttl.update(`t${String(k)}`);
      heap.setCurrentNamespace(typeof k === 'number' ? k % 4 : 'ns');
      h.list.addAll([k, 'e']);
      h.map.put([k, 1], new Date(5));
    }
    const heapSnap = heap.snapshot(1);
    const fromHeap = await drain(heapSnap);
    expect(heapSnap.states.map((m) => m.name)).toEqual(META.map((m) => m.name));
    const level = await backend(50, undefined, clock.fn);
    registerAll(level); // before the restore: entries are loaded on prefetch
    await level.restore(heapSnap.states, fromHeap);
    const snap = level.snapshot(1);
    const fromLevel = await drain(snap);
    await snap.release();
    const norm = (gs: KeyGroupEntries[]): string[] =>
      gs
        .flatMap((g) => g.entries.map((e) => `${g.keyGroup}|${e.state}|${JSON.stringify([e.key, e.namespace])}`))
        .sort();
    expect(norm(fromLevel)).toEqual(norm(fromHeap));
    // Values compare by structure (dates, bigints, -0 survive the codec).
    const byId = (gs: KeyGroupEntries[]) =>
      new Map(gs.flatMap((g) => g.entries.map((e) => [`${e.state}|${JSON.stringify([e.key, e.namespace])}`, e.value])));
    const a = byId(fromHeap);
    for (const [id, v] of byId(fromLevel)) expect(v).toEqual(a.get(id));

    // Back into a fresh heap backend through its restore.
    const heap2 = new HeapKeyedStateBackend(context(undefined, clock.fn));
    registerAll(heap2);
    heap2.restore(snap.states, fromLevel);
    // Entry order within a key group is not part of the contract.
    const ordered = (gs: KeyGroupEntries[]) =>
      gs.map((g) => ({ ...g, entries: [...g.entries].sort((x, y) => (idOf(x) < idOf(y) ? -1 : 1)) }));
    const idOf = (e: KeyedStateEntry): string => `${e.state}|${JSON.stringify([e.key, e.namespace])}`;
    expect(ordered(await heapGroups(heap2))).toEqual(ordered(fromHeap));
    heap.dispose();
    heap2.dispose();
  });

  it('level state restored from the heap reads the same through the state handles', async () => {
    const heap = new HeapKeyedStateBackend(context());
    const h = registerAll(heap);
    for (const k of KEYS2) {
      heap.setCurrentKey(k, kg(k));
      h.sum.add(typeof k === 'number' ? k : 1);
      h.map.put('a', k);
    }
    const level = await backend(30);
    const heapSnap = heap.snapshot(1);
    await level.restore(heapSnap.states, await drain(heapSnap));
    const l = registerAll(level); // after the restore
    for (let i = 0; i < KEYS2.length; i += 25) {
      const slice = KEYS2.slice(i, i + 25);
      await prefetch(level, slice);
      for (const k of slice) {
        level.setCurrentKey(k, kg(k));
        heap.setCurrentKey(k, kg(k));
        expect(l.sum.get()).toBe(h.sum.get());
        expect([...l.map.entries()]).toEqual([...h.map.entries()]);
        expect(l.value.value()).toBeUndefined();
      }
    }
    heap.dispose();
  });
});
