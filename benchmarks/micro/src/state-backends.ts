// Micro benchmark of the keyed state backends on the hot path of a keyed count: `value()` + `update()` per record,
// batches of 1 024 records, and for the LevelDB backend one `prefetch` per batch (as the runtime drives it).
// Compares the heap backend with the LevelDB backend (a) with a cache that holds the whole key set (the cost of
// the write-back cache and prefetch bookkeeping) and (b) with a cache smaller than the key set (disk-bound:
// misses are batched `getMany` reads, evictions batched writes). Keys and key groups are computed before timing:
// the runtime computes key groups for routing anyway. Prints records/s (median of rounds) and the ratio to heap.
//
// Run: cd benchmarks/micro && npx tsx --conditions=@runnel/source src/state-backends.ts [--keys=1000000]
//        [--records=5000000] [--disk-records=1000000] [--small-cache=100000] [--rounds=3]

import { keyGroupFor, type KeyedStateBackend, type KeyedStateBackendContext } from '@runnel/api/state';
import { HeapKeyedStateBackend } from '@runnel/state-heap';
import { LevelKeyedStateBackend } from '@runnel/state-level';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, Number(v)] as const;
  }),
);
const KEYS = args.get('keys') ?? 1_000_000;
const RECORDS = args.get('records') ?? 5_000_000;
const DISK_RECORDS = args.get('disk-records') ?? 1_000_000;
const SMALL_CACHE = args.get('small-cache') ?? 100_000;
const ROUNDS = args.get('rounds') ?? 3;
const BATCH = 1024;
const MAX_PAR = 128;

// Deterministic PRNG so runs are comparable; keys uniform over the key set.
let seed = 42;
function rand(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
}
const keys = new Float64Array(RECORDS);
const groups = new Int32Array(RECORDS);
for (let i = 0; i < RECORDS; i++) {
  const k = Math.floor(rand() * KEYS);
  keys[i] = k;
  groups[i] = keyGroupFor(k, MAX_PAR);
}

const context: KeyedStateBackendContext = {
  jobId: 'bench',
  operatorUid: 'count',
  subtaskIndex: 0,
  parallelism: 1,
  maxParallelism: MAX_PAR,
  keyGroupRange: { start: 0, end: MAX_PAR - 1 },
  clock: () => 0,
};

/** Keyed count over the first `n` records; returns records/s. */
async function run(b: KeyedStateBackend, n: number): Promise<number> {
  const state = b.getValueState<number>({ kind: 'value', name: 'count' });
  const batchKeys: number[] = new Array(BATCH);
  const batchGroups: number[] = new Array(BATCH);
  const t0 = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    const len = Math.min(BATCH, n - i);
    if (b.prefetch !== undefined) {
      batchKeys.length = len;
      batchGroups.length = len;
      for (let j = 0; j < len; j++) {
        batchKeys[j] = keys[i + j]!;
        batchGroups[j] = groups[i + j]!;
      }
      const p = b.prefetch(batchKeys, batchGroups);
      if (p !== undefined) await p;
    }
    for (let j = i; j < i + len; j++) {
      b.setCurrentKey(keys[j], groups[j]!);
      state.update((state.value() ?? 0) + 1);
    }
  }
  return (n / (performance.now() - t0)) * 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;

const heapRates: number[] = [];
const levelRates: number[] = [];
const diskRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const heap = new HeapKeyedStateBackend(context);
  heapRates.push(await run(heap, RECORDS));
  heap.dispose();

  const level = await LevelKeyedStateBackend.open(context, { 'cache-size': Math.ceil(KEYS * 1.1) });
  levelRates.push(await run(level, RECORDS));
  await level.dispose();

  const disk = await LevelKeyedStateBackend.open(context, { 'cache-size': SMALL_CACHE });
  diskRates.push(await run(disk, DISK_RECORDS));
  const st = disk.stats();
  await disk.dispose();
  console.log(
    `round ${r + 1}: heap ${fmt(heapRates[r]!)}, level (cache fits) ${fmt(levelRates[r]!)}, ` +
      `level (cache ${SMALL_CACHE}) ${fmt(diskRates[r]!)} [loaded ${st.keysLoaded}, known absent ${st.knownAbsent}, ` +
      `evicted ${st.evictions}]`,
  );
}
const heap = median(heapRates);
console.log(`keyed count, ${KEYS} distinct keys, batches of ${BATCH}, median of ${ROUNDS}:`);
console.log(`  heap                          ${fmt(heap)}  (${RECORDS} records)`);
console.log(`  level, cache holds all keys   ${fmt(median(levelRates))}  ${((median(levelRates) / heap) * 100).toFixed(0)} % of heap`);
console.log(
  `  level, cache ${SMALL_CACHE} keys   ${fmt(median(diskRates))}  ${((median(diskRates) / heap) * 100).toFixed(0)} % of heap ` +
    `(${DISK_RECORDS} records)`,
);
