// Incremental snapshots of the heap backend: a chain (full snapshot, then deltas with tombstones) restored in order
// must give exactly the state a full snapshot gives, under random operations on every state kind, windows merging,
// TTL expiry, in-place mutation of values handed out, and checkpoints that never complete (bases that skip them).
import { describe, expect, it } from 'vitest';
import { keyGroupFor, type KeyGroupEntries, type KeyedStateEncoder, type KeyedStateEntry, type StateMetaInfo } from '@runnel/api/state';
import { HeapKeyedStateBackend } from '../src/index.js';

const MAX = 32;

function newBackend(incremental: boolean, clock: { now: number }, range = { start: 0, end: MAX - 1 }): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({
    jobId: 'j',
    operatorUid: 'op',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: MAX,
    keyGroupRange: range,
    clock: () => clock.now,
    incrementalSnapshots: incremental,
  });
}

/** Collects what an encoder receives (structured-cloned, as the file format would). */
class Collector implements KeyedStateEncoder {
  readonly groups: KeyGroupEntries[] = [];
  private current: KeyedStateEntry[] | undefined;
  private kg = -1;
  beginKeyGroup(keyGroup: number): void {
    this.kg = keyGroup;
    this.current = [];
  }
  entry(state: string, key: unknown, namespace: string | number, value: unknown): void {
    this.current!.push({ state, key, namespace, value: value === undefined ? undefined : structuredClone(value) });
  }
  endKeyGroup(): void {
    if (this.current!.length > 0) this.groups.push({ keyGroup: this.kg, entries: this.current! });
    this.current = undefined;
  }
}

function register(b: HeapKeyedStateBackend) {
  return {
    v: b.getValueState<{ n: number }>({ kind: 'value', name: 'v' }),
    l: b.getListState<number>({ kind: 'list', name: 'l' }),
    m: b.getMapState<string, number>({ kind: 'map', name: 'm' }),
    r: b.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (x, y) => x + y }),
    a: b.getAggregatingState<number, [number, number], number>({
      kind: 'aggregating',
      name: 'a',
      aggregate: {
        createAccumulator: () => [0, 0],
        // Mutates the accumulator in place, as many user functions do.
        add: (x, acc) => ((acc[0] += x), (acc[1] += 1), acc),
        getResult: (acc) => acc[0] / acc[1],
        merge: (x, y) => [x[0] + y[0], x[1] + y[1]],
      },
    }),
    t: b.getValueState<number>({ kind: 'value', name: 't', ttl: { ttlMs: 50 } }),
  };
}

/** Every entry of the backend, canonical and sorted: what a full snapshot holds. */
function dump(b: HeapKeyedStateBackend): string[] {
  const out: string[] = [];
  for (let kg = 0; kg < MAX; kg++) {
    if (kg < b.keyGroupRange.start || kg > b.keyGroupRange.end) continue;
    b.forEachEntry(kg, (state, key, ns, value) => out.push(JSON.stringify([kg, state, key, ns, value])));
  }
  return out.sort();
}

