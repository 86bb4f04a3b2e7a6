// `pnpm bench`: runs the Nexmark cases (DataStream at parallelism 1 and 2, Flink SQL, and the hand-written
// baselines), each in a fresh process, prints a table and writes benchmarks/results/latest.json.
//   pnpm bench [--quick] [--queries q0,q5] [--events N] [--rounds N] [--sql-memory] [--memory-keys N]
//
// The two ratios the checkpointing goals are stated in (incremental checkpoints against none on q5/q7; the LevelDB
// backend against the heap on keyedcount) come from alternated rounds: on a shared VM one run's throughput moves by
// ±20 % between identical runs, mostly in slow drifts, so a ratio of two runs taken minutes apart says little. Each
// round runs the pair back to back; the JSON keeps every run and the median of the per-round ratios.
//
// Every run also reports the digest of its result rows (count and order-independent checksum, result-digest.ts),
// and every DataStream and SQL run is checked against the baseline of its query: when they differ the runner says
// which run and both digests, records it in the JSON and exits with status 1 after the last case.
//
// SQL: the queries with a SQL version (sql-queries.ts) run their SQL text, their DataStream version (where there is
// one) and their baselines in alternated rounds, and the runner records per round the SQL run's events per
// core-second against the DataStream run's and the baseline's (`sqlComparisons`, with the issue's targets: 80 % of
// DataStream, 50 % of the baseline for stateless queries, 20 % for stateful ones). Targets are reported, not
// enforced (a shared VM's noise would make the benchmark flaky); a differing result fails it. SQL runs use Nexmark's
// own Flink configuration for mini-batch (sql-queries.ts NEXMARK_MINI_BATCH), as nexmark-flink runs every query; the
// group aggregations (q15-q17) also run without it in each round (`sql-no-mini-batch`), and both ratios are
// recorded. A mini-batch run's applied result is checked; its changelog is shorter than the per-bid baseline's by
// design, so its `changes` are not compared. The memory benchmark
// (`--sql-memory`, and part of the full run) runs a retracting group aggregation over 10 M keys on the level
// backend and records the process's peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { SQL_QUERIES } from './sql-queries.js';
import { sqlRowHash, checksumHex } from './result-digest.js';

interface Run {
  query: string;
  api: 'datastream' | 'sql' | 'baseline';
  /** Baselines with the SQL query's output (sql-baselines.ts), where it differs from the DataStream version's. */
  baselineOf?: 'sql';
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
  /** SQL runs and SQL baselines: changelog messages (+I, -U, +U, -D); `rows` is the result table once applied. */
  changes?: number;
  /**
   * SQL runs: whether Nexmark's mini-batch configuration was on (NEXMARK_MINI_BATCH in sql-queries.ts). A mini-batch
   * run folds a group's changes within a bundle, so its `changes` are fewer than the baseline's (which emits per
   * bid) and only its applied result (`rows`, `checksum`) is compared.
   */
  miniBatch?: boolean;
  /** Peak resident set size of the run's process (all threads), MiB. */
  maxRssMiB?: number;
  /** How strings entered the row hashes: `sampled` (default) or `full`. */
  checkStrings: 'sampled' | 'full';
  /** DataStream and SQL runs of a query with a baseline: the baseline's digest, and whether this run's equals it. */
  check?: ResultCheck;
}

/** A run's result against the baseline's (same query, same events). */
interface ResultCheck {
  baselineRows: number;
  baselineChecksum: string;
  baselineChanges?: number;
  equal: boolean;
}

