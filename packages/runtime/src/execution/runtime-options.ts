// The runtime's options, declared as data with Flink's keys (`parallelism.default`,
// `execution.checkpointing.interval`, ...): `configFromOptions` parses with them, `docs/options.md` is generated
// from them, and their defaults are the defaults of `DEFAULT_RUNTIME_CONFIG`, so documentation and behaviour cannot
// drift apart. The options of a state backend are declared by the backend (`state.backend.level.*` by
// `@runnel/state-level`); the runtime declares only their prefix and hands them on.
import { DEFAULT_MAX_PARALLELISM } from '@runnel/api';
import { defineOption, type OptionPrefix, type OptionSet } from '@runnel/api/config';
import { DEFAULT_EXCHANGE_CONFIG } from '../exchange/wire-format.js';

/**
 * How a job runs: parallelism, time, chaining, the exchange, threads, metrics, the state backend.
 *
 * @public
 */
export const RuntimeOptions = {
  parallelism: defineOption({
    key: 'parallelism.default',
    type: 'int',
    min: 1,
    defaultValue: 1,
    description: 'Parallelism of operators that do not set their own.',
  }),
  maxParallelism: defineOption({
    key: 'pipeline.max-parallelism',
    type: 'int',
    min: 1,
    // Flink's upper bound: key groups are 15-bit numbers in its (and Runnel's LevelDB) key layout.
    max: 32_768,
    defaultValue: DEFAULT_MAX_PARALLELISM,
    description: 'Number of key groups: the upper bound of keyed parallelism. Must stay the same across restores.',
  }),
  autoWatermarkInterval: defineOption({
    key: 'pipeline.auto-watermark-interval',
    type: 'duration',
    defaultValue: 200,
    description: 'How often periodic watermarks are emitted and idleness is checked.',
  }),
  chaining: defineOption({
    key: 'pipeline.operator-chaining',
    type: 'boolean',
    defaultValue: true,
    description: 'Chain operators connected by forward edges into one task (direct calls, no exchange).',
  }),
  slots: defineOption({
    key: 'taskmanager.numberOfTaskSlots',
    type: 'int',
    min: 1,
    defaultDescription: "the job's highest parallelism",
    description: 'Worker threads (slots) of the embedded cluster; subtask i of every vertex runs in slot i mod slots.',
  }),
  segmentSize: defineOption({
    key: 'taskmanager.memory.segment-size',
    type: 'memory',
    min: 1,
    defaultValue: DEFAULT_EXCHANGE_CONFIG.bufferBytes,
    description: 'Size of the buffers records are exchanged in: a buffer is sent once it holds this many bytes.',
  }),
  bufferMaxRecords: defineOption({
    key: 'execution.buffer-max-records',
    type: 'int',
    min: 1,
    defaultValue: DEFAULT_EXCHANGE_CONFIG.bufferMaxRecords,
    description: 'Records after which a buffer is sent, whatever its size.',
  }),
  buffersPerChannel: defineOption({
    key: 'taskmanager.network.buffers-per-channel',
    type: 'int',
    min: 1,
    defaultValue: DEFAULT_EXCHANGE_CONFIG.buffersPerChannel,
    fallbackKeys: ['taskmanager.network.memory.buffers-per-channel'],
    description: 'Credits per channel: buffers a producer may have in flight to one consumer before it waits.',
  }),
  target: defineOption({
    key: 'execution.target',
    type: 'enum',
    values: ['threads', 'local'],
    defaultValue: 'threads',
    description: '`threads`: worker threads (job modules); `local`: the calling thread (always so for `env.execute()`).',
  }),
  metricsInterval: defineOption({
    key: 'metrics.reporter.interval',
    type: 'duration',
    defaultValue: 1000,
    description: 'How often subtasks send their metrics to the client.',
  }),
  stateBackend: defineOption({
    key: 'state.backend.type',
    type: 'string',
    defaultValue: 'heap',
    deprecatedKeys: ['state.backend'],
    description:
      'Where keyed state lives: the identifier of a state backend plugin — `heap` (built in, alias `hashmap`), `level` (`@runnel/state-level`, alias `leveldb`), or one an installed package provides. Its options go under `state.backend.<identifier>.`.',
  }),
} as const;

