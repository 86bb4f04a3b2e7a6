// Prefetch, the write-back cache, eviction, registration and lifecycle of the LevelDB keyed backend.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VOID_NAMESPACE, type StateBackend } from '@runnel/api/state';
import { LevelKeyedStateBackend, LevelStateBackend } from '../src/index.js';
import { context, kg } from './helpers.js';

const open: LevelKeyedStateBackend[] = [];
async function backend(cacheSize = 100, range = { start: 0, end: 127 }): Promise<LevelKeyedStateBackend> {
  const b = await LevelKeyedStateBackend.open(context(range), { 'cache-size': cacheSize });
  open.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.dispose()));
});

async function prefetch(b: LevelKeyedStateBackend, keys: unknown[]): Promise<boolean> {
  const p = b.prefetch(keys, keys.map(kg));
  if (p === undefined) return false;
  await p;
  return true;
}

/** A keyed count over `keys`, batch by batch with prefetch, as the runtime drives an operator. */
async function count(b: LevelKeyedStateBackend, keys: readonly unknown[], batch = 64): Promise<void> {
  const state = b.getValueState<number>({ kind: 'value', name: 'count' });
  for (let i = 0; i < keys.length; i += batch) {
    const slice = keys.slice(i, i + batch);
    // Input arrives asynchronously in a real job: yield so that queued write-backs can land.
    await new Promise((resolve) => setImmediate(resolve));
    await prefetch(b, slice);
    for (const k of slice) {
      b.setCurrentKey(k, kg(k));
      state.update((state.value() ?? 0) + 1);
    }
  }
}

