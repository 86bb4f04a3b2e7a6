// `pnpm bench`: runs the Nexmark cases (DataStream at parallelism 1 and 2, and the hand-written baselines), each
// in a fresh process, prints a table and writes benchmarks/results/latest.json.
//   pnpm bench [--quick] [--queries q0,q5] [--events N]
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
}

const { values } = parseArgs({
  // `pnpm bench -- --quick` passes a literal `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    queries: { type: 'string' },
    events: { type: 'string' },
    out: { type: 'string' },
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

function runOne(query: string, api: string, parallelism: number, events: number, checkpointing: CheckpointMode = 'off', backend = 'heap'): Run {
  const args = [join(here, 'run-one.ts'), query, api, String(parallelism), String(events), checkpointing, backend];
  const r = spawnSync(process.execPath, [...process.execArgv, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`${query} ${api} p=${parallelism} failed (exit ${r.status}): ${r.stdout}`);
  return JSON.parse(last) as Run;
}

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} K`);
const runs: Run[] = [];
console.log(`Nexmark on ${cpus().length} cores, Node ${process.version}${values.quick ? ' (quick)' : ''}`);
console.log('query       api         p  chk   backend  events     seconds  cpu-s   events/s    events/core-s');
/**
 * Queries also measured with checkpoints every second (the cost of exactly-once): full checkpoints, and incremental
 * ones (`execution.checkpointing.incremental`), which only write what changed.
 */
const checkpointed = new Set(['q5', 'q7']);
for (const q of queries) {
  const events = eventsFor(q);
  const cases: [string, number, CheckpointMode, string][] = [];
  if (q === 'keyedcount') {
    cases.push(['datastream', 1, 'off', 'heap'], ['datastream', 2, 'off', 'heap'], ['datastream', 1, 'off', 'level']);
  } else {
    cases.push(['datastream', 1, 'off', 'heap'], ['baseline', 1, 'off', 'heap']);
    if (parallel.has(q)) cases.push(['datastream', 2, 'off', 'heap']);
    if (checkpointed.has(q)) cases.push(['datastream', 1, 'full', 'heap'], ['datastream', 1, 'incremental', 'heap']);
  }
  for (const [api, p, chk, backend] of cases) {
    const run = runOne(q, api, p, events, chk, backend);
    runs.push(run);
    console.log(
      `${q.padEnd(11)} ${api.padEnd(11)} ${String(p).padEnd(2)} ${(chk === 'incremental' ? 'incr' : chk).padEnd(5)} ${backend.padEnd(8)} ${fmt(events).padEnd(10)} ${run.seconds.toFixed(2).padStart(7)}  ${run.cpuSeconds.toFixed(2).padStart(6)}  ${fmt(run.eventsPerSecond).padStart(9)}  ${fmt(run.eventsPerCoreSecond).padStart(9)}`,
    );
  }
}
const outFile = values.out ?? join(here, '..', '..', 'results', 'latest.json');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, quick: values.quick, runs }, null, 2) + '\n');
console.log(`results: ${outFile}`);
