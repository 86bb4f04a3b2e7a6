// Throughput of a keyed count with ValueState (the hot path of most keyed operators), against a plain Map in the
// same process. Not part of the test suite (timing depends on the machine).
// Run: npx tsx --conditions=@runnel/source test/keyed-count.bench.ts [distinctKeys] [heap|map]
import { keyGroupFor, keyGroupRangeForSubtask, DEFAULT_MAX_PARALLELISM } from '@runnel/api/state';
import { HeapStateBackend } from '../src/index.js';

const N = 10_000_000;
const distinct = Number(process.argv[2] ?? 1_000_000);
const which = process.argv[3] ?? 'both';

const keys = new Int32Array(N);
// Uniformly random keys (xorshift, fixed seed): no ordering a plain Map could profit from.
let x = 0x9e3779b9;
for (let i = 0; i < N; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  keys[i] = (x >>> 0) % distinct;
}
const present = new Set(keys).size;
const groups = new Int32Array(N);
for (let i = 0; i < N; i++) groups[i] = keyGroupFor(keys[i], DEFAULT_MAX_PARALLELISM);

function plainMap(): number {
  const plain = new Map<number, number>();
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    const k = keys[i]!;
    plain.set(k, (plain.get(k) ?? 0) + 1);
  }
  return N / ((performance.now() - t) / 1000);
}

function heap(): number {
  const backend = new HeapStateBackend().createKeyedStateBackend({
    jobId: 'j',
    operatorUid: 'op',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: DEFAULT_MAX_PARALLELISM,
    keyGroupRange: keyGroupRangeForSubtask(DEFAULT_MAX_PARALLELISM, 1, 0),
    clock: Date.now,
  });
  const count = backend.getValueState<number>({ kind: 'value', name: 'count', defaultValue: 0 });
  // Touch the other state kinds first, as a real job would, so shared code sees every handle class.
  const list = backend.getListState<number>({ kind: 'list', name: 'list' });
  const map = backend.getMapState<number, number>({ kind: 'map', name: 'map' });
  const sum = backend.getReducingState<number>({ kind: 'reducing', name: 'sum', reduce: (a, b) => a + b });
  const avg = backend.getAggregatingState<number, [number, number], number>({
    kind: 'aggregating',
    name: 'avg',
    aggregate: {
      createAccumulator: () => [0, 0],
      add: (v, [s, n]) => [s + v, n + 1],
      getResult: ([s, n]) => s / n,
    },
  });
  for (let i = 0; i < 10_000; i++) {
    backend.setCurrentKey(keys[i], groups[i]!);
    list.add(i);
    map.put(i, i);
    sum.add(i);
    avg.add(i);
    list.clear();
    map.clear();
    sum.clear();
    avg.clear();
  }
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    backend.setCurrentKey(keys[i], groups[i]!);
    count.update(count.value()! + 1);
  }
  const rate = N / ((performance.now() - t) / 1000);
  if (backend.numEntries('count') !== present) throw new Error('wrong entry count');
  backend.dispose();
  return rate;
}

const best = { heap: 0, map: 0 };
for (let round = 0; round < 5; round++) {
  if (which !== 'map') best.heap = Math.max(best.heap, heap());
  if (which !== 'heap') best.map = Math.max(best.map, plainMap());
}
console.log(
  `${distinct} keys, best of 5 x ${N / 1e6} M updates: heap ValueState ${(best.heap / 1e6).toFixed(2)} M/s, ` +
    `plain Map ${(best.map / 1e6).toFixed(2)} M/s`,
);
