// What one campaign scenario is: a job built from a menu (sources with several splits per reader, time-partitioned
// input with bounded disorder, keyed windows of each kind, timers, unions, two-input operators, slow operators), the
// runtime options it runs with (parallelism, state backend, incremental or full checkpoints, intervals), and the
// actions taken against it (SIGKILL, cancel, stop-with-savepoint with and without drain, restores at another
// parallelism or backend, CPU contention). Everything follows from the seed.
import { hash32, Rng } from './rng.js';

/** The jobs the campaign builds. */
export type PipelineKind =
  | 'tumble-reduce'
  | 'tumble-aggregate'
  | 'slide-aggregate'
  | 'session-reduce'
  | 'tumble-process'
  | 'timers'
  | 'union-tumble'
  | 'connect-timers';

export const PIPELINES: readonly PipelineKind[] = [
  'tumble-reduce',
  'tumble-aggregate',
  'slide-aggregate',
  'session-reduce',
  'tumble-process',
  'timers',
  'union-tumble',
  'connect-timers',
];

/** The generated input. */
export interface InputSpec {
  readonly seed: number;
  /** JSON-lines files, one time slice each (file i holds [i·slice − disorder, (i+1)·slice)), read in name order. */
  readonly files: number;
  readonly sliceMs: number;
  /** Event time between consecutive events of a file (before disorder). */
  readonly stepMs: number;
  /** Each event is moved back in time by up to this much (bounded disorder). */
  readonly disorderMs: number;
  readonly keys: number;
  /** Rows of the datagen source of the two-source jobs (0: none); they span the same event time as the files. */
  readonly datagenRows: number;
}

/** The job: what the job module builds from (passed as the job's args). */
export interface JobSpec {
  readonly pipeline: PipelineKind;
  readonly input: InputSpec;
  /** Directory of the input files. */
  readonly inputDir: string;
  /** Directory of the committed output (the exactly-once file sink). */
  readonly out: string;
  /** Directory of late records (must stay empty). */
  readonly lateOut: string;
  readonly outOfOrdernessMs: number;
  readonly windowMs: number;
  readonly slideMs: number;
  readonly gapMs: number;
  readonly allowedLatenessMs: number;
  /** A map that spins this many microseconds per record (a slow operator). */
  readonly slowMicros: number;
}

/** How one run ends. */
export type ActionKind = 'kill' | 'cancel' | 'savepoint' | 'drain' | 'kill-after-end' | 'complete';

export interface Action {
  readonly kind: ActionKind;
  /**
   * When the action is taken: `afterMs` after the job started (early actions, during start-up and restore), or
   * once the run's sources emitted `fraction` of all input records (or after `afterMs` as a fallback).
   */
  readonly afterMs: number;
  readonly fraction?: number;
  /** A second CPU-bound process runs while this run does. */
  readonly contention: boolean;
  /** Parallelism and backend of the run after this one (a savepoint restores at another parallelism/backend). */
  readonly nextParallelism?: number;
  readonly nextBackend?: 'heap' | 'level';
}

/** Runtime options that stay the same for the scenario. */
export interface RunSettings {
  readonly parallelism: number;
  readonly backend: 'heap' | 'level';
  readonly checkpointIntervalMs: number;
  readonly incremental: boolean;
  readonly maxChainLength: number;
  readonly retained: number;
  readonly autoWatermarkIntervalMs: number;
  /** `execution.buffer-max-records`: small buffers keep the sources from finishing long before the job does. */
  readonly bufferMaxRecords: number;
}

export interface Scenario {
  readonly seed: number;
  readonly job: Omit<JobSpec, 'inputDir' | 'out' | 'lateOut'>;
  readonly settings: RunSettings;
  readonly actions: readonly Action[];
  /** A rough duration of one uninterrupted run (for the timing of actions). */
  readonly estimatedMs: number;
  /** Bytes per read of the file source (default: 1 MiB, or 16 KiB for every third seed). */
  readonly readChunkSize?: number;
  /** A name for reports (the scenarios). */
  readonly name?: string;
  /** Fewer restores than this fail the scenario (a written-out scenario that must exercise restores). */
  readonly minRestores?: number;
}

/** Total number of input events. */
export function eventCount(input: InputSpec): number {
  return input.files * Math.floor(input.sliceMs / input.stepMs) + input.datagenRows;
}

