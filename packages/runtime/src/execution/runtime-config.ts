// Job configuration, settable programmatically or with Flink's option keys (`parallelism.default`,
// `pipeline.auto-watermark-interval`, `taskmanager.network.buffers-per-channel`, ...).
import { DEFAULT_MAX_PARALLELISM } from '@runnel/api';
import { DEFAULT_EXCHANGE_CONFIG, type ExchangeConfig } from '../exchange/wire-format.js';
import type { RestartStrategyConfig } from './restart-strategy.js';

/**
 * Checkpointing settings (`execution.checkpointing.*`, `state.checkpoints.*`).
 *
 * @public
 */
export interface CheckpointConfig {
  /** `execution.checkpointing.interval`; undefined = checkpointing disabled. */
  readonly intervalMs: number | undefined;
  /** `execution.checkpointing.timeout` */
  readonly timeoutMs: number;
  /** `execution.checkpointing.min-pause` */
  readonly minPauseMs: number;
  /** `execution.checkpointing.max-concurrent-checkpoints` */
  readonly maxConcurrent: number;
  /** `execution.checkpointing.tolerable-failed-checkpoints` */
  readonly tolerableFailures: number;
  /** `state.checkpoints.dir` */
  readonly directory: string | undefined;
  /** `state.checkpoints.num-retained` */
  readonly retained: number;
  /** `state.savepoints.dir`: default target of savepoints. */
  readonly savepointDirectory: string | undefined;
  /**
   * `execution.checkpointing.incremental`: checkpoints write only what changed since the previous completed one
   * (backends with the capability: the heap backend), chained to earlier checkpoints' files. Savepoints stay full.
   */
  readonly incremental: boolean;
  /**
   * `execution.checkpointing.incremental.max-chain-length`: a checkpoint is full again once a chain has this many
   * files (bounds restore time and the files one checkpoint depends on).
   */
  readonly maxChainLength: number;
}

/**
 * Where a job's state comes from when it starts.
 *
 * @public
 */
export interface RestoreConfig {
  /** `execution.savepoint.path`: a savepoint or retained checkpoint directory. */
  readonly savepointPath: string | undefined;
  /** `execution.savepoint.ignore-unclaimed-state`: skip state of operators no longer in the job. */
  readonly allowNonRestoredState: boolean;
  /** `execution.restore-from-latest-checkpoint`: resume from the newest intact checkpoint in `state.checkpoints.dir`. */
  readonly fromLatestCheckpoint: boolean;
}

/**
 * How a job runs. Fields mirror Flink option keys (see {@link configFromOptions}).
 *
 * @public
 */
export interface RuntimeConfig {
  /** `parallelism.default` */
  readonly parallelism: number;
  /** `pipeline.max-parallelism`: number of key groups. */
  readonly maxParallelism: number;
  /** `pipeline.auto-watermark-interval` in ms. */
  readonly autoWatermarkIntervalMs: number;
  /** `pipeline.operator-chaining` */
  readonly chaining: boolean;
  /** `taskmanager.memory.segment-size`, `execution.buffer-max-records`, `taskmanager.network.buffers-per-channel` */
  readonly exchange: ExchangeConfig;
  /** `state.backend.type`: `heap` (default) or `level`. */
  readonly stateBackend: string;
  /** `state.backend.level.*` options, passed to the LevelDB backend (e.g. `cache-size`, `directory`). */
  readonly stateBackendOptions: Readonly<Record<string, string | number | boolean>>;
  /** `taskmanager.numberOfTaskSlots`: worker threads (default: the job's highest parallelism). */
  readonly slots: number | undefined;
  /** `execution.target`: `threads` (worker threads, the default for job modules) or `local` (the calling thread). */
  readonly mode: 'threads' | 'local';
  /** `metrics.reporter.interval` in ms: how often subtasks report metrics to the client. */
  readonly metricsIntervalMs: number;
  readonly checkpoint: CheckpointConfig;
  readonly restore: RestoreConfig;
  /** `restart-strategy.type` and its options; default: fixed-delay (unbounded, 1 s) with checkpointing, none without. */
  readonly restartStrategy: RestartStrategyConfig | undefined;
}

/** @public */
export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = {
  parallelism: 1,
  maxParallelism: DEFAULT_MAX_PARALLELISM,
  autoWatermarkIntervalMs: 200,
  chaining: true,
  exchange: DEFAULT_EXCHANGE_CONFIG,
  stateBackend: 'heap',
  stateBackendOptions: {},
  slots: undefined,
  mode: 'threads',
  metricsIntervalMs: 1000,
  checkpoint: {
    intervalMs: undefined,
    timeoutMs: 10 * 60_000,
    minPauseMs: 0,
    maxConcurrent: 1,
    tolerableFailures: 0,
    directory: undefined,
    retained: 3,
    savepointDirectory: undefined,
    incremental: false,
    maxChainLength: 50,
  },
  restore: { savepointPath: undefined, allowNonRestoredState: false, fromLatestCheckpoint: false },
  restartStrategy: undefined,
};