function restoreChain(chain: { states: StateMetaInfo[]; groups: KeyGroupEntries[] }[], clock: { now: number }, registerFirst: boolean): HeapKeyedStateBackend {
  const b = newBackend(true, clock);
  if (registerFirst) register(b);
  for (const part of chain) b.restore(part.states, part.groups);
  if (!registerFirst) register(b);
  return b;
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('HeapKeyedStateBackend incremental snapshots', () => {
  it('returns undefined without touching the encoder when changes are not tracked or the base is unknown', () => {
    const clock = { now: 0 };
    const untracked = newBackend(false, clock);
    register(untracked);
    const enc = new Collector();
    untracked.snapshotTo(1, enc);
    const delta = new Collector();
    expect(untracked.snapshotChangesTo(2, 1, delta)).toBeUndefined();
    expect(delta.groups).toHaveLength(0);

    const tracked = newBackend(true, clock);
    register(tracked);
    tracked.snapshotTo(1, new Collector());
    expect(tracked.snapshotChangesTo(2, 7, delta)).toBeUndefined();
    expect(delta.groups).toHaveLength(0);
    expect(tracked.snapshotChangesTo(2, 1, delta)).toBeDefined();
  });

  it('a delta holds only the touched positions, with tombstones for removed entries', () => {
    const clock = { now: 0 };
    const b = newBackend(true, clock);
    const s = register(b);
    const at = (key: number, ns: string | number = '') => {
      b.setCurrentKey(key, keyGroupFor(key, MAX));
      b.setCurrentNamespace(ns);
    };
    for (let k = 0; k < 1000; k++) {
      at(k);
      s.v.update({ n: k });
    }
    const base = new Collector();
    b.snapshotTo(1, base);
    expect(base.groups.reduce((n, g) => n + g.entries.length, 0)).toBe(1000);
    at(3);
    s.v.update({ n: -3 });
    at(4);
    s.v.clear();
    at(5);
    s.v.value()!.n = 55; // in place, through a read
    const delta = new Collector();
    b.snapshotChangesTo(2, 1, delta);
    const entries = delta.groups.flatMap((g) => g.entries).sort((x, y) => Number(x.key) - Number(y.key));
    expect(entries).toEqual([
      { state: 'v', key: 3, namespace: '', value: { n: -3 } },
      { state: 'v', key: 4, namespace: '', value: undefined },
      { state: 'v', key: 5, namespace: '', value: { n: 55 } },
    ]);
    const restored = restoreChain(
      [
        { states: [], groups: base.groups },
        { states: [], groups: delta.groups },
      ].map((p) => ({ ...p, states: [{ name: 'v', kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 } }] as StateMetaInfo[] })),
      clock,
      false,
    );
    expect(dump(restored)).toEqual(dump(b));
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`a restored chain equals the live state under random operations (seed ${seed})`, () => {
      const random = rng(seed);
      const clock = { now: 1_000 };
      const b = newBackend(true, clock);
      const s = register(b);
      // The same operations on an untracked backend: tracking must not change what the state holds.
      const ref = newBackend(false, clock);
      const rs = register(ref);
      const chains = new Map<number, { states: StateMetaInfo[]; groups: KeyGroupEntries[] }[]>();
      let lastCompleted: number | undefined;
      let fulls = 0;
      let deltas = 0;
      for (let id = 1; id <= 14; id++) {
        for (let i = 0; i < 400; i++) {
          const key = Math.floor(random() * 60);
          const ns = random() < 0.5 ? '' : Math.floor(random() * 4);
          // Sometimes several operations at one position without moving the cursor (read, remove, write again
          // within one cursor epoch: the table's remembered cell must not outlive a removal).
          const ops = Array.from({ length: random() < 0.3 ? 3 : 1 }, () => [Math.floor(random() * 12), random()] as const);
          for (const [be, st] of [[b, s], [ref, rs]] as const) {
            be.setCurrentKey(key, keyGroupFor(key, MAX));
            be.setCurrentNamespace(ns);
            for (const [op, r] of ops) {
              switch (op) {
                case 0: st.v.update({ n: i }); break;
                case 1: st.v.clear(); break;
                case 2: { const x = st.v.value(); if (x) x.n += 1; break; }
                case 3: st.l.add(i); break;
                case 4: st.l.update(r < 0.3 ? [] : [i, i + 1]); break;
                case 5: st.m.put(`k${i % 5}`, i); break;
                case 6: st.m.remove(`k${i % 5}`); break;
                case 7: st.r.add(i); break;
                case 8: st.a.add(i); break;
                case 9: st.t.update(i); break;
                case 10: if (ns !== '') be.mergeNamespaces('r', ns, [(Number(ns) + 1) % 4]); else st.r.clear(); break;
                case 11: st.a.clear(); break;
              }
            }
          }
          if (random() < 0.01) clock.now += 30; // TTL entries expire along the way
        }
        expect(dump(b)).toEqual(dump(ref));
        const enc = new Collector();
        // Every fourth checkpoint is full; every third never completes (later deltas skip it as a base).
        let states: StateMetaInfo[] | undefined;
        let chain: { states: StateMetaInfo[]; groups: KeyGroupEntries[] }[];
        if (lastCompleted !== undefined && id % 4 !== 0) {
          states = b.snapshotChangesTo(id, lastCompleted, enc);
          expect(states).toBeDefined();
          chain = [...chains.get(lastCompleted)!, { states: states!, groups: enc.groups }];
          deltas++;
        } else {
          states = b.snapshotTo(id, enc);
          chain = [{ states, groups: enc.groups }];
          fulls++;
        }
        chains.set(id, chain);
        if (id % 3 !== 0) lastCompleted = id;
        const expected = dump(b);
        expect(dump(restoreChain(chain, clock, id % 2 === 0))).toEqual(expected);
      }
      expect(fulls).toBeGreaterThan(1);
      expect(deltas).toBeGreaterThan(5);
    });
  }

  it('reuses the slots of removed entries once the checkpoints that could name them are bases no more', () => {
    const clock = { now: 0 };
    const b = newBackend(true, clock);
    const v = b.getValueState<number>({ kind: 'value', name: 'v' });
    // The table is internal; its slot count is what would leak.
    const table = (b as unknown as { states: Map<string, { handle: { table: { vals: unknown[] } } }> }).states.get('v')!.handle.table;
    b.snapshotTo(1, new Collector());
    for (let cp = 2; cp < 40; cp++) {
      for (let k = 0; k < 50; k++) {
        b.setCurrentKey(k + cp * 1000, keyGroupFor(k + cp * 1000, MAX));
        v.update(k);
      }
      for (let k = 0; k < 50; k++) {
        b.setCurrentKey(k + cp * 1000, keyGroupFor(k + cp * 1000, MAX));
        v.clear();
      }
      expect(b.snapshotChangesTo(cp, cp - 1, new Collector())).toBeDefined();
    }
    // Each interval's 50 slots come back two captures later (when a newer checkpoint is the base).
    expect(table.vals.length).toBeLessThanOrEqual(150);
  });
});
