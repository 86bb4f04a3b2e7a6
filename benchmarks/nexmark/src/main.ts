// `pnpm bench`: runs the Nexmark cases (DataStream at parallelism 1 and 2, and the hand-written baselines), each
// in a fresh process, prints a table and writes benchmarks/results/latest.json.
//   pnpm bench [--quick] [--queries q0,q5] [--events N] [--rounds N]
//
// The two ratios the checkpointing goals are stated in (incremental checkpoints against none on q5/q7; the LevelDB
// backend against the heap on keyedcount) come from alternated rounds: on a shared VM one run's throughput moves by
// ±20 % between identical runs, mostly in slow drifts, so a ratio of two runs taken minutes apart says little. Each
// round runs the pair back to back; the JSON keeps every run and the median of the per-round ratios.
//
// Every run also reports the digest of its result rows (count and order-independent checksum, result-digest.ts),
// and every DataStream run is checked against the baseline of its query: when they differ the runner says which
// run and both digests, records it in the JSON and exits with status 1 after the last case.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

interface Run {
  query: string;
  api: 'datastream' | 'baseline';
  parallelism: number;
  checkpointing: boolean;
  /** With checkpointing: `full` or `incremental`. */
  checkpointMode?: 'full' | 'incremental';
  backend: 'heap' | 'level';
  events: number;
  seconds: number;
  cpuSeconds: number;
  eventsPerSecond: number;
  eventsPerCoreSecond: number;
  /** Comparison runs: the round (1-based) of the alternated pair this run belongs to. */
  round?: number;
  /** Result rows of the run and their order-independent checksum (result-digest.ts). */
  rows: number;
  checksum: string;
  /** How strings entered the row hashes: `sampled` (default) or `full`. */
  checkStrings: 'sampled' | 'full';
  /** DataStream runs of a query with a baseline: the baseline's digest, and whether this run's equals it. */
  check?: ResultCheck;
}

/** A DataStream run's result against the baseline's (same query, same events). */
interface ResultCheck {
  baselineRows: number;
  baselineChecksum: string;
  equal: boolean;
}

/** A DataStream run whose result differs from its baseline's. */
interface Mismatch {
  query: string;
  run: string;
  rows: number;
  checksum: string;
  baselineRows: number;
  baselineChecksum: string;
}

/** A ratio measured over alternated rounds of two cases of one query. */
interface Comparison {
  query: string;
  /** What is compared with what, e.g. `incremental checkpoints / off` or `level / heap`. */
  compares: string;
  /** events/s of the measured case ÷ events/s of the reference case, per round. */
  ratios: number[];
  medianRatio: number;
}

/** A probe of what a dependency can do on this machine at best (not a Runnel run). */
interface Ceiling {
  probe: string;
  keys: number;
  reads: number;
  batch: number;
  results: { concurrency: number; keysPerSecond: number; cores: number }[];
}

const { values } = parseArgs({
  // `pnpm bench -- --quick` passes a literal `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    queries: { type: 'string' },
    events: { type: 'string' },
    out: { type: 'string' },
    rounds: { type: 'string' },
  },
});

const here = dirname(fileURLToPath(import.meta.url));
const all = ['q0', 'q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'q11', 'keyedcount'];
const queries = values.queries ? values.queries.split(',') : all;
/** Keyed queries also run at parallelism 2 to show scaling across both cores (one of them in quick mode). */
const parallel = new Set(values.quick ? ['q5'] : ['q5', 'q7', 'q11']);
const eventsFor = (q: string): number => {
  if (values.events) return Number(values.events);
  const heavy = q === 'q5' || q === 'q11' || q === 'q7';
  if (q === 'keyedcount') return values.quick ? 300_000 : 4_000_000;
  if (values.quick) return heavy ? 300_000 : 1_000_000;
  return heavy ? 5_000_000 : 10_000_000;
};

type CheckpointMode = 'off' | 'full' | 'incremental';
/** Alternated rounds of the comparison pairs. */
const rounds = Number(values.rounds ?? (values.quick ? 1 : 5));
if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);