describe('prefetch and the write-back cache', () => {
  it('throws a clear error for a key that was not prefetched', async () => {
    const b = await backend();
    const s = b.getValueState<number>({ kind: 'value', name: 's' });
    b.setCurrentKey('k1', kg('k1'));
    expect(() => s.value()).toThrow(/state of key "k1" was not prefetched \(state 's'\)/);
    expect(() => s.update(1)).toThrow(/was not prefetched/);
    await prefetch(b, ['k1']);
    b.setCurrentKey('k1', kg('k1'));
    s.update(1);
    expect(s.value()).toBe(1);
  });

  it('serves new keys without I/O (known absent) and returns undefined when nothing is loaded', async () => {
    const b = await backend();
    const s = b.getValueState<number>({ kind: 'value', name: 's' });
    // Nothing was ever written to disk: new keys are known absent at once.
    expect(b.prefetch([1, 2, 3], [kg(1), kg(2), kg(3)])).toBeUndefined();
    b.setCurrentKey(2, kg(2));
    expect(s.value()).toBeUndefined();
    s.update(5);
    expect(b.prefetch([1, 2, 3], [kg(1), kg(2), kg(3)])).toBeUndefined();
    expect(b.stats()).toMatchObject({ knownAbsent: 3, keysLoaded: 0, pointReads: 0 });
  });

  it('with prefetch per batch, an operator never hits a non-resident key, and counts survive eviction', async () => {
    const b = await backend(100);
    const keys: number[] = [];
    for (let round = 0; round < 4; round++) for (let k = 0; k < 1000; k++) keys.push((k * 7919 + round) % 1000);
    await count(b, keys); // would throw "was not prefetched" on any miss
    const st = b.stats();
    expect(st.residentKeys).toBeLessThanOrEqual(100);
    expect(st.evictions).toBeGreaterThan(3000);
    expect(st.keysLoaded).toBeGreaterThan(2000); // evicted keys come back from disk
    // Every key was counted 4 times, whichever way its state travelled (cache, in-flight write, disk).
    const s = b.getValueState<number>({ kind: 'value', name: 'count' });
    for (let k = 0; k < 1000; k += 100) {
      const slice = Array.from({ length: 100 }, (_, i) => k + i);
      await prefetch(b, slice);
      for (const key of slice) {
        b.setCurrentKey(key, kg(key));
        expect(s.value()).toBe(4);
      }
    }
  });

  it('split reads (read parallelism) and custom LevelDB options load every key into its own slot', async () => {
    const b = await LevelKeyedStateBackend.open(context(), {
      'cache-size': 200,
      'prefetch.read-parallelism': 4,
      'block-cache-size': '1 mb',
      'write-buffer-size': '64 kb',
      'block-size': 1024,
      compression: false,
      'max-open-files': 32,
    });
    open.push(b);
    const s = b.getValueState<string>({ kind: 'value', name: 'v' });
    const keys = Array.from({ length: 2000 }, (_, i) => i);
    for (let i = 0; i < keys.length; i += 100) {
      const slice = keys.slice(i, i + 100);
      await prefetch(b, slice);
      for (const k of slice) {
        b.setCurrentKey(k, kg(k));
        s.update(`value-${k}`);
      }
    }
    await b.flush();
    // 1000 keys in one batch: 4 concurrent getMany jobs of 250 keys; a misaligned result would show another value.
    const batch = keys.slice(500, 1500).reverse();
    const before = b.stats().pointReads;
    await prefetch(b, batch);
    expect(b.stats().pointReads - before).toBeGreaterThan(900);
    for (const k of batch) {
      b.setCurrentKey(k, kg(k));
      expect(s.value()).toBe(`value-${k}`);
    }
  });

  it('never evicts the keys of the batch being processed', async () => {
    const b = await backend(10);
    const s = b.getValueState<number>({ kind: 'value', name: 's' });
    const keys = Array.from({ length: 50 }, (_, i) => i);
    await prefetch(b, keys); // 5x the cache size: all stay resident for this batch
    for (const k of keys) {
      b.setCurrentKey(k, kg(k));
      s.update(k * 2);
    }
    await prefetch(b, [100]); // the next batch evicts down to the cache size
    expect(b.stats().residentKeys).toBeLessThanOrEqual(10);
    await prefetch(b, keys);
    for (const k of keys) {
      b.setCurrentKey(k, kg(k));
      expect(s.value()).toBe(k * 2);
    }
  });

  it('serves an evicted key from its in-flight write-back without reading disk', async () => {
    const b = await backend(10);
    const s = b.getListState<string>({ kind: 'list', name: 'l' });
    const a = Array.from({ length: 10 }, (_, i) => `a${i}`);
    const c = Array.from({ length: 10 }, (_, i) => `c${i}`);
    await prefetch(b, a);
    for (const k of a) {
      b.setCurrentKey(k, kg(k));
      s.add(k);
    }
    await prefetch(b, c); // evicts the a-keys: their write-back is queued, not landed
    expect(b.stats().inflightKeys).toBeGreaterThan(0);
    const before = b.stats().pointReads;
    // Synchronously after the eviction: the a-keys come back from the in-flight set (no I/O, nothing to await).
    expect(b.prefetch(a, a.map(kg))).toBeUndefined();
    expect(b.stats().pointReads).toBe(before);
    for (const k of a) {
      b.setCurrentKey(k, kg(k));
      expect(s.get()).toEqual([k]);
    }
  });

  it('loads a state registered after its keys became resident on the next prefetch', async () => {
    const b = await backend(5);
    const first = b.getValueState<number>({ kind: 'value', name: 'first' });
    const keys = Array.from({ length: 20 }, (_, i) => i);
    await count(b, keys); // spill something so that loads are real
    await prefetch(b, [1]);
    b.setCurrentKey(1, kg(1));
    first.update(11);
    const late = b.getReducingState<number>({ kind: 'reducing', name: 'late', reduce: (x, y) => x + y });
    expect(() => late.get()).toThrow(/was not prefetched \(state 'late'\)/);
    expect(first.value()).toBe(11); // states loaded before are still served
    await prefetch(b, [1]);
    b.setCurrentKey(1, kg(1));
    late.add(3);
    expect(late.get()).toBe(3);
  });

  it('rejects keys outside the key-group range', async () => {
    const b = await backend(10, { start: 0, end: 63 });
    const outside = Array.from({ length: 200 }, (_, i) => i).find((k) => kg(k) > 63)!;
    expect(() => b.prefetch([outside], [kg(outside)])).toThrow(/outside this subtask's key-group range \[0, 63\]/);
    expect(() => b.setCurrentKey(outside, kg(outside))).toThrow(/routed to the wrong subtask/);
  });

  it('keys(): from the cache while nothing is on disk, after prepareKeys once state was written back', async () => {
    const b = await backend(10);
    const s = b.getValueState<number>({ kind: 'value', name: 'v' });
    await prefetch(b, [1, 2, 3]);
    for (const k of [1, 2]) {
      b.setCurrentKey(k, kg(k));
      s.update(k);
    }
    expect([...b.keys('v', VOID_NAMESPACE)].sort()).toEqual([1, 2]);
    expect([...b.keys('unknown', VOID_NAMESPACE)]).toEqual([]);
    const more = Array.from({ length: 30 }, (_, i) => 10 + i);
    await count(b, more); // another state; evictions write 'v' to disk too
    expect(() => b.keys('v', VOID_NAMESPACE)).toThrow(/await prepareKeys\('v', namespace\)/);
    await b.prepareKeys('v', VOID_NAMESPACE);
    expect([...b.keys('v', VOID_NAMESPACE)].sort()).toEqual([1, 2]);
    // Kept exact afterwards: a key cleared and evicted, a key added and evicted.
    await prefetch(b, [1, 50]);
    b.setCurrentKey(1, kg(1));
    s.clear();
    b.setCurrentKey(50, kg(50));
    s.update(50);
    await count(b, Array.from({ length: 30 }, (_, i) => 100 + i));
    expect([...b.keys('v', VOID_NAMESPACE)].sort((x, y) => (x as number) - (y as number))).toEqual([2, 50]);
    expect(() => b.keys('count', VOID_NAMESPACE)).toThrow(/prepareKeys/); // spilled, not prepared
  });

  it('flush() writes every dirty entry; state reads back after the cache turned over', async () => {
    const b = await backend(8);
    const m = b.getMapState<string, number>({ kind: 'map', name: 'm' });
    await prefetch(b, ['x']);
    b.setCurrentKey('x', kg('x'));
    m.put('a', 1);
    m.put('b', 2);
    await b.flush();
    expect(b.stats().writeOps).toBe(1); // one LevelDB entry per (key, namespace) for the whole map
    await count(b, Array.from({ length: 40 }, (_, i) => i));
    await prefetch(b, ['x']);
    b.setCurrentKey('x', kg('x'));
    expect([...m.entries()]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('cache-memory: the cache bounded by estimated bytes', () => {
  /** Writes `value(k)` for every key, batch by batch, and checks the cache bound after every batch. */
  async function fill(b: LevelKeyedStateBackend, keys: readonly number[], value: (k: number) => number[], batch = 64): Promise<void> {
    const s = b.getValueState<number[]>({ kind: 'value', name: 'v' });
    for (let i = 0; i < keys.length; i += batch) {
      const slice = keys.slice(i, i + batch);
      await new Promise((resolve) => setImmediate(resolve));
      await prefetch(b, slice);
      for (const k of slice) {
        b.setCurrentKey(k, kg(k));
        s.update(value(k));
      }
      const st = b.stats();
      // The batch's own keys are never evicted while it is processed: the bound holds up to one batch.
      expect(st.residentKeys).toBeLessThanOrEqual(st.keyLimit + batch);
    }
  }

  async function expectValues(b: LevelKeyedStateBackend, keys: readonly number[], value: (k: number) => number[]): Promise<void> {
    const s = b.getValueState<number[]>({ kind: 'value', name: 'v' });
    for (let i = 0; i < keys.length; i += 100) {
      const slice = keys.slice(i, i + 100);
      await prefetch(b, slice);
      for (const k of slice) {
        b.setCurrentKey(k, kg(k));
        expect(s.value()).toEqual(value(k));
      }
    }
  }

  it('keeps about cache-memory / estimated bytes per key resident, and every value survives eviction', async () => {
    const b = await LevelKeyedStateBackend.open(context(), { 'cache-memory': '64 kb' });
    open.push(b);
    const keys = Array.from({ length: 3000 }, (_, i) => i);
    const value = (k: number): number[] => Array.from({ length: 30 }, (_, j) => k + j);
    await fill(b, keys, value);
    const st = b.stats();
    // A slot (~230 bytes) plus an array of 30 Smis (48 + 240): ~520 bytes, so 64 KiB holds ~125 keys.
    expect(st.bytesPerKey).toBeGreaterThan(450);
    expect(st.bytesPerKey).toBeLessThan(600);
    expect(Math.abs(st.keyLimit - (64 << 10) / st.bytesPerKey)).toBeLessThan(2);
    expect(st.keyLimit).toBeGreaterThan(100);
    expect(st.keyLimit).toBeLessThan(150);
    expect(st.evictions).toBeGreaterThan(2500);
    await expectValues(b, keys, value);
  });

  it('takes the lower of cache-size and cache-memory when both are set', async () => {
    const b = await LevelKeyedStateBackend.open(context(), { 'cache-memory': '64 kb', 'cache-size': 40 });
    open.push(b);
    const keys = Array.from({ length: 500 }, (_, i) => i);
    await fill(b, keys, (k) => [k]);
    expect(b.stats().keyLimit).toBe(40);
    expect(b.stats().residentKeys).toBeLessThanOrEqual(40 + 64);
  });

  it('holds fewer keys as their state grows in place (the estimate follows re-sampled keys)', async () => {
    const b = await LevelKeyedStateBackend.open(context(), { 'cache-memory': '256 kb' });
    open.push(b);
    const list = b.getListState<number>({ kind: 'list', name: 'l' });
    const keys = Array.from({ length: 400 }, (_, i) => i);
    const limits: number[] = [];
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < keys.length; i += 50) {
        const slice = keys.slice(i, i + 50);
        await new Promise((resolve) => setImmediate(resolve));
        await prefetch(b, slice);
        for (const k of slice) {
          b.setCurrentKey(k, kg(k));
          for (let j = 0; j < 20; j++) list.add(k * 1000 + round * 20 + j);
        }
      }
      limits.push(b.stats().keyLimit);
    }
    // Reading on: the moving average catches up with the grown lists.
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < keys.length; i += 50) {
        const slice = keys.slice(i, i + 50);
        await prefetch(b, slice);
        for (const k of slice) {
          b.setCurrentKey(k, kg(k));
          expect([...(list.get() ?? [])]).toEqual(Array.from({ length: 240 }, (_, j) => k * 1000 + j));
        }
      }
    }
    // Lists of 20 numbers (~470 bytes a key): all 400 keys fit; of 240 numbers (~2.2 KB), about 120.
    expect(limits[0]).toBeGreaterThan(400);
    expect(limits[11]).toBeLessThan(limits[0]! / 2);
    const st = b.stats();
    expect(st.bytesPerKey).toBeGreaterThan(1900);
    expect(st.keyLimit).toBeLessThan(140);
    expect(st.residentKeys).toBeLessThanOrEqual(st.keyLimit + 50);
  });
});

describe('registration', () => {
  it('returns the same handle for the same name and rejects conflicting re-registration', async () => {
    const b = await backend();
    const a = b.getValueState({ kind: 'value', name: 'x' });
    expect(b.getValueState({ kind: 'value', name: 'x' })).toBe(a);
    expect(() => b.getListState({ kind: 'list', name: 'x' })).toThrow(/already registered as value state/);
    expect(() => b.getValueState({ kind: 'value', name: 'x', ttl: { ttlMs: 5 } })).toThrow(/different TTL/);
    expect(() => b.getValueState({ kind: 'list', name: 'y' } as never)).toThrow(/a list descriptor was passed/);
    expect(() => b.getValueState({ kind: 'value', name: '' })).toThrow(/non-empty name/);
    expect(() => b.getReducingState({ kind: 'reducing', name: 'r' } as never)).toThrow(/needs a reduce function/);
    expect(() => b.getValueState({ kind: 'value', name: 'z', ttl: { ttlMs: 0 } })).toThrow(/ttlMs must be/);
    expect(b.registeredStates().map((d) => d.name)).toEqual(['x']);
  });

  it('merging namespaces of value state or an aggregate without merge() fails', async () => {
    const b = await backend();
    b.getValueState({ kind: 'value', name: 'v' });
    b.getAggregatingState({
      kind: 'aggregating',
      name: 'a',
      aggregate: { createAccumulator: () => 0, add: (x: number, acc: number) => acc + x, getResult: (acc) => acc },
    });
    await prefetch(b, [1]);
    b.setCurrentKey(1, kg(1));
    expect(() => b.mergeNamespaces('v', 'w', ['u'])).toThrow(/value state 'v' cannot merge namespaces/);
    expect(() => b.mergeNamespaces('a', 'w', ['u'])).toThrow(/has no merge\(\)/);
    expect(() => b.mergeNamespaces('nope', 'w', ['u'])).toThrow(/no keyed state named 'nope'/);
  });
});

describe('lifecycle', () => {
  it('opens its own directory under the configured parent and deletes it on dispose (idempotent)', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'runnel-level-test-'));
    try {
      const backendFactory = new LevelStateBackend({ directory: parent, 'cache-size': 10 });
      expect(backendFactory.name).toBe('level');
      const b = await backendFactory.createKeyedStateBackend(context());
      expect(b.directory.startsWith(parent)).toBe(true);
      expect(existsSync(join(b.directory, 'LOCK'))).toBe(true);
      await b.dispose();
      await b.dispose();
      expect(existsSync(b.directory)).toBe(false);
      expect(await readdir(parent)).toEqual([]);
      expect(() => b.getValueState({ kind: 'value', name: 'x' })).toThrow(/disposed/);
      expect(() => b.prefetch([1], [kg(1)])).toThrow(/disposed/);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("uses the context's localDirectory when no directory is configured", async () => {
    const local = await mkdtemp(join(tmpdir(), 'runnel-level-local-'));
    try {
      const b = await new LevelStateBackend().createKeyedStateBackend({ ...context(), localDirectory: local });
      expect(b.directory.startsWith(local)).toBe(true);
      // By default the cache is bounded by its estimated bytes (cache-memory), not by a key count.
      expect(b.cacheSize).toBe(Infinity);
      expect(b.cacheMemory).toBe(24 << 20);
      await b.dispose();
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });

  it('validates options', () => {
    expect(() => new LevelStateBackend({ 'cache-size': 0 })).toThrow("option 'state.backend.level.cache-size': 0 is out of range (expected at least 1)");
    expect(() => new LevelStateBackend({ 'prefetch.max-point-read-namespaces': -1 })).toThrow(
      "option 'state.backend.level.prefetch.max-point-read-namespaces': -1 is out of range (expected at least 0)",
    );
  });

  it('leaves operator state to the runtime (no store of its own: it lives in JS memory, as with Flink)', () => {
    const backend: StateBackend = new LevelStateBackend();
    expect(backend.createOperatorStateStore).toBeUndefined();
  });
});
