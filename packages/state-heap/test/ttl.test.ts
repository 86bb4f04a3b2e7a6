import { describe, expect, it } from 'vitest';
import { VOID_NAMESPACE, type StateTtlConfig } from '@runnel/api/state';
import { createBackend } from './helpers.js';

const onWrite: StateTtlConfig = { ttlMs: 100 };
const onRead: StateTtlConfig = { ttlMs: 100, updateType: 'on-read-and-write' };
const returnExpired: StateTtlConfig = { ttlMs: 100, visibility: 'return-expired-if-not-cleaned-up' };
// Incremental cleanup off, so these tests see only the lazy behaviour on access.
const lazyOnly = { 'ttl.incremental-cleanup.cleanup-size': 0 } as const;

describe('TTL: value state', () => {
  it('on-create-and-write: reads do not extend the lifetime; expired reads give the default', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const v = backend.getValueState<number>({ kind: 'value', name: 'v', defaultValue: -1, ttl: onWrite });
    at('k');
    v.update(1);
    clock.now += 99;
    expect(v.value()).toBe(1);
    clock.now += 1; // last write + ttl <= now: expired
    expect(v.value()).toBe(-1);
    expect(backend.numEntries('v')).toBe(0); // removed lazily on access
    v.update(2);
    clock.now += 50;
    v.update(3); // a write refreshes
    clock.now += 99;
    expect(v.value()).toBe(3);
  });

  it('on-read-and-write: reads extend the lifetime', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const v = backend.getValueState<number>({ kind: 'value', name: 'v', ttl: onRead });
    at('k');
    v.update(1);
    for (let i = 0; i < 5; i++) {
      clock.now += 99;
      expect(v.value()).toBe(1);
    }
    clock.now += 100;
    expect(v.value()).toBeUndefined();
  });

  it('return-expired-if-not-cleaned-up returns an expired value once, then it is gone', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const v = backend.getValueState<number>({ kind: 'value', name: 'v', ttl: returnExpired });
    at('k');
    v.update(7);
    clock.now += 500;
    expect(v.value()).toBe(7);
    expect(v.value()).toBeUndefined();
  });

  it('keys() and forEachEntry skip expired entries unless expired ones are visible', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const hidden = backend.getValueState<number>({ kind: 'value', name: 'hidden', ttl: onWrite });
    const shown = backend.getValueState<number>({ kind: 'value', name: 'shown', ttl: returnExpired });
    at('old');
    hidden.update(1);
    shown.update(1);
    clock.now += 60;
    at('new');
    hidden.update(2);
    shown.update(2);
    clock.now += 60;
    expect(Array.from(backend.keys('hidden', VOID_NAMESPACE))).toEqual(['new']);
    expect(Array.from(backend.keys('shown', VOID_NAMESPACE)).sort()).toEqual(['new', 'old']);
    const seen: [string, unknown, unknown][] = [];
    for (let kg = 0; kg < 128; kg++) backend.forEachEntry(kg, (name, key, _ns, value) => seen.push([name, key, value]));
    expect(seen).toEqual(
      expect.arrayContaining([
        ['hidden', 'new', [2, 1060]],
        ['shown', 'new', [2, 1060]],
        ['shown', 'old', [1, 1000]],
      ]),
    );
    expect(seen).toHaveLength(3);
  });

  it('restores timestamps, so restored entries expire when they would have', () => {
    const source = createBackend(undefined, lazyOnly);
    const target = createBackend(undefined, lazyOnly);
    const sv = source.backend.getValueState<number>({ kind: 'value', name: 'v', ttl: onWrite });
    source.at('k');
    sv.update(5);
    for (let kg = 0; kg < 128; kg++) {
      source.backend.forEachEntry(kg, (name, key, ns, value) => target.backend.restoreEntry(name, kg, key, ns, value));
    }
    const tv = target.backend.getValueState<number>({ kind: 'value', name: 'v', ttl: onWrite });
    target.at('k');
    target.clock.now = 1099;
    expect(tv.value()).toBe(5);
    target.clock.now = 1100;
    expect(tv.value()).toBeUndefined();
    expect(() => target.backend.restoreEntry('v', 0, 'x', '', 5)).toThrow(/expected a \[value, timestamp\] pair/);
  });
});

