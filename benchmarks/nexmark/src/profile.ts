// Runs one query in the calling thread (local mode) so that `node --cpu-prof` profiles the whole data path:
//   node --cpu-prof --import tsx --conditions=@runnel/source src/profile.ts q5 1000000 [on]
// The optional third argument enables checkpoints every second (into a temp directory): `on` (full) or `incremental`.
// `sql:<query>` profiles the query's SQL version (sql-queries.ts), e.g. `src/profile.ts sql:q17 1000000`.
import { StreamExecutionEnvironment } from '@runnel/runtime';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUERIES } from './queries.js';
import buildSqlJob from './sql-queries.js';
const q = process.argv[2] as keyof typeof QUERIES | `sql:${string}`;
const env = StreamExecutionEnvironment.create({});
const mode = process.argv[4];
if (mode === 'on' || mode === 'incremental') {
  env.configure({
    'execution.checkpointing.interval': process.env.PROFILE_CHECKPOINT_INTERVAL ?? '1 s',
    'state.checkpoints.dir': mkdtempSync(join(tmpdir(), 'prof-cp-')),
    'execution.checkpointing.incremental': mode === 'incremental',
  });
}
const events = Number(process.argv[3] ?? 1_000_000);
if (q.startsWith('sql:')) await buildSqlJob(env, { query: q.slice(4), events, miniBatch: process.env.PROFILE_MINI_BATCH !== '0' });
else QUERIES[q as keyof typeof QUERIES](env, { events });
const t0 = performance.now();
const r = await env.execute();
console.log('secs', (performance.now() - t0) / 1000, 'checkpoints', r.checkpoints.length);
