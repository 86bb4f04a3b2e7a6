import { describe, expect, it } from 'vitest';
import {
  keyGroupFor,
  keyGroupRangeForSubtask,
  VOID_NAMESPACE,
  type AggregateFunction,
  type StateNamespace,
} from '@runnel/api/state';
import { createBackend, MAX_PARALLELISM } from './helpers.js';

const avg: AggregateFunction<number, { sum: number; n: number }, number> = {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  add: (v, acc) => ({ sum: acc.sum + v, n: acc.n + 1 }),
  getResult: (acc) => acc.sum / acc.n,
  merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }),
};

describe('HeapKeyedStateBackend: state kinds', () => {
  it('value state is per key, returns the default when unset, clears', () => {
    const { backend, at } = createBackend();
    const count = backend.getValueState<number>({ kind: 'value', name: 'count', defaultValue: 0 });
    const plain = backend.getValueState<string>({ kind: 'value', name: 'plain' });
    for (const k of [1, 2, 1, 'a', 1, 2]) {
      at(k);
      count.update(count.value()! + 1);
    }
    at(1);
    expect(count.value()).toBe(3);
    expect(plain.value()).toBeUndefined();
    plain.update('x');
    at(2);
    expect(count.value()).toBe(2);
    expect(plain.value()).toBeUndefined();
    at('a');
    expect(count.value()).toBe(1);
    count.clear();
    expect(count.value()).toBe(0);
    at(1);
    expect(plain.value()).toBe('x');
    plain.update(undefined as unknown as string);
    expect(plain.value()).toBeUndefined();
    expect(backend.getCurrentKey()).toBe(1);
    expect(backend.getCurrentKeyGroup()).toBe(keyGroupFor(1, MAX_PARALLELISM));
  });

  it('list state appends, replaces, returns [] when empty', () => {
    const { backend, at } = createBackend();
    const list = backend.getListState<number>({ kind: 'list', name: 'l' });
    at('k1');
    expect(list.get()).toEqual([]);
    list.add(1);
    list.addAll([2, 3]);
    at('k2');
    list.addAll([]);
    expect(list.get()).toEqual([]);
    expect(Array.from(backend.keys('l', VOID_NAMESPACE))).toEqual(['k1']);
    list.update([9]);
    at('k1');
    expect(list.get()).toEqual([1, 2, 3]);
    list.update([]);
    expect(list.get()).toEqual([]);
    at('k2');
    expect(list.get()).toEqual([9]);
    list.clear();
    expect(list.get()).toEqual([]);
    expect(backend.numEntries('l')).toBe(0);
  });

  it('map state is per key and namespace, with primitive and tuple map keys', () => {
    const { backend, at } = createBackend();
    const map = backend.getMapState<unknown, number>({ kind: 'map', name: 'm' });
    at('u1');
    expect(map.isEmpty()).toBe(true);
    map.put('a', 1);
    map.put(['b', 2], 2);
    map.putAll([
      [3, 3],
      [new Date(7), 4],
    ]);
    expect(map.get(['b', 2])).toBe(2);
    expect(map.get(['b', '2'])).toBeUndefined();
    expect(map.contains(3)).toBe(true);
    expect(map.contains('3')).toBe(false);
    expect(Array.from(map.keys())).toEqual(['a', ['b', 2], 3, new Date(7)]);
    expect(Array.from(map.values())).toEqual([1, 2, 3, 4]);
    expect(Array.from(map.entries())).toEqual([
      ['a', 1],
      [['b', 2], 2],
      [3, 3],
      [new Date(7), 4],
    ]);
    at('u1', 'w1');
    expect(map.isEmpty()).toBe(true);
    map.put('a', 100);
    at('u2');
    expect(map.get('a')).toBeUndefined();
    at('u1');
    expect(map.get('a')).toBe(1);
    map.remove('a');
    map.remove(['b', 2]);
    map.remove(3);
    expect(map.isEmpty()).toBe(false);
    map.remove(new Date(7));
    expect(map.isEmpty()).toBe(true);
    expect(Array.from(backend.keys('m', VOID_NAMESPACE))).toEqual([]);
    at('u1', 'w1');
    expect(map.get('a')).toBe(100);
    map.clear();
    expect(backend.numEntries('m')).toBe(0);
  });

  it('reducing and aggregating state apply their function on add', () => {
    const { backend, at } = createBackend();
    const max = backend.getReducingState<number>({ kind: 'reducing', name: 'max', reduce: Math.max });
    const mean = backend.getAggregatingState({ kind: 'aggregating', name: 'mean', aggregate: avg });
    at(7);
    expect(max.get()).toBeUndefined();
    expect(mean.get()).toBeUndefined();
    for (const v of [3, 9, 4]) {
      max.add(v);
      mean.add(v);
    }
    at(8);
    max.add(-1);
    mean.add(10);
    at(7);
    expect(max.get()).toBe(9);
    expect(mean.get()).toBeCloseTo(16 / 3);
    max.clear();
    mean.clear();
    expect(max.get()).toBeUndefined();
    expect(mean.get()).toBeUndefined();
    at(8);
    expect(max.get()).toBe(-1);
    expect(mean.get()).toBe(10);
  });

  it('scopes every kind to the current namespace', () => {
    const { backend, at } = createBackend();
    const v = backend.getValueState<number>({ kind: 'value', name: 'v' });
    const l = backend.getListState<number>({ kind: 'list', name: 'l' });
    const r = backend.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (a, b) => a + b });
    const namespaces: StateNamespace[] = [VOID_NAMESPACE, 'w1', 2, 0];
    namespaces.forEach((ns, i) => {
      at('k', ns);
      v.update(i);
      l.add(i);
      r.add(i + 10);
      r.add(1);
    });
    namespaces.forEach((ns, i) => {
      at('k', ns);
      expect(backend.getCurrentNamespace()).toBe(ns);
      expect(v.value()).toBe(i);
      expect(l.get()).toEqual([i]);
      expect(r.get()).toBe(i + 11);
    });
    at('other', 'w1');
    expect(v.value()).toBeUndefined();
    // Clearing the last key of a namespace drops the namespace's map.
    at('k', 'w1');
    v.clear();
    expect(Array.from(backend.keys('v', 'w1'))).toEqual([]);
    expect(backend.numEntries('v')).toBe(3);
  });

  it('uses tuple and date keys by value, and keys() returns equal key values', () => {
    const { backend, at } = createBackend();
    const v = backend.getValueState<number>({ kind: 'value', name: 'v', defaultValue: 0 });
    at(['user', 1]);
    v.update(v.value()! + 1);
    at(['user', 1]);
    v.update(v.value()! + 1);
    at(['user', '1']);
    v.update(v.value()! + 5);
    at(new Date(1000));
    v.update(1);
    at('\u0001tricky');
    v.update(2);
    at(['user', 1]);
    expect(v.value()).toBe(2);
    const keys = Array.from(backend.keys('v', VOID_NAMESPACE));
    expect(keys).toHaveLength(4);
    expect(keys).toEqual(expect.arrayContaining([['user', 1], ['user', '1'], new Date(1000), '\u0001tricky']));
  });

  it('keys() lists keys that have state in a namespace, across key groups', () => {
    const { backend, at } = createBackend();
    const v = backend.getValueState<number>({ kind: 'value', name: 'v' });
    const expected = new Set<number>();
    for (let k = 0; k < 500; k++) {
      at(k, k % 2 === 0 ? 'even' : VOID_NAMESPACE);
      v.update(k);
      if (k % 2 === 1) expected.add(k);
    }
    const keys = Array.from(backend.keys('v', VOID_NAMESPACE)) as number[];
    expect(new Set(keys)).toEqual(expected);
    expect(keys).toHaveLength(250);
    expect(Array.from(backend.keys('v', 'even'))).toHaveLength(250);
    expect(Array.from(backend.keys('v', 'none'))).toEqual([]);
    expect(Array.from(backend.keys('unknown', VOID_NAMESPACE))).toEqual([]);
    // Clearing while iterating is allowed (apply-to-all-keys).
    for (const k of backend.keys('v', VOID_NAMESPACE)) {
      at(k);
      v.clear();
    }
    expect(Array.from(backend.keys('v', VOID_NAMESPACE))).toEqual([]);
  });
});