/** The write-back cache of the LevelDB backend's default configuration (`state.backend.level.cache-size`). */
const LEVEL_DEFAULT_CACHE = 100_000;

function runOne(query: string, api: string, parallelism: number, events: number, checkpointing: CheckpointMode = 'off', backend = 'heap', levelCache?: number): Run {
  const args = [join(here, 'run-one.ts'), query, api, String(parallelism), String(events), checkpointing, backend];
  const r = spawnSync(process.execPath, [...process.execArgv, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
    env: levelCache === undefined ? process.env : { ...process.env, RUNNEL_BENCH_LEVEL_CACHE: String(levelCache) },
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`${query} ${api} p=${parallelism} failed (exit ${r.status}): ${r.stdout}`);
  return JSON.parse(last) as Run;
}

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} K`);
const runs: Run[] = [];
/** The baseline run of each query, by `query/events`: every DataStream run of the query is checked against it. */
const baselineRuns = new Map<string, Run>();
const mismatches: Mismatch[] = [];
/** Queries run without a baseline to check against. */
const unchecked = new Set<string>();
const comparisons: Comparison[] = [];
const ceilings: Ceiling[] = [];
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`Nexmark on ${cpus().length} cores, Node ${process.version}${values.quick ? ' (quick)' : ''}`);
console.log('query       api         p  chk   backend  events     seconds  cpu-s   events/s    events/core-s  rows       result');
/**
 * Queries also measured with checkpoints every second (the cost of exactly-once): full checkpoints, and incremental
 * ones (`execution.checkpointing.incremental`), which only write what changed.
 */
const checkpointed = new Set(['q5', 'q7']);
/** A configuration to run; `levelCache` overrides the benchmark's LevelDB cache size (the key set by default). */
type Case = [api: string, p: number, chk: CheckpointMode, backend: string, levelCache?: number];
function measure(q: string, events: number, [api, p, chk, backend, levelCache]: Case, round?: number): Run {
  const run = runOne(q, api, p, events, chk, backend, levelCache);
  if (round !== undefined) run.round = round;
  runs.push(run);
  let result: string;
  if (api === 'baseline') {
    baselineRuns.set(`${q}/${events}`, run);
    result = `baseline ${run.checksum}`;
  } else {
    const b = baselineRuns.get(`${q}/${events}`);
    if (b === undefined) {
      unchecked.add(q);
      result = `${run.checksum} (no baseline)`;
    } else {
      const equal = run.rows === b.rows && run.checksum === b.checksum;
      run.check = { baselineRows: b.rows, baselineChecksum: b.checksum, equal };
      result = equal ? `${run.checksum} = baseline` : `${run.checksum} DIFFERS from the baseline`;
      if (!equal) {
        const what = `${api} p=${p} checkpoints=${chk} backend=${backend}${levelCache !== undefined ? ` cache-size=${levelCache}` : ''}${round !== undefined ? ` round ${round}` : ''}`;
        mismatches.push({ query: q, run: what, rows: run.rows, checksum: run.checksum, baselineRows: b.rows, baselineChecksum: b.checksum });
      }
    }
  }
  console.log(
    `${q.padEnd(11)} ${api.padEnd(11)} ${String(p).padEnd(2)} ${(chk === 'incremental' ? 'incr' : chk).padEnd(5)} ${backend.padEnd(8)} ${fmt(events).padEnd(10)} ${run.seconds.toFixed(2).padStart(7)}  ${run.cpuSeconds.toFixed(2).padStart(6)}  ${fmt(run.eventsPerSecond).padStart(9)}  ${fmt(run.eventsPerCoreSecond).padStart(9)}      ${String(run.rows).padEnd(10)} ${result}${round !== undefined ? `  (round ${round})` : ''}`,
  );
  return run;
}
/** Runs `reference` and `measured` back to back `rounds` times and records the median ratio of their throughputs. */
function compare(q: string, events: number, compares: string, reference: Case, measured: Case): void {
  const ratios: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const ref = measure(q, events, reference, r);
    const m = measure(q, events, measured, r);
    ratios.push(m.eventsPerSecond / ref.eventsPerSecond);
  }
  const c: Comparison = { query: q, compares, ratios: ratios.map((x) => Math.round(x * 1000) / 1000), medianRatio: Math.round(median(ratios) * 1000) / 1000 };
  comparisons.push(c);
  console.log(`${q.padEnd(11)} ${compares}: median ${(c.medianRatio * 100).toFixed(1)} % over ${rounds} round(s) (${c.ratios.map((x) => (x * 100).toFixed(1)).join(', ')})`);
}
for (const q of queries) {
  const events = eventsFor(q);
  if (q === 'keyedcount') {
    measure(q, events, ['datastream', 2, 'off', 'heap']);
    compare(q, events, 'level / heap', ['datastream', 1, 'off', 'heap'], ['datastream', 1, 'off', 'level']);
    // The disk-bound case: the default cache holds a tenth of the key set, so ~90 % of records read LevelDB.
    compare(q, events, `level (cache-size ${LEVEL_DEFAULT_CACHE}) / heap`, ['datastream', 1, 'off', 'heap'], ['datastream', 1, 'off', 'level', LEVEL_DEFAULT_CACHE]);
    ceilings.push(levelReadCeiling());
    continue;
  }
  measure(q, events, ['baseline', 1, 'off', 'heap']);
  if (parallel.has(q)) measure(q, events, ['datastream', 2, 'off', 'heap']);
  if (checkpointed.has(q)) {
    measure(q, events, ['datastream', 1, 'full', 'heap']);
    compare(q, events, 'incremental checkpoints / off', ['datastream', 1, 'off', 'heap'], ['datastream', 1, 'incremental', 'heap']);
  } else {
    measure(q, events, ['datastream', 1, 'off', 'heap']);
  }
}
/**
 * What classic-level's `getMany` serves on this machine with nothing else running (see level-read-ceiling.ts): the
 * bound for the disk-bound LevelDB case, which needs about one read per record.
 */
function levelReadCeiling(): Ceiling {
  const r = spawnSync(process.execPath, [...process.execArgv, join(here, 'level-read-ceiling.ts'), values.quick ? '200000' : '1000000'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`level read ceiling probe failed (exit ${r.status}): ${r.stdout}`);
  const c = JSON.parse(last) as Ceiling;
  console.log(`level read ceiling (getMany of ${c.batch} random keys among ${fmt(c.keys)}): ${c.results.map((x) => `${fmt(x.keysPerSecond)} keys/s on ${x.cores} cores at ${x.concurrency} concurrent`).join('; ')}`);
  return c;
}
const outFile = values.out ?? join(here, '..', '..', 'results', 'latest.json');
mkdirSync(dirname(outFile), { recursive: true });
const checked = runs.filter((r) => r.check !== undefined);
const checks = {
  checkStrings: runs[0]?.checkStrings ?? 'sampled',
  compared: checked.length,
  equal: checked.filter((r) => r.check!.equal).length,
  differing: mismatches,
  withoutBaseline: [...unchecked],
};
writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, quick: values.quick, rounds, runs, comparisons, ceilings, checks }, null, 2) + '\n');
console.log(`results: ${outFile}`);
console.log(
  `result check: ${checks.equal} of ${checks.compared} DataStream runs equal their baseline (rows and checksum)` +
    (unchecked.size > 0 ? `; not checked (no baseline): ${[...unchecked].join(', ')}` : ''),
);
if (mismatches.length > 0) {
  for (const m of mismatches) {
    console.error(`result check FAILED: ${m.query} ${m.run}: ${m.rows} rows, checksum ${m.checksum}; baseline: ${m.baselineRows} rows, checksum ${m.baselineChecksum}`);
  }
  process.exit(1);
}