/** The restart strategy in force: the configured one, or Flink's defaults. @internal */
export function effectiveRestartStrategy(c: RuntimeConfig): RestartStrategyConfig {
  if (c.restartStrategy) return c.restartStrategy;
  return c.checkpoint.intervalMs !== undefined ? { type: 'fixed-delay', attempts: Number.MAX_SAFE_INTEGER, delayMs: 1000 } : { type: 'none' };
}

/** The `state.backend.level.*` options (see `@runnel/state-level`'s `LevelStateBackendOptions`) and their kinds. */
const LEVEL_OPTIONS: Readonly<Record<string, 'string' | 'count' | 'bool' | 'memory'>> = {
  directory: 'string',
  'cache-size': 'count',
  'prefetch.max-point-read-namespaces': 'count',
  'prefetch.read-parallelism': 'count',
  'block-cache-size': 'memory',
  'write-buffer-size': 'memory',
  'block-size': 'memory',
  compression: 'bool',
  'max-open-files': 'count',
};

function num(key: string, v: unknown): number {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n)) throw new Error(`option '${key}': expected a number, got '${String(v)}'`);
  return n;
}

function duration(key: string, v: unknown): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(String(v));
  if (!m) throw new Error(`option '${key}': expected a duration like '200 ms' or '1 s', got '${String(v)}'`);
  const f = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * f;
}

function bytes(key: string, v: unknown): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+)\s*(b|kb|mb)?\s*$/i.exec(String(v));
  if (!m) throw new Error(`option '${key}': expected a size like '32 kb', got '${String(v)}'`);
  return Number(m[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? 'b').toLowerCase() as 'b']);
}

/**
 * Builds a RuntimeConfig from Flink-style option keys; unknown keys are rejected with the list of known ones.
 *
 * @public
 */