describe('HeapKeyedStateBackend: registration and routing', () => {
  it('returns the same handle for the same name and kind, and rejects another kind', () => {
    const { backend } = createBackend();
    const a = backend.getValueState<number>({ kind: 'value', name: 's' });
    expect(backend.getValueState<number>({ kind: 'value', name: 's' })).toBe(a);
    expect(() => backend.getListState({ kind: 'list', name: 's' })).toThrow(
      "state 's' is already registered as value state and cannot be used as list state",
    );
    expect(() => backend.getValueState({ kind: 'value', name: 's', ttl: { ttlMs: 10 } })).toThrow(/different TTL/);
    expect(() => backend.getValueState({ kind: 'list', name: 'x' } as never)).toThrow(/list descriptor/);
    backend.getListState({ kind: 'list', name: 'l' });
    expect(backend.registeredStates().map((d) => [d.name, d.kind])).toEqual([
      ['s', 'value'],
      ['l', 'list'],
    ]);
  });

  it('rejects key groups outside its range and access before a key is set', () => {
    const range = keyGroupRangeForSubtask(MAX_PARALLELISM, 4, 1);
    const { backend } = createBackend(range);
    const v = backend.getValueState<number>({ kind: 'value', name: 'v' });
    expect(() => v.update(1)).toThrow(/no current key/);
    expect(() => backend.setCurrentKey('k', range.start - 1)).toThrow(
      new RegExp(`key group ${range.start - 1} of key k is outside .* \\[${range.start}, ${range.end}\\]`),
    );
    expect(() => backend.setCurrentKey('k', range.end + 1)).toThrow(/wrong subtask/);
    expect(() => backend.setCurrentKey('k', 1.5 + range.start)).toThrow(/outside/);
    backend.setCurrentKey('k', range.end);
    v.update(3);
    expect(v.value()).toBe(3);
  });

  it('dispose is idempotent and drops state', () => {
    const { backend, at } = createBackend();
    const v = backend.getValueState<number>({ kind: 'value', name: 'v' });
    at(1);
    v.update(1);
    backend.dispose();
    backend.dispose();
    expect(backend.numEntries()).toBe(0);
    expect(() => at(1)).toThrow(/disposed/);
    expect(() => backend.getValueState({ kind: 'value', name: 'w' })).toThrow(/disposed/);
  });
});

