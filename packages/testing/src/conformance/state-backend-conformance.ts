// The conformance suite of StateBackend implementations: every state kind (value, list, map, reducing,
// aggregating) scoped by key and namespace, namespace merging, key listing, TTL with the semantics of
// @runnel/api/state's TtlPolicy, snapshot/restore through the checkpoint's key-group format, rescaling by key group
// (a subset of key groups into two backends and back into one), serializer ids and versions persisted and checked at
// restore (state-backend-serializer-cases.ts), and keys of foreign key groups rejected. Cases drive the backend as the runtime's keyed operators do (KeyedBackendDriver).
import { TtlPolicy, type StateBackend, type StateDescriptor, type StateTtlConfig, type VersionedSerializer } from '@runnel/api';
import { KeyedBackendDriver, type KeyedBackendDriverOptions } from '../state/keyed-backend-driver.js';
import { serializerCases } from './state-backend-serializer-cases.js';
import { check, type ConformanceCase, type ConformanceSuite } from './suite.js';

/**
 * What {@link stateBackendConformance} needs.
 *
 * @public
 */
export interface StateBackendConformanceOptions {
  /** Suite name (default `state backend conformance`). */
  readonly name?: string;
  /** A new backend; called for every keyed backend a case creates (restores create new ones). */
  createBackend(): StateBackend | Promise<StateBackend>;
  /** A new, empty directory for one keyed backend's local files (backends that keep state on disk). */
  readonly localDirectory?: () => string | Promise<string>;
  /** Runs after each case (e.g. removes the directories). */
  readonly cleanup?: () => void | Promise<void>;
}

/** Keys of several kinds (numbers, strings, tuples, objects) spread over many key groups. */
const KEYS: readonly unknown[] = [...Array.from({ length: 40 }, (_, i) => `key-${i}`), ...Array.from({ length: 20 }, (_, i) => i * 7), [1, 'a'], { id: 3, region: 'eu' }];

/** A serializer with its own id and version, to check that both are persisted. */
const INT_SERIALIZER: VersionedSerializer<number> = {
  id: 'conformance.int32',
  version: 3,
  serialize(v) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v);
    return b;
  },
  deserialize(bytes, version) {
    if (version !== 3) throw new Error(`conformance.int32: unknown version ${version}`);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(0);
  },
};

/** Average of numbers, with merge (needed by merging namespaces). */
const avg = {
  createAccumulator: (): [number, number] => [0, 0],
  add: (v: number, acc: [number, number]): [number, number] => [acc[0] + v, acc[1] + 1],
  getResult: (acc: [number, number]): number => acc[0] / acc[1],
  merge: (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]],
};
const sum = (a: number, b: number): number => a + b;
const TTL_WRITE: StateTtlConfig = { ttlMs: 100 };
const TTL_READ: StateTtlConfig = { ttlMs: 100, updateType: 'on-read-and-write' };

/**
 * Every state the cases use, registered when a keyed backend opens (as operators register theirs in open(), before
 * any record): backends that load state per key (LevelDB) need to know the states before keys are prefetched.
 */
const DESCRIPTORS: readonly StateDescriptor[] = [
  { kind: 'value', name: 'v', serializer: INT_SERIALIZER },
  { kind: 'value', name: 'vd', defaultValue: 7 },
  { kind: 'list', name: 'l' },
  { kind: 'map', name: 'm' },
  { kind: 'reducing', name: 'r', reduce: sum },
  { kind: 'aggregating', name: 'a', aggregate: avg },
  { kind: 'value', name: 't', ttl: { ttlMs: 1_000 } },
  { kind: 'value', name: 'ttl', ttl: { ttlMs: 60_000 } },
  ...(['write', 'read'] as const).flatMap((n): StateDescriptor[] => {
    const ttl = n === 'write' ? TTL_WRITE : TTL_READ;
    return [
      { kind: 'value', name: `v-${n}`, ttl },
      { kind: 'list', name: `l-${n}`, ttl },
      { kind: 'map', name: `m-${n}`, ttl },
    ];
  }),
];

const eq = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);
function same(actual: unknown, expected: unknown, what: string): void {
  check(eq(actual, expected), () => `${what}: got ${show(actual)}, expected ${show(expected)}`);
}

/**
 * The cases every state backend must pass, as a suite for {@link describeConformance}.
 *
 * @public
 */