export function configFromOptions(options: Readonly<Record<string, unknown>>, base: RuntimeConfig = DEFAULT_RUNTIME_CONFIG): RuntimeConfig {
  const c: { -readonly [K in keyof RuntimeConfig]: RuntimeConfig[K] } = {
    ...base,
    exchange: { ...base.exchange },
    checkpoint: { ...base.checkpoint },
    restore: { ...base.restore },
  };
  const ex = c.exchange as { -readonly [K in keyof ExchangeConfig]: ExchangeConfig[K] };
  const cp = c.checkpoint as { -readonly [K in keyof CheckpointConfig]: CheckpointConfig[K] };
  const rs = c.restore as { -readonly [K in keyof RestoreConfig]: RestoreConfig[K] };
  const bool = (k: string, v: unknown): boolean => {
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw new Error(`option '${k}': expected true or false, got '${String(v)}'`);
  };
  const restart: Record<string, unknown> = {};
  const setters: Record<string, (v: unknown, k: string) => void> = {
    'parallelism.default': (v, k) => (c.parallelism = num(k, v)),
    'pipeline.max-parallelism': (v, k) => (c.maxParallelism = num(k, v)),
    'pipeline.auto-watermark-interval': (v, k) => (c.autoWatermarkIntervalMs = duration(k, v)),
    'pipeline.operator-chaining': (v, k) => (c.chaining = bool(k, v)),
    'taskmanager.memory.segment-size': (v, k) => (ex.bufferBytes = bytes(k, v)),
    'execution.buffer-max-records': (v, k) => (ex.bufferMaxRecords = num(k, v)),
    'taskmanager.network.buffers-per-channel': (v, k) => (ex.buffersPerChannel = num(k, v)),
    'state.backend.type': (v) => (c.stateBackend = String(v)),
    'taskmanager.numberOfTaskSlots': (v, k) => (c.slots = num(k, v)),
    'execution.target': (v) => {
      if (v !== 'threads' && v !== 'local') throw new Error(`option 'execution.target': expected 'threads' or 'local', got '${String(v)}'`);
      c.mode = v;
    },
    'metrics.reporter.interval': (v, k) => (c.metricsIntervalMs = duration(k, v)),
    'execution.checkpointing.interval': (v, k) => (cp.intervalMs = duration(k, v)),
    'execution.checkpointing.timeout': (v, k) => (cp.timeoutMs = duration(k, v)),
    'execution.checkpointing.min-pause': (v, k) => (cp.minPauseMs = duration(k, v)),
    'execution.checkpointing.max-concurrent-checkpoints': (v, k) => (cp.maxConcurrent = num(k, v)),
    'execution.checkpointing.tolerable-failed-checkpoints': (v, k) => (cp.tolerableFailures = num(k, v)),
    'state.checkpoints.dir': (v) => (cp.directory = String(v)),
    'state.checkpoints.num-retained': (v, k) => (cp.retained = num(k, v)),
    'state.savepoints.dir': (v) => (cp.savepointDirectory = String(v)),
    'execution.checkpointing.incremental': (v, k) => (cp.incremental = bool(k, v)),
    'execution.checkpointing.incremental.max-chain-length': (v, k) => {
      const n = num(k, v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`option '${k}': expected an integer >= 1, got ${String(v)}`);
      cp.maxChainLength = n;
    },
    'execution.savepoint.path': (v) => (rs.savepointPath = String(v)),
    'execution.savepoint.ignore-unclaimed-state': (v, k) => (rs.allowNonRestoredState = bool(k, v)),
    'execution.restore-from-latest-checkpoint': (v, k) => (rs.fromLatestCheckpoint = bool(k, v)),
    'restart-strategy.type': (v) => (restart['type'] = String(v)),
    'restart-strategy.fixed-delay.attempts': (v, k) => (restart['attempts'] = num(k, v)),
    'restart-strategy.fixed-delay.delay': (v, k) => (restart['delay'] = duration(k, v)),
    'restart-strategy.exponential-delay.initial-backoff': (v, k) => (restart['initial'] = duration(k, v)),
    'restart-strategy.exponential-delay.max-backoff': (v, k) => (restart['max'] = duration(k, v)),
    'restart-strategy.exponential-delay.backoff-multiplier': (v, k) => (restart['multiplier'] = num(k, v)),
    'restart-strategy.exponential-delay.reset-backoff-threshold': (v, k) => (restart['reset'] = duration(k, v)),
    'restart-strategy.exponential-delay.attempts-before-reset-backoff': (v, k) => (restart['attempts'] = num(k, v)),
    'restart-strategy.failure-rate.max-failures-per-interval': (v, k) => (restart['maxFailures'] = num(k, v)),
    'restart-strategy.failure-rate.failure-rate-interval': (v, k) => (restart['interval'] = duration(k, v)),
    'restart-strategy.failure-rate.delay': (v, k) => (restart['delay'] = duration(k, v)),
  };
  for (const [k, v] of Object.entries(options)) {
    if (k.startsWith('state.backend.level.')) {
      const sub = k.slice('state.backend.level.'.length);
      const kind = LEVEL_OPTIONS[sub];
      if (kind === undefined) {
        throw new Error(`unknown option '${k}'; known: ${Object.keys(LEVEL_OPTIONS).map((o) => `state.backend.level.${o}`).join(', ')}`);
      }
      // Memory sizes go through as given ('64 mb' or a number of bytes): the backend parses and range-checks them.
      const value = kind === 'string' ? String(v) : kind === 'count' ? num(k, v) : kind === 'bool' ? bool(k, v) : typeof v === 'number' ? v : String(v);
      c.stateBackendOptions = { ...c.stateBackendOptions, [sub]: value };
      continue;
    }
    const set = setters[k];
    if (!set) throw new Error(`unknown option '${k}'; known options: ${Object.keys(setters).join(', ')}`);
    set(v, k);
  }
  if (restart['type'] !== undefined) c.restartStrategy = restartStrategyOf(restart);
  if (!(c.parallelism >= 1)) throw new Error(`parallelism must be >= 1, got ${c.parallelism}`);
  if (ex.buffersPerChannel < 1) throw new Error('taskmanager.network.buffers-per-channel must be >= 1');
  return c;
}

function restartStrategyOf(o: Record<string, unknown>): RestartStrategyConfig {
  const n = (k: string, d: number): number => (o[k] as number | undefined) ?? d;
  switch (o['type']) {
    case 'none':
    case 'disable':
    case 'off':
      return { type: 'none' };
    case 'fixed-delay':
    case 'fixeddelay':
      return { type: 'fixed-delay', attempts: n('attempts', 1), delayMs: n('delay', 1000) };
    case 'exponential-delay':
      return {
        type: 'exponential-delay',
        initialBackoffMs: n('initial', 1000),
        maxBackoffMs: n('max', 60_000),
        multiplier: n('multiplier', 1.5),
        resetBackoffThresholdMs: n('reset', 3_600_000),
        attempts: n('attempts', Number.MAX_SAFE_INTEGER),
      };
    case 'failure-rate':
    case 'failurerate':
      return { type: 'failure-rate', maxFailuresPerInterval: n('maxFailures', 1), intervalMs: n('interval', 60_000), delayMs: n('delay', 1000) };
    default:
      throw new Error(`option 'restart-strategy.type': expected none, fixed-delay, exponential-delay or failure-rate, got '${String(o['type'])}'`);
  }
}