describe('HeapKeyedStateBackend: mergeNamespaces', () => {
  it('concatenates lists and clears the sources', () => {
    const { backend, at } = createBackend();
    const l = backend.getListState<number>({ kind: 'list', name: 'l' });
    at('k', 'a');
    l.addAll([1, 2]);
    at('k', 'b');
    l.add(3);
    at('k', 'c');
    l.add(4);
    at('other', 'b');
    l.add(99);
    at('k', 'a');
    backend.mergeNamespaces('l', 'c', ['a', 'b', 'missing', 'c']);
    at('k', 'c');
    expect(l.get()).toEqual([4, 1, 2, 3]);
    at('k', 'a');
    expect(l.get()).toEqual([]);
    at('k', 'b');
    expect(l.get()).toEqual([]);
    at('other', 'b');
    expect(l.get()).toEqual([99]);
  });

  it('merges reducing, aggregating and map state into an empty target', () => {
    const { backend, at } = createBackend();
    const r = backend.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (a, b) => a + b });
    const g = backend.getAggregatingState({ kind: 'aggregating', name: 'g', aggregate: avg });
    const m = backend.getMapState<string, number>({ kind: 'map', name: 'm' });
    at('k', 1);
    r.add(1);
    g.add(1);
    m.put('x', 1);
    m.put('y', 1);
    at('k', 2);
    r.add(2);
    g.add(5);
    m.put('y', 2);
    backend.mergeNamespaces('r', 3, [1, 2]);
    backend.mergeNamespaces('g', 3, [1, 2]);
    backend.mergeNamespaces('m', 3, [1, 2]);
    at('k', 3);
    expect(r.get()).toBe(3);
    expect(g.get()).toBe(3);
    expect(Object.fromEntries(m.entries())).toEqual({ x: 1, y: 2 });
    at('k', 1);
    expect(r.get()).toBeUndefined();
    expect(m.isEmpty()).toBe(true);
    expect(backend.numEntries()).toBe(3);
  });

  it('refuses value state and aggregating state without merge', () => {
    const { backend, at } = createBackend();
    backend.getValueState<number>({ kind: 'value', name: 'v' });
    const { merge: _unused, ...noMerge } = avg;
    backend.getAggregatingState({ kind: 'aggregating', name: 'g', aggregate: noMerge });
    at('k', 1);
    expect(() => backend.mergeNamespaces('v', 2, [1])).toThrow(/value state 'v' cannot merge/);
    expect(() => backend.mergeNamespaces('g', 2, [1])).toThrow(/aggregating state 'g' .* no merge/);
    expect(() => backend.mergeNamespaces('nope', 2, [1])).toThrow(/no keyed state named 'nope'/);
  });
});

