// Runs one benchmark case in this (fresh) process and prints its measurement, with the digest of its result rows
// (`rows`, `checksum`, and for SQL `changes`: see result-digest.ts) and the process's peak RSS, as JSON on the last
// line.
// Usage: run-one <query> <datastream|sql|sql-no-mini-batch|baseline|sql-baseline> <parallelism> <events> [checkpointing: off|full|incremental] [backend: heap|level]
// `sql` runs the query's Flink SQL text (sql-queries.ts) with Nexmark's own Flink configuration for mini-batch
// (NEXMARK_MINI_BATCH), as nexmark-flink runs it; `sql-no-mini-batch` the same text without mini-batch (every change
// of a group aggregation emitted at once); `sql-baseline` the single loop with the SQL query's output
// (sql-baselines.ts). The query `memory` (api `sql`) is the memory benchmark: `events` rows over events / 2 keys,
// on the backend its script sets (level).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { submitJob } from '@runnel/runtime';
import { baselines } from './baselines.js';
import { sqlBaselines } from './sql-baselines.js';
import { nexmarkScript, scriptOptions, type SqlQueryArgs } from './sql-queries.js';
import { CHECK_STRINGS, combineDigests, DIGEST_CHANNEL, type ResultDigest, type SubtaskDigest } from './result-digest.js';

const [query, api, p, ev, cp = 'off', backend = 'heap'] = process.argv.slice(2);
// `on` is the old spelling of `full`.
const checkpointMode = cp === 'on' ? 'full' : cp;
if (!['off', 'full', 'incremental'].includes(checkpointMode!)) throw new Error(`checkpointing must be off, full or incremental, got ${cp}`);
const checkpointing = checkpointMode !== 'off';
const checkpointDir = checkpointing ? mkdtempSync(join(tmpdir(), 'runnel-bench-cp-')) : undefined;
const levelCache = Number(process.env.RUNNEL_BENCH_LEVEL_CACHE ?? 1_000_000);
const sql = api === 'sql' || api === 'sql-no-mini-batch';
// The memory benchmark keeps its own script (no mini-batch: it measures the state of 10 M keys per row).
const miniBatch = api === 'sql' && query !== 'memory';
const parallelism = Number(p);
const events = Number(ev);

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

let seconds: number;
let cpuSeconds: number;
let completedCheckpoints = 0;
let incrementalCheckpoints = 0;
let digest: ResultDigest;
let backendName = backend;
let backendOptions: Record<string, unknown> | undefined;
if (api === 'baseline' || api === 'sql-baseline') {
  const b = (api === 'baseline' ? baselines : sqlBaselines)[query!];
  if (!b) throw new Error(`no baseline for ${query}`);
  const c0 = cpu();
  const t0 = performance.now();
  digest = b(events);
  seconds = (performance.now() - t0) / 1000;
  cpuSeconds = cpu() - c0;
} else {
  const options: Record<string, unknown> = { 'state.backend.type': backend };
  const sqlArgs: SqlQueryArgs = { query: query!, events, parallelism, miniBatch };
  // A SQL script's SETs are the job's options, as in the SQL client (the memory benchmark sets the level backend).
  if (sql) Object.assign(options, scriptOptions(nexmarkScript(sqlArgs)));
  backendName = String(options['state.backend.type']);
  // The LevelDB backend runs with a write-back cache sized to the benchmark's key set (1 M keys); with a smaller cache
  // every access beyond it goes to disk. RUNNEL_BENCH_LEVEL_CACHE overrides it to measure that case. SQL runs keep
  // the backend's defaults unless it is given.
  if (backendName === 'level' && (!sql || process.env.RUNNEL_BENCH_LEVEL_CACHE !== undefined)) options['state.backend.level.cache-size'] = levelCache;
  // RUNNEL_BENCH_OPTIONS (a JSON object) adds or overrides job options, e.g. the level backend's cache sizes.
  if (process.env.RUNNEL_BENCH_OPTIONS) Object.assign(options, JSON.parse(process.env.RUNNEL_BENCH_OPTIONS) as Record<string, unknown>);
  if (backendName === 'level') backendOptions = Object.fromEntries(Object.entries(options).filter(([k]) => k.startsWith('state.backend.level.')));
  if (checkpointDir) {
    options['execution.checkpointing.interval'] = '1 s';
    options['state.checkpoints.dir'] = checkpointDir;
    if (checkpointMode === 'incremental') options['execution.checkpointing.incremental'] = true;
  }
  const client = sql
    ? await submitJob(new URL('./sql-queries.ts', import.meta.url).pathname, { args: sqlArgs, jobName: `nexmark-sql-${query}`, options })
    : await submitJob(new URL('./queries.ts', import.meta.url).pathname, {
        exportName: query,
        args: { events, parallelism },
        jobName: `nexmark-${query}`,
        options,
      });
  // Measured from the moment every worker runs (startup and module loading excluded; warm-up included).
  const c0 = cpu();
  const t0 = performance.now();
  const result = await client.getJobExecutionResult();
  seconds = (performance.now() - t0) / 1000;
  cpuSeconds = cpu() - c0;
  completedCheckpoints = result.checkpoints.filter((c) => c.status === 'completed').length;
  incrementalCheckpoints = result.checkpoints.filter((c) => c.status === 'completed' && c.incremental).length;
  digest = combineDigests((result.collected.get(DIGEST_CHANNEL) ?? []) as SubtaskDigest[]);
  // RUNNEL_BENCH_CHECKPOINT_STATS=1 lists every checkpoint on stderr (what each one wrote and how long it took).
  if (process.env.RUNNEL_BENCH_CHECKPOINT_STATS) {
    for (const c of result.checkpoints) {
      process.stderr.write(`checkpoint ${c.id} ${c.status}${c.incremental ? ' incremental' : ''}: ${c.sizeBytes ?? 0} of ${c.fullSizeBytes ?? 0} bytes, sync ${c.syncMs} ms, async ${c.asyncMs} ms, ${c.durationMs} ms\n`);
    }
  }
}
if (checkpointDir) rmSync(checkpointDir, { recursive: true, force: true });
// Peak resident set size of the whole process (every worker thread included), in KiB on Linux.
const maxRssKiB = process.resourceUsage().maxRSS;
const run = {
  query,
  api: api === 'sql-baseline' ? 'baseline' : sql ? 'sql' : api,
  ...(api === 'sql-baseline' ? { baselineOf: 'sql' } : {}),
  ...(sql ? { miniBatch } : {}),
  parallelism,
  checkpointing,
  backend: backendName,
  ...(backendOptions ? { backendOptions } : {}),
  ...(checkpointing ? { checkpointMode, completedCheckpoints, incrementalCheckpoints } : {}),
  events,
  seconds: round(seconds),
  cpuSeconds: round(cpuSeconds),
  eventsPerSecond: Math.round(events / seconds),
  eventsPerCoreSecond: Math.round(events / cpuSeconds),
  rows: digest.rows,
  checksum: digest.checksum,
  ...(digest.changes !== undefined ? { changes: digest.changes } : {}),
  checkStrings: CHECK_STRINGS,
  maxRssMiB: Math.round(maxRssKiB / 1024),
};
console.log(JSON.stringify(run));
process.exit(0);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
