// Job configuration, settable programmatically or with Flink's option keys (`parallelism.default`,
// `pipeline.auto-watermark-interval`, `taskmanager.network.buffers-per-channel`, ...).
import { DEFAULT_MAX_PARALLELISM } from '@runnel/api';
import { DEFAULT_EXCHANGE_CONFIG, type ExchangeConfig } from '../exchange/wire-format.js';

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
  /** `state.backend.type`: `heap`. */
  readonly stateBackend: string;
  /** `taskmanager.numberOfTaskSlots`: worker threads (default: the job's highest parallelism). */
  readonly slots: number | undefined;
  /** `execution.target`: `threads` (worker threads, the default for job modules) or `local` (the calling thread). */
  readonly mode: 'threads' | 'local';
  /** `metrics.reporter.interval` in ms: how often subtasks report metrics to the client. */
  readonly metricsIntervalMs: number;
}

/** @public */
export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = {
  parallelism: 1,
  maxParallelism: DEFAULT_MAX_PARALLELISM,
  autoWatermarkIntervalMs: 200,
  chaining: true,
  exchange: DEFAULT_EXCHANGE_CONFIG,
  stateBackend: 'heap',
  slots: undefined,
  mode: 'threads',
  metricsIntervalMs: 1000,
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
  let c: { -readonly [K in keyof RuntimeConfig]: RuntimeConfig[K] } = { ...base, exchange: { ...base.exchange } };
  const ex = c.exchange as { -readonly [K in keyof ExchangeConfig]: ExchangeConfig[K] };
  const setters: Record<string, (v: unknown, k: string) => void> = {
    'parallelism.default': (v, k) => (c.parallelism = num(k, v)),
    'pipeline.max-parallelism': (v, k) => (c.maxParallelism = num(k, v)),
    'pipeline.auto-watermark-interval': (v, k) => (c.autoWatermarkIntervalMs = duration(k, v)),
    'pipeline.operator-chaining': (v) => (c.chaining = v === true || v === 'true'),
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
  };
  for (const [k, v] of Object.entries(options)) {
    const set = setters[k];
    if (!set) throw new Error(`unknown option '${k}'; known options: ${Object.keys(setters).join(', ')}`);
    set(v, k);
  }
  if (!(c.parallelism >= 1)) throw new Error(`parallelism must be >= 1, got ${c.parallelism}`);
  if (ex.buffersPerChannel < 1) throw new Error('taskmanager.network.buffers-per-channel must be >= 1');
  return c;
}