/**
 * Checkpoints, savepoints and where a job's state comes from when it starts.
 *
 * @public
 */
export const CheckpointingOptions = {
  interval: defineOption({
    key: 'execution.checkpointing.interval',
    type: 'duration',
    min: 1,
    defaultDescription: 'off',
    description: 'Take a checkpoint this often; needs `state.checkpoints.dir`. Unset: no periodic checkpoints.',
  }),
  timeout: defineOption({
    key: 'execution.checkpointing.timeout',
    type: 'duration',
    min: 1,
    defaultValue: 10 * 60_000,
    description: 'A checkpoint not complete by then fails.',
  }),
  minPause: defineOption({
    key: 'execution.checkpointing.min-pause',
    type: 'duration',
    defaultValue: 0,
    description: 'Pause between the completion of a checkpoint and the next periodic trigger.',
  }),
  maxConcurrent: defineOption({
    key: 'execution.checkpointing.max-concurrent-checkpoints',
    type: 'int',
    min: 1,
    defaultValue: 1,
    description: 'Periodic triggers wait while this many checkpoints are pending.',
  }),
  tolerableFailures: defineOption({
    key: 'execution.checkpointing.tolerable-failed-checkpoints',
    type: 'int',
    min: 0,
    defaultValue: 0,
    description: 'Consecutive failed checkpoints after which the job fails.',
  }),
  incremental: defineOption({
    key: 'execution.checkpointing.incremental',
    type: 'boolean',
    defaultValue: false,
    deprecatedKeys: ['state.backend.incremental'],
    description:
      'Checkpoints write only the keyed state and timers that changed since the previous completed checkpoint (heap ' +
      'backend; other backends write full snapshots); savepoints stay full.',
  }),
  maxChainLength: defineOption({
    key: 'execution.checkpointing.incremental.max-chain-length',
    type: 'int',
    min: 1,
    defaultValue: 50,
    description:
      "A checkpoint is full again once a subtask's chain (full snapshot plus deltas) has this many files: bounds " +
      'restore reading and the files a checkpoint depends on.',
  }),
  directory: defineOption({
    key: 'state.checkpoints.dir',
    type: 'string',
    fallbackKeys: ['execution.checkpointing.dir'],
    description:
      'Where checkpoints go: a path, or a URI whose scheme selects the checkpoint storage (`file:` or a plain path: the built-in `filesystem`); also enables the final checkpoint at end of input.',
  }),
  storage: defineOption({
    key: 'state.checkpoint-storage',
    type: 'string',
    description:
      'The checkpoint storage plugin by identifier (`filesystem` is built in); by default the one serving the scheme of `state.checkpoints.dir`. Its options go under `state.checkpoint-storage.<identifier>.`.',
  }),
  retained: defineOption({
    key: 'state.checkpoints.num-retained',
    type: 'int',
    min: 1,
    defaultValue: 3,
    fallbackKeys: ['execution.checkpointing.num-retained'],
    description: 'Completed checkpoints kept.',
  }),
  savepointDirectory: defineOption({
    key: 'state.savepoints.dir',
    type: 'string',
    fallbackKeys: ['execution.checkpointing.savepoint-dir'],
    description: 'Parent directory of savepoints (each gets a new directory inside).',
  }),
  savepointPath: defineOption({
    key: 'execution.savepoint.path',
    type: 'string',
    fallbackKeys: ['execution.state-recovery.path'],
    description: 'Start from this savepoint or retained checkpoint.',
  }),
  ignoreUnclaimedState: defineOption({
    key: 'execution.savepoint.ignore-unclaimed-state',
    type: 'boolean',
    defaultValue: false,
    fallbackKeys: ['execution.state-recovery.ignore-unclaimed-state'],
    description: 'Drop state of operators the job no longer has instead of failing the restore.',
  }),
  restoreFromLatest: defineOption({
    key: 'execution.restore-from-latest-checkpoint',
    type: 'boolean',
    defaultValue: false,
    description: 'Start from the newest intact checkpoint of this run lineage in `state.checkpoints.dir`.',
  }),
} as const;

/**
 * What happens after a failure (`restart-strategy.type` and the options of each strategy).
 *
 * @public
 */
