// Job configuration, settable programmatically or with Flink's option keys (`parallelism.default`,
// `pipeline.auto-watermark-interval`, `taskmanager.network.buffers-per-channel`, ...). The keys, types, defaults
// and ranges are declared in `runtime-options.ts`; this module only maps parsed values onto the config.
import { parseOptions, type ParsedOptions } from '@runnel/api/config';
import type { ExchangeConfig } from '../exchange/wire-format.js';
import type { RestartStrategyConfig } from './restart-strategy.js';
import { CHECKPOINT_STORAGE_PREFIX, CheckpointingOptions as CP, RestartStrategyOptions as RS, RUNTIME_OPTIONS, RuntimeOptions as RT, STATE_BACKEND_PREFIX } from './runtime-options.js';

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
  /** `state.checkpoints.dir`: a path, or a URI whose scheme selects the checkpoint storage. */
  readonly directory: string | undefined;
  /** `state.checkpoint-storage`: the checkpoint storage plugin by identifier (default: by the directory's scheme). */
  readonly storage: string | undefined;
  /** `state.checkpoint-storage.<identifier>.*` options with their full keys, as given: the storage checks them. */
  readonly storageOptions: Readonly<Record<string, unknown>>;
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
  /** `state.backend.type`: the identifier of a state backend plugin (`heap`, the default, `level`, ...). */
  readonly stateBackend: string;
  /**
   * The state backends' options (`state.backend.<identifier>.*`) with their full keys, as given: the chosen backend
   * declares and checks its own when the job starts.
   */
  readonly stateBackendOptions: Readonly<Record<string, unknown>>;
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

/**
 * The defaults of every setting: the defaults of the option declarations (`RuntimeOptions`, `CheckpointingOptions`).
 *
 * @public
 */
export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = {
  parallelism: RT.parallelism.defaultValue,
  maxParallelism: RT.maxParallelism.defaultValue,
  autoWatermarkIntervalMs: RT.autoWatermarkInterval.defaultValue,
  chaining: RT.chaining.defaultValue,
  exchange: {
    bufferBytes: RT.segmentSize.defaultValue,
    bufferMaxRecords: RT.bufferMaxRecords.defaultValue,
    buffersPerChannel: RT.buffersPerChannel.defaultValue,
  },
  stateBackend: RT.stateBackend.defaultValue,
  stateBackendOptions: {},
  slots: undefined,
  mode: RT.target.defaultValue,
  metricsIntervalMs: RT.metricsInterval.defaultValue,
  checkpoint: {
    intervalMs: undefined,
    storage: undefined,
    storageOptions: {},
    timeoutMs: CP.timeout.defaultValue,
    minPauseMs: CP.minPause.defaultValue,
    maxConcurrent: CP.maxConcurrent.defaultValue,
    tolerableFailures: CP.tolerableFailures.defaultValue,
    directory: undefined,
    retained: CP.retained.defaultValue,
    savepointDirectory: undefined,
    incremental: CP.incremental.defaultValue,
    maxChainLength: CP.maxChainLength.defaultValue,
  },
  restore: {
    savepointPath: undefined,
    allowNonRestoredState: CP.ignoreUnclaimedState.defaultValue,
    fromLatestCheckpoint: CP.restoreFromLatest.defaultValue,
  },
  restartStrategy: undefined,
};

/** The restart strategy in force: the configured one, or Flink's defaults. @internal */
export function effectiveRestartStrategy(c: RuntimeConfig): RestartStrategyConfig {
  if (c.restartStrategy) return c.restartStrategy;
  return c.checkpoint.intervalMs !== undefined ? { type: 'fixed-delay', attempts: Number.MAX_SAFE_INTEGER, delayMs: 1000 } : { type: 'none' };
}

/** The value of `key` if it was given, else `current`: options only change what they set. */
function given<T>(o: ParsedOptions, option: Parameters<ParsedOptions['getOptional']>[0], current: T): T {
  const v = o.getOptional(option);
  return v === undefined ? current : (v as T);
}

/**
 * Builds a RuntimeConfig from Flink-style option keys over `base`: only the options given change it. Keys are
 * checked against `RUNTIME_OPTIONS`: an unknown key fails with the closest valid one and the list of valid keys,
 * a value that does not parse or is out of range names its key (`ConfigurationError`). The options of plugins
 * (`state.backend.<identifier>.*`, `state.checkpoint-storage.<identifier>.*`) are handed on as given; the chosen
 * plugin checks them when the job starts.
 *
 * @public
 */