/** The scenario of a seed. */
export function scenarioOf(seed: number): Scenario {
  // Hashed: consecutive seeds must not start with similar random sequences.
  const r = new Rng(hash32(seed));
  const pipeline = r.pick(PIPELINES);
  const twoSources = pipeline === 'union-tumble' || pipeline === 'connect-timers';
  const sliceMs = r.pick([20_000, 30_000, 60_000]);
  const files = r.int(2, 8);
  // 20k to 150k file events; a slow operator spreads them over 1.5 to 6 s of work, so that actions land while the
  // job runs (before, during and after checkpoints, in the middle of files).
  const targetEvents = r.int(20_000, 150_000);
  const stepMs = Math.max(1, Math.round((files * sliceMs) / targetEvents));
  const disorderMs = r.pick([0, 200, 2000]);
  const fileEvents = files * Math.floor(sliceMs / stepMs);
  const input: InputSpec = {
    seed: r.int(1, 2 ** 30),
    files,
    sliceMs,
    stepMs,
    disorderMs,
    keys: pipeline === 'session-reduce' ? r.pick([20, 50, 80]) : r.pick([5, 20, 50]),
    datagenRows: twoSources ? Math.floor(fileEvents * r.pick([0.5, 1])) : 0,
  };
  const windowMs = r.pick([5_000, 10_000, 60_000]);
  const job: Scenario['job'] = {
    pipeline,
    input,
    // Never below the disorder: with these inputs no record is late in any correct run.
    outOfOrdernessMs: disorderMs + r.pick([0, 500, 3000]),
    windowMs,
    slideMs: r.pick([windowMs / 5, windowMs / 2]),
    gapMs: r.pick([200, 500, 1000]),
    allowedLatenessMs: r.chance(0.2) ? r.pick([1000, 5000]) : 0,
    slowMicros: r.chance(0.1) ? 0 : Math.round((r.pick([1500, 3000, 6000]) * 1000) / targetEvents),
  };
  const settings: RunSettings = {
    parallelism: r.int(1, 3),
    backend: r.chance(0.3) ? 'level' : 'heap',
    checkpointIntervalMs: r.pick([50, 100, 200, 300, 500, 1000]),
    incremental: r.chance(0.4),
    maxChainLength: r.int(1, 5),
    retained: r.int(1, 3),
    autoWatermarkIntervalMs: r.pick([50, 200]),
    bufferMaxRecords: r.pick([16, 64, 256, 2048]),
  };
  const events = eventCount(input);
  const perRecordUs = job.slowMicros + (settings.backend === 'level' ? 6 : 3) + (twoSources ? 1 : 0);
  const estimatedMs = 1500 + Math.round((events * perRecordUs) / 1000 / Math.min(settings.parallelism, 2));
  const actions: Action[] = [];
  const n = r.pick([0, 1, 2, 2, 3, 3, 4, 5]);
  for (let i = 0; i < n; i++) {
    const kind = r.pick<ActionKind>(['kill', 'kill', 'kill', 'kill', 'cancel', 'savepoint', 'savepoint', 'kill-after-end']);
    const early = r.chance(0.25);
    const afterMs = early ? r.int(20, 800) : 300 + Math.floor(r.next() * estimatedMs * 3);
    const at = early ? {} : { fraction: 0.05 + 0.9 * r.next() };
    const contention = r.chance(0.15);
    if (kind === 'savepoint') {
      actions.push({ kind, afterMs, ...at, contention, nextParallelism: r.int(1, 3), nextBackend: r.chance(0.3) ? 'level' : 'heap' });
    } else {
      actions.push({ kind, afterMs, ...at, contention, ...(r.chance(0.2) ? { nextParallelism: r.int(1, 3) } : {}) });
    }
  }
  // A drained stop ends the scenario (its output is then checked against the records it read).
  if (r.chance(0.1)) actions.push({ kind: 'drain', afterMs: 300 + Math.floor(r.next() * estimatedMs * 3), fraction: 0.1 + 0.8 * r.next(), contention: false });
  else actions.push({ kind: 'complete', afterMs: 0, contention: r.chance(0.15) });
  return { seed, job, settings, actions, estimatedMs };
}