describe('TTL: list, map, reducing, aggregating', () => {
  it('list elements expire individually', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const l = backend.getListState<string>({ kind: 'list', name: 'l', ttl: onWrite });
    at('k');
    l.add('a');
    clock.now += 50;
    l.addAll(['b', 'c']);
    clock.now += 50;
    expect(l.get()).toEqual(['b', 'c']);
    clock.now += 50;
    expect(l.get()).toEqual([]);
    expect(backend.numEntries('l')).toBe(0);
  });

  it('list with on-read-and-write refreshes every element on get; return-expired shows them once', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const r = backend.getListState<number>({ kind: 'list', name: 'r', ttl: onRead });
    const x = backend.getListState<number>({ kind: 'list', name: 'x', ttl: returnExpired });
    at('k');
    r.addAll([1, 2]);
    x.add(1);
    clock.now += 60;
    x.add(2);
    expect(r.get()).toEqual([1, 2]);
    clock.now += 60;
    expect(r.get()).toEqual([1, 2]);
    expect(x.get()).toEqual([1, 2]); // 1 is expired but not cleaned up yet
    expect(x.get()).toEqual([2]);
  });

  it('map entries expire individually', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const m = backend.getMapState<string, number>({ kind: 'map', name: 'm', ttl: onWrite });
    at('k');
    m.put('a', 1);
    m.putAll([['b', 2]]);
    clock.now += 50;
    m.put('a', 10); // write refreshes 'a'
    m.put('c', 3);
    clock.now += 60;
    m.put('d', 4);
    expect(m.contains('b')).toBe(false);
    expect(m.get('a')).toBe(10);
    expect(Array.from(m.keys()).sort()).toEqual(['a', 'c', 'd']);
    clock.now += 50;
    expect(Array.from(m.entries())).toEqual([['d', 4]]);
    expect(Array.from(m.values())).toEqual([4]);
    expect(m.isEmpty()).toBe(false);
    clock.now += 100;
    expect(m.isEmpty()).toBe(true);
    expect(backend.numEntries('m')).toBe(0);
  });

  it('map with on-read-and-write refreshes entries on get', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const m = backend.getMapState<string, number>({ kind: 'map', name: 'm', ttl: onRead });
    at('k');
    m.put('read', 1);
    m.put('unread', 2);
    clock.now += 60;
    expect(m.get('read')).toBe(1);
    clock.now += 60;
    expect(m.get('read')).toBe(1);
    expect(m.get('unread')).toBeUndefined();
  });

  it('reducing and aggregating state restart from scratch after expiry', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const r = backend.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (a, b) => a + b, ttl: onWrite });
    const g = backend.getAggregatingState<number, number[], number>({
      kind: 'aggregating',
      name: 'g',
      ttl: onWrite,
      aggregate: {
        createAccumulator: () => [],
        add: (v, acc) => [...acc, v],
        getResult: (acc) => acc.length,
      },
    });
    at('k');
    r.add(1);
    r.add(2);
    g.add(1);
    g.add(2);
    clock.now += 99;
    r.add(3); // refreshes
    g.add(3);
    clock.now += 99;
    expect(r.get()).toBe(6);
    expect(g.get()).toBe(3);
    clock.now += 100;
    expect(r.get()).toBeUndefined();
    r.add(4);
    g.add(4);
    expect(r.get()).toBe(4);
    expect(g.get()).toBe(1);
  });

  it('namespace merges drop expired sources under never-return-expired', () => {
    const { backend, at, clock } = createBackend(undefined, lazyOnly);
    const r = backend.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (a, b) => a + b, ttl: onWrite });
    const l = backend.getListState<number>({ kind: 'list', name: 'l', ttl: onWrite });
    at('k', 1);
    r.add(1);
    l.add(1);
    clock.now += 60;
    at('k', 2);
    r.add(2);
    l.add(2);
    at('k', 3);
    r.add(3);
    l.add(3);
    clock.now += 60; // namespace 1 has expired
    backend.mergeNamespaces('r', 3, [1, 2]);
    backend.mergeNamespaces('l', 3, [1, 2]);
    at('k', 3);
    expect(r.get()).toBe(5);
    expect(l.get()).toEqual([3, 2]);
    at('k', 1);
    expect(r.get()).toBeUndefined();
  });

  it('validates the TTL configuration', () => {
    const { backend } = createBackend();
    expect(() => backend.getValueState({ kind: 'value', name: 'a', ttl: { ttlMs: 0 } })).toThrow(/state 'a': ttlMs/);
    expect(() =>
      backend.getValueState({ kind: 'value', name: 'b', ttl: { ttlMs: 1, updateType: 'sometimes' as never } }),
    ).toThrow(/updateType/);
  });
});