export function configFromOptions(options: Readonly<Record<string, unknown>>, base: RuntimeConfig = DEFAULT_RUNTIME_CONFIG): RuntimeConfig {
  const o = parseOptions(RUNTIME_OPTIONS, options);
  // Plugin options keep their full keys: the plugin's own declarations name them that way.
  const backendOptions: Record<string, unknown> = { ...base.stateBackendOptions };
  for (const [k, v] of Object.entries(o.withPrefix(STATE_BACKEND_PREFIX.prefix))) backendOptions[`${STATE_BACKEND_PREFIX.prefix}${k}`] = v;
  const storageOptions: Record<string, unknown> = { ...base.checkpoint.storageOptions };
  for (const [k, v] of Object.entries(o.withPrefix(CHECKPOINT_STORAGE_PREFIX.prefix))) storageOptions[`${CHECKPOINT_STORAGE_PREFIX.prefix}${k}`] = v;
  const ex = base.exchange;
  const cp = base.checkpoint;
  const rs = base.restore;
  const type = o.getOptional(RS.type);
  return {
    parallelism: given(o, RT.parallelism, base.parallelism),
    maxParallelism: given(o, RT.maxParallelism, base.maxParallelism),
    autoWatermarkIntervalMs: given(o, RT.autoWatermarkInterval, base.autoWatermarkIntervalMs),
    chaining: given(o, RT.chaining, base.chaining),
    exchange: {
      bufferBytes: given(o, RT.segmentSize, ex.bufferBytes),
      bufferMaxRecords: given(o, RT.bufferMaxRecords, ex.bufferMaxRecords),
      buffersPerChannel: given(o, RT.buffersPerChannel, ex.buffersPerChannel),
    },
    stateBackend: given(o, RT.stateBackend, base.stateBackend),
    stateBackendOptions: backendOptions,
    slots: given(o, RT.slots, base.slots),
    mode: given(o, RT.target, base.mode),
    metricsIntervalMs: given(o, RT.metricsInterval, base.metricsIntervalMs),
    checkpoint: {
      intervalMs: given(o, CP.interval, cp.intervalMs),
      timeoutMs: given(o, CP.timeout, cp.timeoutMs),
      minPauseMs: given(o, CP.minPause, cp.minPauseMs),
      maxConcurrent: given(o, CP.maxConcurrent, cp.maxConcurrent),
      tolerableFailures: given(o, CP.tolerableFailures, cp.tolerableFailures),
      directory: given(o, CP.directory, cp.directory),
      storage: given(o, CP.storage, cp.storage),
      storageOptions,
      retained: given(o, CP.retained, cp.retained),
      savepointDirectory: given(o, CP.savepointDirectory, cp.savepointDirectory),
      incremental: given(o, CP.incremental, cp.incremental),
      maxChainLength: given(o, CP.maxChainLength, cp.maxChainLength),
    },
    restore: {
      savepointPath: given(o, CP.savepointPath, rs.savepointPath),
      allowNonRestoredState: given(o, CP.ignoreUnclaimedState, rs.allowNonRestoredState),
      fromLatestCheckpoint: given(o, CP.restoreFromLatest, rs.fromLatestCheckpoint),
    },
    // As in Flink, a strategy's options apply only together with its type.
    restartStrategy: type === undefined ? base.restartStrategy : restartStrategyOf(type, o),
  };
}

function restartStrategyOf(type: string, o: ParsedOptions): RestartStrategyConfig {
  switch (type) {
    case 'none':
    case 'disable':
    case 'off':
      return { type: 'none' };
    case 'fixed-delay':
    case 'fixeddelay':
      return { type: 'fixed-delay', attempts: o.get(RS.fixedDelayAttempts), delayMs: o.get(RS.fixedDelay) };
    case 'exponential-delay':
    case 'exponentialdelay':
      return {
        type: 'exponential-delay',
        initialBackoffMs: o.get(RS.initialBackoff),
        maxBackoffMs: o.get(RS.maxBackoff),
        multiplier: o.get(RS.backoffMultiplier),
        resetBackoffThresholdMs: o.get(RS.resetBackoffThreshold),
        attempts: o.get(RS.attemptsBeforeReset) ?? Number.MAX_SAFE_INTEGER,
      };
    case 'failure-rate':
    case 'failurerate':
      return {
        type: 'failure-rate',
        maxFailuresPerInterval: o.get(RS.maxFailuresPerInterval),
        intervalMs: o.get(RS.failureRateInterval),
        delayMs: o.get(RS.failureRateDelay),
      };
    default:
      // The declaration's values are the cases above; a value outside them was rejected by parseOptions.
      throw new Error(`restart-strategy.type '${type}' has no strategy`);
  }
}