export function stateBackendConformance(options: StateBackendConformanceOptions): ConformanceSuite {
  if (options === null || typeof options !== 'object' || typeof options.createBackend !== 'function') {
    throw new TypeError('stateBackendConformance: options.createBackend (a function returning a new StateBackend) is required');
  }
  const opened: KeyedBackendDriver[] = [];
  const backends: StateBackend[] = [];
  const open = async (o: KeyedBackendDriverOptions & { readonly register?: boolean } = {}): Promise<KeyedBackendDriver> => {
    const b = await options.createBackend();
    if (b === null || typeof b !== 'object' || typeof b.createKeyedStateBackend !== 'function') throw new TypeError('stateBackendConformance: createBackend() did not return a StateBackend');
    backends.push(b);
    const d = await KeyedBackendDriver.open(b, { localDirectory: await options.localDirectory?.(), ...o });
    opened.push(d);
    if (o.register !== false) d.register(DESCRIPTORS);
    return d;
  };
  const make = (name: string, run: () => Promise<void>): ConformanceCase => ({
    name,
    async run() {
      try {
        await run();
      } finally {
        for (const d of opened.splice(0)) await d.dispose();
        for (const b of backends.splice(0)) await b.close?.();
        await options.cleanup?.();
      }
    },
  });

  /** Writes one value of every kind for `key` (namespace `ns`), derived from `n`. */
  const writeAll = (d: KeyedBackendDriver, key: unknown, n: number, ns: string | number = ''): Promise<void> =>
    d.at(key, (b) => {
      b.getValueState<number>({ kind: 'value', name: 'v', serializer: INT_SERIALIZER }).update(n);
      b.getListState<string>({ kind: 'list', name: 'l' }).update([`a${n}`, `b${n}`]);
      const m = b.getMapState<string, number>({ kind: 'map', name: 'm' });
      m.put('x', n);
      m.put('y', n + 1);
      b.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: sum }).add(n);
      b.getAggregatingState<number, [number, number], number>({ kind: 'aggregating', name: 'a', aggregate: avg }).add(n);
    }, ns);
  const readAll = (d: KeyedBackendDriver, key: unknown, ns: string | number = ''): Promise<unknown[]> =>
    d.at(key, (b) => [
      b.getValueState<number>({ kind: 'value', name: 'v', serializer: INT_SERIALIZER }).value(),
      b.getListState<string>({ kind: 'list', name: 'l' }).get(),
      [...b.getMapState<string, number>({ kind: 'map', name: 'm' }).entries()].sort(),
      b.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: sum }).get(),
      b.getAggregatingState<number, [number, number], number>({ kind: 'aggregating', name: 'a', aggregate: avg }).get(),
    ], ns);
  const expectedAll = (n: number): unknown[] => [n, [`a${n}`, `b${n}`], [['x', n], ['y', n + 1]], n, n];
  const empty: unknown[] = [undefined, [], [], undefined, undefined];

  const cases: ConformanceCase[] = [
    make('value state: default, update, clear, scoped by key and namespace', async () => {
      const d = await open();
      const desc = { kind: 'value' as const, name: 'vd', defaultValue: 7 };
      await d.at('a', (b) => same(b.getValueState<number>(desc).value(), 7, 'value of a key never written (defaultValue 7)'));
      await d.at('a', (b) => b.getValueState<number>(desc).update(1));
      await d.at('b', (b) => b.getValueState<number>(desc).update(2));
      await d.at('a', (b) => b.getValueState<number>(desc).update(3), 'w1');
      await d.at('a', (b) => same(b.getValueState<number>(desc).value(), 1, "key a's value"));
      await d.at('b', (b) => same(b.getValueState<number>(desc).value(), 2, "key b's value"));
      await d.at('a', (b) => same(b.getValueState<number>(desc).value(), 3, "key a's value in namespace w1"), 'w1');
      await d.at('a', (b) => b.getValueState<number>(desc).clear());
      await d.at('a', (b) => same(b.getValueState<number>(desc).value(), 7, "key a's value after clear (the default again)"));
      await d.at('a', (b) => same(b.getValueState<number>(desc).value(), 3, "key a's value in w1 after clearing the void namespace"), 'w1');
    }),
    make('list state: empty, add, addAll, update, clear', async () => {
      const d = await open();
      const desc = { kind: 'list' as const, name: 'l' };
      await d.at('k', (b) => same(b.getListState<number>(desc).get(), [], 'a list never written'));
      await d.at('k', (b) => {
        const l = b.getListState<number>(desc);
        l.add(1);
        l.addAll([2, 3]);
      });
      await d.at('k', (b) => same(b.getListState<number>(desc).get(), [1, 2, 3], 'list after add and addAll (insertion order)'));
      await d.at('k', (b) => b.getListState<number>(desc).update([9, 8]));
      await d.at('k', (b) => same(b.getListState<number>(desc).get(), [9, 8], 'list after update'));
      await d.at('other', (b) => same(b.getListState<number>(desc).get(), [], "another key's list"));
      await d.at('k', (b) => b.getListState<number>(desc).clear());
      await d.at('k', (b) => same(b.getListState<number>(desc).get(), [], 'list after clear'));
    }),
    make('map state: put, get, contains, remove, iteration, putAll, clear', async () => {
      const d = await open();
      const desc = { kind: 'map' as const, name: 'm' };
      await d.at('k', (b) => {
        const m = b.getMapState<string, number>(desc);
        check(m.isEmpty(), () => 'a map never written is not empty');
        m.put('a', 1);
        m.putAll([['b', 2], ['c', 3]]);
        m.remove('c');
      });
      await d.at('k', (b) => {
        const m = b.getMapState<string, number>(desc);
        same(m.get('a'), 1, "map get('a')");
        same(m.get('c'), undefined, "map get('c') after remove");
        check(m.contains('b') && !m.contains('c'), () => 'map contains() disagrees with put/remove');
        same([...m.keys()].sort(), ['a', 'b'], 'map keys');
        same([...m.values()].sort(), [1, 2], 'map values');
        same([...m.entries()].sort(), [['a', 1], ['b', 2]], 'map entries');
        check(!m.isEmpty(), () => 'a map with entries says it is empty');
      });
      await d.at('other', (b) => check(b.getMapState<string, number>(desc).isEmpty(), () => "another key's map is not empty"));
      await d.at('k', (b) => b.getMapState<string, number>(desc).clear());
      await d.at('k', (b) => check(b.getMapState<string, number>(desc).isEmpty(), () => 'map after clear is not empty'));
    }),
    make('reducing and aggregating state: add applies the function, clear resets', async () => {
      const d = await open();
      const r = { kind: 'reducing' as const, name: 'r', reduce: sum };
      const a = { kind: 'aggregating' as const, name: 'a', aggregate: avg };
      await d.at('k', (b) => {
        same(b.getReducingState(r).get(), undefined, 'reducing state never written');
        same(b.getAggregatingState(a).get(), undefined, 'aggregating state never written');
        for (const n of [1, 2, 6]) {
          b.getReducingState(r).add(n);
          b.getAggregatingState(a).add(n);
        }
      });
      await d.at('k', (b) => {
        same(b.getReducingState(r).get(), 9, 'reducing state (sum of 1, 2, 6)');
        same(b.getAggregatingState(a).get(), 3, 'aggregating state (average of 1, 2, 6)');
        b.getReducingState(r).clear();
        b.getAggregatingState(a).clear();
        same(b.getReducingState(r).get(), undefined, 'reducing state after clear');
        same(b.getAggregatingState(a).get(), undefined, 'aggregating state after clear');
      });
    }),
    make('mergeNamespaces merges lists, reducing and aggregating state into the target and clears the sources', async () => {
      const d = await open();
      for (const [ns, n] of [['w1', 1], ['w2', 2], ['w3', 4]] as const) await writeAll(d, 'k', n, ns);
      await d.at('k', (b) => {
        b.mergeNamespaces('l', 'w3', ['w1', 'w2']);
        b.mergeNamespaces('r', 'w3', ['w1', 'w2']);
        b.mergeNamespaces('a', 'w3', ['w1', 'w2']);
      });
      const merged = await readAll(d, 'k', 'w3');
      same([...(merged[1] as string[])].sort(), ['a1', 'a2', 'a4', 'b1', 'b2', 'b4'], 'merged list');
      same(merged[3], 7, 'merged reducing state');
      same(merged[4], 7 / 3, 'merged aggregating state');
      for (const ns of ['w1', 'w2']) {
        const src = await readAll(d, 'k', ns);
        same([src[1], src[3], src[4]], [[], undefined, undefined], `merge source ${ns} after the merge`);
      }
    }),
    make('keys() lists the keys with state in a namespace', async () => {
      const d = await open();
      for (const k of KEYS) await d.at(k, (b) => b.getValueState<number>({ kind: 'value', name: 'v' }).update(1));
      await d.at('only-here', (b) => b.getValueState<number>({ kind: 'value', name: 'v' }).update(1), 'w');
      await d.at(KEYS[0], (b) => b.getValueState<number>({ kind: 'value', name: 'v' }).clear());
      const keys = [...d.backend.keys('v', '')].map(show).sort();
      same(keys, KEYS.slice(1).map(show).sort(), "keys('v', void namespace)");
      same([...d.backend.keys('v', 'w')].map(show), [show('only-here')], "keys('v', 'w')");
    }),
    make('TTL: entries expire as TtlPolicy says, reads refresh with on-read-and-write', async () => {
      const clock = { now: 1_000 };
      const d = await open({ clock });
      const configs: [string, StateTtlConfig][] = [
        ['write', TTL_WRITE],
        ['read', TTL_READ],
      ];
      for (const [name, ttl] of configs) {
        await d.at('k', (b) => {
          b.getValueState<number>({ kind: 'value', name: `v-${name}`, ttl }).update(1);
          b.getListState<number>({ kind: 'list', name: `l-${name}`, ttl }).add(1);
          b.getMapState<string, number>({ kind: 'map', name: `m-${name}`, ttl }).put('x', 1);
        });
      }
      const visible = async (name: string, ttl: StateTtlConfig): Promise<boolean[]> =>
        d.at('k', (b) => [
          b.getValueState<number>({ kind: 'value', name: `v-${name}`, ttl }).value() !== undefined,
          b.getListState<number>({ kind: 'list', name: `l-${name}`, ttl }).get().length > 0,
          b.getMapState<string, number>({ kind: 'map', name: `m-${name}`, ttl }).get('x') !== undefined,
        ]);
      const policy = new TtlPolicy('v', { ttlMs: 100 }, () => clock.now);
      clock.now = 1_050;
      same(await visible('write', configs[0]![1]), [true, true, true], 'TTL state 50 ms after the write (ttl 100 ms)');
      same(await visible('read', configs[1]![1]), [true, true, true], 'on-read-and-write TTL state read 50 ms after the write');
      clock.now = 1_100;
      check(policy.expired({ timestamp: 1_000 }, clock.now), () => 'TtlPolicy disagrees with this case');
      same(await visible('write', configs[0]![1]), [false, false, false], 'TTL state at write + ttl (expired: timestamp + ttl <= now)');
      same(await visible('read', configs[1]![1]), [true, true, true], 'on-read-and-write TTL state 100 ms after the write but 50 ms after the read that refreshed it');
      clock.now = 1_250;
      same(await visible('read', configs[1]![1]), [false, false, false], 'on-read-and-write TTL state 150 ms after its last read');
    }),
    make('snapshot and restore: every state kind and namespace comes back; TTL timestamps survive', async () => {
      const clock = { now: 5_000 };
      const d = await open({ clock });
      for (let i = 0; i < KEYS.length; i++) {
        await writeAll(d, KEYS[i], i);
        await writeAll(d, KEYS[i], i + 100, 'w');
      }
      await d.at('ttl', (b) => b.getValueState<number>({ kind: 'value', name: 't', ttl: { ttlMs: 1_000 } }).update(1));
      const cp = await d.snapshot(1);
      await writeAll(d, KEYS[0], 999); // after the snapshot: not in it
      clock.now = 5_500;
      const r = await open({ restore: [cp], clock });
      for (let i = 0; i < KEYS.length; i++) {
        same(await readAll(r, KEYS[i]), expectedAll(i), `restored state of key ${show(KEYS[i])}`);
        same(await readAll(r, KEYS[i], 'w'), expectedAll(i + 100), `restored state of key ${show(KEYS[i])} in namespace w`);
      }
      same(await readAll(r, 'never-written'), empty, 'restored state of a key never written');
      const ttl = { kind: 'value' as const, name: 't', ttl: { ttlMs: 1_000 } };
      same(await r.at('ttl', (b) => b.getValueState<number>(ttl).value()), 1, 'restored TTL value 500 ms after its write');
      clock.now = 6_000;
      same(await r.at('ttl', (b) => b.getValueState<number>(ttl).value()), undefined, 'restored TTL value 1000 ms after its write (its timestamp was restored)');
    }),
    make('snapshots record each state with its kind, TTL and serializer id and version', async () => {
      const d = await open();
      await writeAll(d, 'k', 1);
      await d.at('k', (b) => b.getValueState<number>({ kind: 'value', name: 'ttl', ttl: { ttlMs: 60_000 } }).update(1));
      const cp = await d.snapshot(1);
      const byName = new Map(cp.states.map((s) => [s.name, s]));
      for (const [name, kind] of [['v', 'value'], ['l', 'list'], ['m', 'map'], ['r', 'reducing'], ['a', 'aggregating']] as const) {
        const s = byName.get(name);
        check(s !== undefined, () => `the snapshot lists no state '${name}' (it lists ${[...byName.keys()].join(', ')})`);
        check(s.kind === kind, () => `state '${name}' recorded as '${s.kind}', expected '${kind}'`);
        check(typeof s.valueSerializer?.id === 'string' && Number.isInteger(s.valueSerializer.version), () => `state '${name}' records no value serializer id and version`);
      }
      const v = byName.get('v')!;
      check(v.valueSerializer.id === INT_SERIALIZER.id && v.valueSerializer.version === INT_SERIALIZER.version, () =>
        `state 'v' records serializer ${v.valueSerializer.id} v${v.valueSerializer.version}, its descriptor's is ${INT_SERIALIZER.id} v${INT_SERIALIZER.version}`);
      same(byName.get('ttl')?.ttl?.ttlMs, 60_000, "state 'ttl''s recorded TTL");
      const r = await open({ restore: [cp] });
      same(await r.at('k', (b) => b.getValueState<number>({ kind: 'value', name: 'v', serializer: INT_SERIALIZER }).value()), 1, "state 'v' read back through its serializer");
    }),
    make('rescale by key group: one backend into two halves and back into one', async () => {
      const full = await open();
      for (let i = 0; i < KEYS.length; i++) await writeAll(full, KEYS[i], i);
      const cp1 = await full.snapshot(1);
      const halves = [await open({ parallelism: 2, subtaskIndex: 0, restore: [cp1] }), await open({ parallelism: 2, subtaskIndex: 1, restore: [cp1] })];
      for (const [s, h] of halves.entries()) {
        const owned = KEYS.filter((k) => h.owns(k));
        check(owned.length > 0 && owned.length < KEYS.length, () => `half ${s} owns ${owned.length} of ${KEYS.length} test keys; the test needs keys in both halves`);
        for (let i = 0; i < KEYS.length; i++) {
          if (!h.owns(KEYS[i])) continue;
          same(await readAll(h, KEYS[i]), expectedAll(i), `state of key ${show(KEYS[i])} in half ${s}`);
          await writeAll(h, KEYS[i], i + 1_000);
        }
      }
      const parts = [await halves[0]!.snapshot(2), await halves[1]!.snapshot(2)];
      const one = await open({ restore: parts });
      // Reducing and aggregating state added to what was restored: i + (i + 1000), and their average.
      for (let i = 0; i < KEYS.length; i++) {
        const j = i + 1_000;
        same(await readAll(one, KEYS[i]), [j, [`a${j}`, `b${j}`], [['x', j], ['y', j + 1]], i + j, (i + j) / 2], `state of key ${show(KEYS[i])} after rescaling 1 -> 2 -> 1`);
      }
    }),
    make('keys of key groups outside the backend range are rejected', async () => {
      const d = await open({ parallelism: 2, subtaskIndex: 0 });
      const foreign = KEYS.find((k) => !d.owns(k))!;
      let rejected = false;
      try {
        await d.at(foreign, (b) => b.getValueState<number>({ kind: 'value', name: 'v' }).update(1));
      } catch {
        rejected = true;
      }
      check(rejected, () => `key ${show(foreign)} (key group ${d.keyGroupOf(foreign)}) was accepted by a backend of key groups ${d.keyGroupRange.start}-${d.keyGroupRange.end}`);
    }),
    ...serializerCases(open, make),
  ];
  return { name: options.name ?? 'state backend conformance', cases };
}