/** A SQL query against its DataStream version and its baseline, in events per core-second, over alternated rounds. */
interface SqlComparison {
  query: string;
  stateful: boolean;
  events: number;
  /** Per round: events per core-second of each run, and the SQL run's ratios. */
  rounds: { sql: number; datastream?: number; baseline: number; vsDataStream?: number; vsBaseline: number; sqlWithoutMiniBatch?: number; vsBaselineWithoutMiniBatch?: number }[];
  /** Medians over the rounds. */
  sqlEventsPerCoreSecond: number;
  datastreamEventsPerCoreSecond?: number;
  baselineEventsPerCoreSecond: number;
  /** Medians of the per-round ratios. */
  vsDataStream?: number;
  vsBaseline: number;
  /**
   * Group aggregations (q15-q17): the SQL run is with Nexmark's mini-batch configuration, as nexmark-flink runs it;
   * these are the medians of the same query without mini-batch (every change emitted at once), for comparison.
   */
  sqlWithoutMiniBatchEventsPerCoreSecond?: number;
  vsBaselineWithoutMiniBatch?: number;
  /** The issue's targets for the ratios, and whether the medians reach them. */
  targets: { vsDataStream?: number; vsBaseline: number };
  meetsTargets: boolean;
}

/** The memory benchmark's run. */
interface MemoryResult {
  keys: number;
  rows: number;
  parallelism: number;
  backend: string;
  backendOptions: Record<string, unknown>;
  seconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  underOneGiB: boolean;
  /** The result (one row: count 2, `keys` keys, the sum of 1..rows) equals the expected one. */
  resultEqual: boolean;
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
    'sql-memory': { type: 'boolean', default: false },
    'memory-keys': { type: 'string' },
  },
});