describe('HeapKeyedStateBackend: forEachEntry / restoreEntry', () => {
  it('round-trips all state into backends with other key-group ranges (rescale)', () => {
    const source = createBackend(); // one subtask owning all key groups
    const sv = source.backend.getValueState<number>({ kind: 'value', name: 'v' });
    const sl = source.backend.getListState<string>({ kind: 'list', name: 'l' });
    const sm = source.backend.getMapState<unknown, number>({ kind: 'map', name: 'm' });
    const sg = source.backend.getAggregatingState({ kind: 'aggregating', name: 'g', aggregate: avg });
    const keys: unknown[] = [];
    for (let i = 0; i < 300; i++) keys.push(i % 3 === 0 ? ['t', i] : i % 3 === 1 ? `s${i}` : i);
    for (const k of keys) {
      source.at(k);
      sv.update(keys.indexOf(k));
      sl.addAll(['a', String(k)]);
      sm.put([k, 'x'], 1);
      sm.put('plain', 2);
      source.at(k, 'w');
      sg.add(4);
      sg.add(6);
    }

    // Snapshot per key group, restore into three subtasks; register some states before, some after restoring.
    const targets = [0, 1, 2].map((i) => createBackend(keyGroupRangeForSubtask(MAX_PARALLELISM, 3, i)));
    for (const t of targets) t.backend.getValueState<number>({ kind: 'value', name: 'v' });
    let visited = 0;
    for (let kg = 0; kg < MAX_PARALLELISM; kg++) {
      const owner = targets.find((t) => kg >= t.backend.keyGroupRange.start && kg <= t.backend.keyGroupRange.end)!;
      source.backend.forEachEntry(kg, (name, key, ns, value) => {
        visited++;
        expect(keyGroupFor(key, MAX_PARALLELISM)).toBe(kg);
        owner.backend.restoreEntry(name, kg, key, ns, value);
      });
    }
    expect(visited).toBe(4 * keys.length);
    // Canonical forms, as KeyedStateEntry describes them.
    const forms = new Map<string, unknown>();
    source.backend.forEachEntry(keyGroupFor(2, MAX_PARALLELISM), (name, key, _ns, value) => {
      if (key === 2) forms.set(name, value);
    });
    expect(Object.fromEntries(forms)).toEqual({
      v: keys.indexOf(2),
      l: ['a', '2'],
      m: [
        [[2, 'x'], 1],
        ['plain', 2],
      ],
      g: { sum: 10, n: 2 },
    });
    expect(() => targets[0]!.backend.restoreEntry('v', targets[1]!.backend.keyGroupRange.start, 1, '', 1)).toThrow(
      /outside/,
    );

    for (const t of targets) {
      const v = t.backend.getValueState<number>({ kind: 'value', name: 'v' });
      const l = t.backend.getListState<string>({ kind: 'list', name: 'l' });
      const m = t.backend.getMapState<unknown, number>({ kind: 'map', name: 'm' });
      const g = t.backend.getAggregatingState({ kind: 'aggregating', name: 'g', aggregate: avg });
      for (const k of Array.from(t.backend.keys('v', VOID_NAMESPACE))) {
        t.at(k);
        expect(v.value()).toBe(keys.findIndex((x) => JSON.stringify(x) === JSON.stringify(k)));
        expect(l.get()).toEqual(['a', String(k)]);
        expect(m.get([k, 'x'])).toBe(1);
        expect(m.get('plain')).toBe(2);
        t.at(k, 'w');
        expect(g.get()).toBe(5);
      }
    }
    const restoredKeys = targets.flatMap((t) => Array.from(t.backend.keys('v', VOID_NAMESPACE)));
    expect(restoredKeys).toHaveLength(keys.length);
    expect(new Set(restoredKeys.map((k) => JSON.stringify(k)))).toEqual(new Set(keys.map((k) => JSON.stringify(k))));
    expect(targets.reduce((n, t) => n + t.backend.numEntries(), 0)).toBe(4 * keys.length);
  });

  it('rejects forEachEntry of a key group it does not own', () => {
    const { backend } = createBackend({ start: 10, end: 20 });
    expect(() => backend.forEachEntry(9, () => {})).toThrow(/outside this backend's key-group range \[10, 20\]/);
  });
});
