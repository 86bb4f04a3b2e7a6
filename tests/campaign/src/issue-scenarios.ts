// The scenarios of issue 10, written out: the job a new user ran (8 time-partitioned JSON-lines files, 10 ms of event
// time per event, up to 2 s of disorder, 5 s out-of-orderness, 50 users, 60 s tumbling windows, reduce, a map that
// spins 10 µs per record, the exactly-once file sink) under
//  - stop-with-savepoint at several moments and a restore at another parallelism (2 → 1, 1 → 2, 2 → 1 on LevelDB);
//  - 20 SIGKILLs 1.5–4 s after each start, resumed from the newest checkpoint (500 ms interval), then one kill
//    after the final checkpoint completed — at p=1 and p=2, on both backends.
// `full` has the issue's sizes (1.2 M and 2.4 M events); `small` the same shapes with a tenth of the events and a
// slower map (so that the kills still land while the job runs), for `npm test`.
import { Rng } from './rng.js';
import type { Action, Scenario } from './scenario.js';

type Scale = 'full' | 'small';

function job(events: number, slowMicros = 10): Scenario['job'] {
  const files = 8;
  const perFile = Math.floor(events / files);
  return {
    pipeline: 'tumble-reduce',
    input: { seed: 10, files, sliceMs: perFile * 10, stepMs: 10, disorderMs: 2000, keys: 50, datagenRows: 0 },
    outOfOrdernessMs: 5000,
    windowMs: 60_000,
    slideMs: 60_000,
    gapMs: 0,
    allowedLatenessMs: 0,
    slowMicros,
  };
}

function settings(parallelism: number, backend: 'heap' | 'level', checkpointIntervalMs: number): Scenario['settings'] {
  return { parallelism, backend, checkpointIntervalMs, incremental: false, maxChainLength: 1, retained: 3, autoWatermarkIntervalMs: 200, bufferMaxRecords: 2048 };
}

const estimate = (events: number, p: number, slowMicros = 10): number => 1500 + Math.round((events * (slowMicros + 3)) / 1000 / p);

/** Item 1: stop with a savepoint at `fraction` of the input, restore at another parallelism (and backend). */
function savepointRescale(scale: Scale, from: number, to: number, backend: 'heap' | 'level', fraction: number): Scenario {
  const events = scale === 'full' ? 1_200_000 : 120_000;
  const actions: Action[] = [
    { kind: 'savepoint', afterMs: 600_000, fraction, contention: false, nextParallelism: to, nextBackend: backend },
    { kind: 'complete', afterMs: 0, contention: false },
  ];
  return {
    seed: 10_000 + Math.round(fraction * 100) + from * 10 + to,
    name: `savepoint at ${Math.round(fraction * 100)} %, p ${from} → ${to} (${backend})`,
    job: job(events),
    settings: settings(from, backend, 1000),
    actions,
    estimatedMs: estimate(events, Math.min(from, to)),
    minRestores: 1,
  };
}

/** Items 2 and 3: `kills` SIGKILLs 1.5–4 s after each start, resumed each time, then a kill after the final checkpoint. */
function killed(scale: Scale, parallelism: number, backend: 'heap' | 'level'): Scenario {
  const events = scale === 'full' ? 2_400_000 : 200_000;
  // At p=2 the map spins twice as long, so that the job still runs through all its kills (each subtask does the
  // same work per second as the single one at p=1).
  const slow = (scale === 'full' ? 10 : 60) * parallelism;
  const kills = scale === 'full' ? 20 : 5;
  const r = new Rng(parallelism * 7 + (backend === 'level' ? 1 : 0));
  const actions: Action[] = [];
  for (let i = 0; i < kills; i++) actions.push({ kind: 'kill', afterMs: 1500 + Math.floor(r.next() * 2500), contention: false });
  actions.push({ kind: 'kill-after-end', afterMs: 0, contention: false });
  actions.push({ kind: 'complete', afterMs: 0, contention: false });
  return {
    seed: 20_000 + parallelism * 10 + (backend === 'level' ? 1 : 0),
    name: `${kills} kills and one after the final checkpoint, p=${parallelism} (${backend})`,
    job: job(events, slow),
    settings: settings(parallelism, backend, 500),
    actions,
    estimatedMs: estimate(events, parallelism, slow),
    // Most kills land after a checkpoint (the first one 500 ms after start), and the kill after the end always does.
    minRestores: Math.ceil(kills / 2) + 1,
  };
}

/** The issue's scenarios at a scale. */
export function issueScenarios(scale: Scale): Scenario[] {
  const moments = scale === 'full' ? [0.25, 0.5, 0.75] : [0.3, 0.7];
  const out: Scenario[] = [];
  for (const f of moments) {
    out.push(savepointRescale(scale, 2, 1, 'heap', f));
    out.push(savepointRescale(scale, 1, 2, 'heap', f));
    out.push(savepointRescale(scale, 2, 1, 'level', f));
  }
  for (const p of [1, 2]) for (const b of ['heap', 'level'] as const) out.push(killed(scale, p, b));
  return out;
}