const here = dirname(fileURLToPath(import.meta.url));
const all = ['q0', 'q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'q11', 'q15', 'q16', 'q17', 'q21', 'q22', 'keyedcount'];
/** Queries with a DataStream version (queries.ts); the others run in SQL only. */
const datastreamQueries = new Set(['q0', 'q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'q11', 'keyedcount']);
const sqlQueries = new Set(SQL_QUERIES);
/** SQL queries whose result the SQL baseline (sql-baselines.ts) computes differently from the DataStream baseline. */
const sqlShapedBaseline = new Set(['q0', 'q1', 'q15', 'q16', 'q17', 'q21', 'q22']);
/** SQL queries that keep state (group or window aggregations): their baseline target is 20 %, the others' 50 %. */
const statefulSql = new Set(['q11', 'q15', 'q16', 'q17']);
/** SQL queries with an unbounded group aggregation, which mini-batch changes: also run without it. */
const groupAggSql = new Set(['q15', 'q16', 'q17']);
// `--sql-memory` alone runs the memory benchmark only; the full run (no --quick, no --queries) includes it.
const queries = values.queries ? values.queries.split(',') : values['sql-memory'] ? [] : all;
const memoryKeys = Number(values['memory-keys'] ?? 10_000_000);
const runMemory = values['sql-memory'] || (!values.quick && !values.queries);
/** Keyed queries also run at parallelism 2 to show scaling across both cores (one of them in quick mode). */
const parallel = new Set(values.quick ? ['q5'] : ['q5', 'q7', 'q11']);
const eventsFor = (q: string): number => {
  if (values.events) return Number(values.events);
  const heavy = ['q5', 'q7', 'q11', 'q15', 'q16', 'q17'].includes(q);
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

/** How long one case may take (the memory benchmark: three times this). */
const TIMEOUT_MS = 600_000;

function runOne(query: string, api: string, parallelism: number, events: number, checkpointing: CheckpointMode = 'off', backend = 'heap', levelCache?: number, timeoutMs = TIMEOUT_MS): Run {
  const args = [join(here, 'run-one.ts'), query, api, String(parallelism), String(events), checkpointing, backend];
  const r = spawnSync(process.execPath, [...process.execArgv, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: timeoutMs,
    env: levelCache === undefined ? process.env : { ...process.env, RUNNEL_BENCH_LEVEL_CACHE: String(levelCache) },
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`${query} ${api} p=${parallelism} failed (exit ${r.status}): ${r.stdout}`);
  return JSON.parse(last) as Run;
}

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} K`);
const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
const runs: Run[] = [];
/** The baseline run of each query, by `query/events`: every DataStream run of the query is checked against it. */
const baselineRuns = new Map<string, Run>();
const mismatches: Mismatch[] = [];
/** Queries run without a baseline to check against. */
const unchecked = new Set<string>();
const comparisons: Comparison[] = [];
const sqlComparisons: SqlComparison[] = [];
let memory: MemoryResult | undefined;
const ceilings: Ceiling[] = [];
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`Nexmark on ${cpus().length} cores, Node ${process.version}${values.quick ? ' (quick)' : ''}`);
console.log('query       api          p  chk   backend  events     seconds  cpu-s   events/s    events/core-s  rows       result');
/**
 * Queries also measured with checkpoints every second (the cost of exactly-once): full checkpoints, and incremental
 * ones (`execution.checkpointing.incremental`), which only write what changed.
 */
const checkpointed = new Set(['q5', 'q7']);
/** A configuration to run; `levelCache` overrides the benchmark's LevelDB cache size (the key set by default). */
type Case = [api: string, p: number, chk: CheckpointMode, backend: string, levelCache?: number];
function measure(q: string, events: number, [api, p, chk, backend, levelCache]: Case, round?: number, timeoutMs = TIMEOUT_MS): Run {
  const run = runOne(q, api, p, events, chk, backend, levelCache, timeoutMs);
  if (round !== undefined) run.round = round;
  runs.push(run);
  let result: string;
  if (api === 'baseline' || api === 'sql-baseline') {
    // The SQL runs of a query without a SQL-shaped baseline are checked against the DataStream one (same rows).
    if (api === 'sql-baseline' || !sqlShapedBaseline.has(q)) baselineRuns.set(`${q}/${events}/sql`, run);
    if (api === 'baseline') baselineRuns.set(`${q}/${events}`, run);
    result = `baseline ${run.checksum}`;
  } else {
    const b = baselineRuns.get(api === 'sql' || api === 'sql-no-mini-batch' ? `${q}/${events}/sql` : `${q}/${events}`);
    if (b === undefined) {
      unchecked.add(q);
      result = `${run.checksum} (no baseline)`;
    } else {
      const equal = run.rows === b.rows && run.checksum === b.checksum && (run.miniBatch === true || run.changes === undefined || b.changes === undefined || run.changes === b.changes);
      run.check = { baselineRows: b.rows, baselineChecksum: b.checksum, ...(b.changes !== undefined ? { baselineChanges: b.changes } : {}), equal };
      result = equal ? `${run.checksum} = baseline` : `${run.checksum} DIFFERS from the baseline`;
      if (!equal) {
        const what = `${api} p=${p} checkpoints=${chk} backend=${backend}${levelCache !== undefined ? ` cache-size=${levelCache}` : ''}${round !== undefined ? ` round ${round}` : ''}`;
        mismatches.push({ query: q, run: what, rows: run.rows, checksum: run.checksum, baselineRows: b.rows, baselineChecksum: b.checksum });
      }
    }
  }
  console.log(
    `${q.padEnd(11)} ${(api === 'sql-baseline' ? 'baseline/sql' : api).padEnd(12)} ${String(p).padEnd(2)} ${(chk === 'incremental' ? 'incr' : chk).padEnd(5)} ${backend.padEnd(8)} ${fmt(events).padEnd(10)} ${run.seconds.toFixed(2).padStart(7)}  ${run.cpuSeconds.toFixed(2).padStart(6)}  ${fmt(run.eventsPerSecond).padStart(9)}  ${fmt(run.eventsPerCoreSecond).padStart(9)}      ${String(run.rows).padEnd(10)} ${result}${round !== undefined ? `  (round ${round})` : ''}`,
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
/**
 * A SQL query in alternated rounds: each round runs the baseline(s), the DataStream version (where there is one)
 * and the SQL text, back to back at parallelism 1, so that each ratio compares runs minutes apart at most.
 */
function compareSql(q: string, events: number): void {
  const perRound: SqlComparison['rounds'] = [];
  const hasDs = datastreamQueries.has(q);
  for (let r = 1; r <= rounds; r++) {
    if (hasDs) measure(q, events, ['baseline', 1, 'off', 'heap'], r);
    const base = sqlShapedBaseline.has(q) ? measure(q, events, ['sql-baseline', 1, 'off', 'heap'], r) : runs[runs.length - 1]!;
    const ds = hasDs ? measure(q, events, ['datastream', 1, 'off', 'heap'], r) : undefined;
    const sql = measure(q, events, ['sql', 1, 'off', 'heap'], r);
    // Group aggregations also without mini-batch (every change emitted at once), so that nothing is hidden.
    const plain = groupAggSql.has(q) ? measure(q, events, ['sql-no-mini-batch', 1, 'off', 'heap'], r) : undefined;
    perRound.push({
      sql: sql.eventsPerCoreSecond,
      baseline: base.eventsPerCoreSecond,
      vsBaseline: ratio(sql.eventsPerCoreSecond / base.eventsPerCoreSecond),
      ...(ds ? { datastream: ds.eventsPerCoreSecond, vsDataStream: ratio(sql.eventsPerCoreSecond / ds.eventsPerCoreSecond) } : {}),
      ...(plain ? { sqlWithoutMiniBatch: plain.eventsPerCoreSecond, vsBaselineWithoutMiniBatch: ratio(plain.eventsPerCoreSecond / base.eventsPerCoreSecond) } : {}),
    });
  }
  const stateful = statefulSql.has(q);
  const targets = { ...(hasDs ? { vsDataStream: 0.8 } : {}), vsBaseline: stateful ? 0.2 : 0.5 };
  const vsBaseline = ratio(median(perRound.map((x) => x.vsBaseline)));
  const vsDataStream = hasDs ? ratio(median(perRound.map((x) => x.vsDataStream!))) : undefined;
  const c: SqlComparison = {
    query: q,
    stateful,
    events,
    rounds: perRound,
    sqlEventsPerCoreSecond: Math.round(median(perRound.map((x) => x.sql))),
    ...(hasDs ? { datastreamEventsPerCoreSecond: Math.round(median(perRound.map((x) => x.datastream!))) } : {}),
    baselineEventsPerCoreSecond: Math.round(median(perRound.map((x) => x.baseline))),
    ...(vsDataStream !== undefined ? { vsDataStream } : {}),
    vsBaseline,
    ...(groupAggSql.has(q)
      ? {
          sqlWithoutMiniBatchEventsPerCoreSecond: Math.round(median(perRound.map((x) => x.sqlWithoutMiniBatch!))),
          vsBaselineWithoutMiniBatch: ratio(median(perRound.map((x) => x.vsBaselineWithoutMiniBatch!))),
        }
      : {}),
    targets,
    meetsTargets: vsBaseline >= targets.vsBaseline && (vsDataStream === undefined || vsDataStream >= targets.vsDataStream!),
  };
  sqlComparisons.push(c);
  console.log(`${q.padEnd(11)} ${sqlSummary(c)}`);
}
const ratio = (x: number): number => Math.round(x * 1000) / 1000;
function sqlSummary(c: SqlComparison): string {
  const ds = c.vsDataStream !== undefined ? `${pct(c.vsDataStream)} of DataStream (target ${pct(c.targets.vsDataStream!)}), ` : '';
  const plain = c.vsBaselineWithoutMiniBatch !== undefined ? `; without mini-batch ${fmt(c.sqlWithoutMiniBatchEventsPerCoreSecond!)} events/core-s, ${pct(c.vsBaselineWithoutMiniBatch)} of the baseline` : '';
  return `SQL ${fmt(c.sqlEventsPerCoreSecond)} events/core-s: ${ds}${pct(c.vsBaseline)} of the baseline (target ${pct(c.targets.vsBaseline)})${c.meetsTargets ? '' : ' BELOW TARGET'}${plain}, medians of ${c.rounds.length} round(s)`;
}

for (const q of queries) {
  if (!all.includes(q)) throw new Error(`unknown query ${q} (queries: ${all.join(', ')})`);
  const events = eventsFor(q);
  if (q === 'keyedcount') {
    measure(q, events, ['datastream', 2, 'off', 'heap']);
    compare(q, events, 'level / heap', ['datastream', 1, 'off', 'heap'], ['datastream', 1, 'off', 'level']);
    // The disk-bound case: the default cache holds a tenth of the key set, so ~90 % of records read LevelDB.
    compare(q, events, `level (cache-size ${LEVEL_DEFAULT_CACHE}) / heap`, ['datastream', 1, 'off', 'heap'], ['datastream', 1, 'off', 'level', LEVEL_DEFAULT_CACHE]);
    ceilings.push(levelReadCeiling());
    continue;
  }
  if (sqlQueries.has(q)) {
    compareSql(q, events);
    if (parallel.has(q)) measure(q, events, ['datastream', 2, 'off', 'heap']);
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
if (runMemory) memory = memoryBenchmark(memoryKeys);
/**
 * The memory benchmark: a retracting two-level group aggregation over `keys` distinct keys (2 × keys rows) on the
 * level backend at its default cache sizes, at parallelism 2 (both cores; every worker thread is in the one
 * process whose peak RSS is measured). Its result must be one row: (2, keys, 1 + 2 + … + rows).
 */
function memoryBenchmark(keys: number): MemoryResult {
  const rows = 2 * keys;
  // The expected result stands in for a baseline run (it is not measured): the run is checked against it as usual.
  const expected = { rows: 1, checksum: checksumHex(sqlRowHash([2, keys, (rows * (rows + 1)) / 2])) } as Run;
  baselineRuns.set(`memory/${rows}/sql`, expected);
  const run = measure('memory', rows, ['sql', 2, 'off', 'level'], undefined, 3 * TIMEOUT_MS);
  const resultEqual = run.check!.equal;
  const m: MemoryResult = {
    keys,
    rows,
    parallelism: run.parallelism,
    backend: run.backend,
    backendOptions: (run as Run & { backendOptions?: Record<string, unknown> }).backendOptions ?? {},
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    maxRssMiB: run.maxRssMiB!,
    underOneGiB: run.maxRssMiB! < 1024,
    resultEqual,
  };
  console.log(`memory      group aggregation over ${fmt(keys)} keys (${fmt(rows)} rows) on ${m.backend}: peak RSS ${m.maxRssMiB} MiB (${m.underOneGiB ? 'under' : 'OVER'} 1 GiB), ${m.seconds.toFixed(1)} s, ${m.cpuSeconds.toFixed(1)} CPU-s, result ${resultEqual ? 'as expected' : 'WRONG'}`);
  return m;
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
writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, quick: values.quick, rounds, runs, comparisons, sqlComparisons, memory, ceilings, checks }, null, 2) + '\n');
if (sqlComparisons.length > 0) {
  console.log('SQL, medians of events per core-second:');
  for (const c of sqlComparisons) console.log(`  ${c.query.padEnd(4)} ${sqlSummary(c)}`);
}
console.log(`results: ${outFile}`);
console.log(
  `result check: ${checks.equal} of ${checks.compared} DataStream and SQL runs equal their baseline (rows and checksum)` +
    (unchecked.size > 0 ? `; not checked (no baseline): ${[...unchecked].join(', ')}` : ''),
);
if (mismatches.length > 0) {
  for (const m of mismatches) {
    console.error(`result check FAILED: ${m.query} ${m.run}: ${m.rows} rows, checksum ${m.checksum}; baseline: ${m.baselineRows} rows, checksum ${m.baselineChecksum}`);
  }
  process.exit(1);
}