export const RestartStrategyOptions = {
  type: defineOption({
    key: 'restart-strategy.type',
    type: 'enum',
    values: ['none', 'off', 'disable', 'fixed-delay', 'fixeddelay', 'exponential-delay', 'exponentialdelay', 'failure-rate', 'failurerate'],
    defaultDescription: '`fixed-delay` (unbounded attempts, 1 s) with checkpointing, else `none`',
    deprecatedKeys: ['restart-strategy'],
    description: 'The restart strategy; its options below apply only when the type is set.',
  }),
  fixedDelayAttempts: defineOption({
    key: 'restart-strategy.fixed-delay.attempts',
    type: 'int',
    min: 0,
    defaultValue: 1,
    description: 'fixed-delay: restarts before the job fails.',
  }),
  fixedDelay: defineOption({
    key: 'restart-strategy.fixed-delay.delay',
    type: 'duration',
    defaultValue: 1000,
    description: 'fixed-delay: pause before each restart.',
  }),
  initialBackoff: defineOption({
    key: 'restart-strategy.exponential-delay.initial-backoff',
    type: 'duration',
    defaultValue: 1000,
    description: 'exponential-delay: pause before the first restart.',
  }),
  maxBackoff: defineOption({
    key: 'restart-strategy.exponential-delay.max-backoff',
    type: 'duration',
    defaultValue: 60_000,
    description: 'exponential-delay: the longest pause.',
  }),
  backoffMultiplier: defineOption({
    key: 'restart-strategy.exponential-delay.backoff-multiplier',
    type: 'double',
    defaultValue: 1.5,
    description: 'exponential-delay: the pause grows by this factor after each restart.',
  }),
  resetBackoffThreshold: defineOption({
    key: 'restart-strategy.exponential-delay.reset-backoff-threshold',
    type: 'duration',
    defaultValue: 3_600_000,
    description: 'exponential-delay: after this long without a failure the pause starts again from the initial backoff.',
  }),
  attemptsBeforeReset: defineOption({
    key: 'restart-strategy.exponential-delay.attempts-before-reset-backoff',
    type: 'long',
    min: 0,
    defaultDescription: 'unlimited',
    description: 'exponential-delay: restarts (between two resets of the backoff) before the job fails.',
  }),
  maxFailuresPerInterval: defineOption({
    key: 'restart-strategy.failure-rate.max-failures-per-interval',
    type: 'int',
    min: 0,
    defaultValue: 1,
    description: 'failure-rate: failures within one interval before the job fails.',
  }),
  failureRateInterval: defineOption({
    key: 'restart-strategy.failure-rate.failure-rate-interval',
    type: 'duration',
    defaultValue: 60_000,
    description: 'failure-rate: the interval failures are counted in.',
  }),
  failureRateDelay: defineOption({
    key: 'restart-strategy.failure-rate.delay',
    type: 'duration',
    defaultValue: 1000,
    description: 'failure-rate: pause before each restart.',
  }),
} as const;

/**
 * The options of the chosen state backend (`state.backend.<identifier>.*`): the runtime hands them to the backend's
 * factory, which declares and checks them when the job starts.
 *
 * @public
 */
export const STATE_BACKEND_PREFIX: OptionPrefix = {
  prefix: 'state.backend.',
  description: 'Options of the chosen state backend, `state.backend.<identifier>.*`, declared and checked by the backend when the job starts.',
};

/**
 * The options of the chosen checkpoint storage (`state.checkpoint-storage.<identifier>.*`), handed to its factory.
 *
 * @public
 */
export const CHECKPOINT_STORAGE_PREFIX: OptionPrefix = {
  prefix: 'state.checkpoint-storage.',
  description: 'Options of the chosen checkpoint storage, `state.checkpoint-storage.<identifier>.*`, declared and checked by the storage when the job starts.',
};

/**
 * Every option `configFromOptions` accepts.
 *
 * @public
 */
export const RUNTIME_OPTIONS: OptionSet = [
  ...Object.values(RuntimeOptions),
  ...Object.values(CheckpointingOptions),
  ...Object.values(RestartStrategyOptions),
  STATE_BACKEND_PREFIX,
  CHECKPOINT_STORAGE_PREFIX,
];
