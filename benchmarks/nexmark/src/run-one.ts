// Runs one benchmark case in this (fresh) process and prints its measurement as JSON on the last line.
// Usage: run-one <query> <datastream|baseline> <parallelism> <events>
import { submitJob } from '@runnel/runtime';
import { baselines } from './baselines.js';

const [query, api, p, ev] = process.argv.slice(2);
const parallelism = Number(p);
const events = Number(ev);

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

let seconds: number;
let cpuSeconds: number;
if (api === 'baseline') {
  const b = baselines[query!];
  if (!b) throw new Error(`no baseline for ${query}`);
  const c0 = cpu();
  const t0 = performance.now();
  const out = b(events);
  seconds = (performance.now() - t0) / 1000;
  cpuSeconds = cpu() - c0;
  if (out < 0) console.log(out);
} else {
  const client = await submitJob(new URL('./queries.ts', import.meta.url).pathname, {
    exportName: query,
    args: { events, parallelism },
    jobName: `nexmark-${query}`,
  });
  // Measured from the moment every worker runs (startup and module loading excluded; warm-up included).
  const c0 = cpu();
  const t0 = performance.now();
  await client.getJobExecutionResult();
  seconds = (performance.now() - t0) / 1000;
  cpuSeconds = cpu() - c0;
}
const run = {
  query,
  api,
  parallelism,
  events,
  seconds: round(seconds),
  cpuSeconds: round(cpuSeconds),
  eventsPerSecond: Math.round(events / seconds),
  eventsPerCoreSecond: Math.round(events / cpuSeconds),
};
console.log(JSON.stringify(run));
process.exit(0);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