describe('TTL: incremental cleanup', () => {
  it('frees expired entries of keys that are never read again', () => {
    const { backend, at, clock } = createBackend(undefined, { 'ttl.incremental-cleanup.cleanup-size': 5 });
    const v = backend.getValueState<number>({ kind: 'value', name: 'v', ttl: onWrite });
    const l = backend.getListState<number>({ kind: 'list', name: 'l', ttl: onWrite });
    const m = backend.getMapState<number, number>({ kind: 'map', name: 'm', ttl: onWrite });
    for (let k = 0; k < 1_000; k++) {
      at(k, k % 2 === 0 ? VOID_NAMESPACE : `w${k % 7}`);
      v.update(k);
      l.add(k);
      m.put(k, k);
    }
    expect(backend.numEntries()).toBe(3_000);
    clock.now += 1_000; // everything has expired
    // Keep accessing a handful of fresh keys only; the cleanup walks the rest.
    for (let i = 0; i < 2_000; i++) {
      at(`fresh${i % 10}`);
      v.update(i);
      l.update([i]);
      m.put(0, i);
    }
    expect(backend.numEntries()).toBe(30);
    expect(Array.from(backend.keys('v', 'w1'))).toEqual([]);
  });

  it('keeps live entries and prunes only expired list elements and map entries', () => {
    const { backend, at, clock } = createBackend(undefined, { 'ttl.incremental-cleanup.cleanup-size': 5 });
    // With visible expired values, snapshots include whatever the cleanup has not removed yet.
    const l = backend.getListState<number>({ kind: 'list', name: 'l', ttl: returnExpired });
    const m = backend.getMapState<string, number>({ kind: 'map', name: 'm', ttl: returnExpired });
    for (let k = 0; k < 100; k++) {
      at(k);
      l.add(1);
      m.put('old', 1);
    }
    clock.now += 60;
    for (let k = 0; k < 100; k++) {
      at(k);
      l.add(2);
      m.put('new', 2);
    }
    clock.now += 60; // the first elements/entries expired
    at('driver');
    for (let i = 0; i < 1_000; i++) l.get();
    for (let i = 0; i < 1_000; i++) m.get('x');
    let elements = 0;
    let entries = 0;
    for (let kg = 0; kg < 128; kg++) {
      backend.forEachEntry(kg, (name, _key, _ns, value) => {
        if (name === 'l') elements += (value as unknown[]).length;
        else entries += (value as unknown[]).length;
      });
    }
    expect(elements).toBe(100);
    expect(entries).toBe(100);
    expect(backend.numEntries()).toBe(200);
  });

  it('rejects an invalid cleanup size', () => {
    expect(() => createBackend(undefined, { 'ttl.incremental-cleanup.cleanup-size': -1 })).toThrow(/cleanup-size/);
  });
});
