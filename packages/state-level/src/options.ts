// Options of the LevelDB state backend, declared as data (`@runnel/api/config`) under their configuration keys
// `state.backend.level.*`. The backend owns them: the runtime hands a job's `state.backend.level.*` options on and
// checks them against these declarations; programmatic options (`LevelStateBackendOptions`) are the same keys
// without the prefix and go through the same parser.
import { defineOption, parseOptions, type OptionSet } from '@runnel/api/config';

/**
 * Options of {@link LevelStateBackend}.
 *
 * @public
 */
export interface LevelStateBackendOptions {
  /**
   * Parent directory of the per-subtask LevelDB directories. Default: the subtask's `localDirectory` from the
   * runtime, else `os.tmpdir()`. Each keyed backend creates (and on dispose deletes) its own fresh directory inside.
   */
  readonly directory?: string;
  /**
   * Estimated JS heap the write-back cache may hold: resident keys with all their states and namespaces, and the
   * cache's own bookkeeping per key (in bytes or as a memory size such as `'32 mb'`). Default 24 MiB — unless only
   * `cache-size` is set, which then bounds the cache alone (as before this option existed). The estimate is a
   * moving average of sampled resident keys' sizes, so the cache holds about `cache-memory / bytes per key` keys.
   */
  readonly 'cache-memory'?: number | string;
  /**
   * Maximum number of keys whose state is resident in the write-back cache (a resident key holds all its states
   * and namespaces; keys known to have no state count too), on top of `cache-memory`. No default: the cache is
   * bounded by `cache-memory`; set alone, this is the only bound. The cache holds at least the distinct keys of the
   * current input batch (a batch's keys are never evicted while it is processed).
   */
  readonly 'cache-size'?: number;
  /**
   * Namespaced (window) state with at most this many live namespaces is prefetched with point reads of every
   * (key, namespace) pair inside the batch's single `getMany`; with more live namespaces (e.g. session windows)
   * prefetch reads each key's namespace range instead, an iterator per key (about 10× the cost of a batched
   * point read). Default 16; 0 always uses range reads for namespaced state.
   */
  readonly 'prefetch.max-point-read-namespaces'?: number;
  /**
   * Concurrent `getMany` jobs one prefetch splits its point reads into (each at least 128 keys). classic-level
   * reads a `getMany`'s keys one after another on one libuv thread-pool thread while the task waits; more jobs
   * use more cores for the wait. Default 2; 1 disables splitting.
   */
  readonly 'prefetch.read-parallelism'?: number;
  /**
   * LevelDB's block cache (uncompressed data blocks shared by all reads of this subtask's database), in bytes or
   * as a memory size such as `'64 mb'` (Flink's grammar). Default 32 MiB (see the README for the measurements).
   */
  readonly 'block-cache-size'?: number | string;
  /**
   * LevelDB's memtable size, in bytes or as a memory size. Default 16 MiB. Larger memtables mean fewer level-0
   * files and less compaction (the background compaction thread competes with the task for the cores); the cost
   * is memory (up to two memtables) and a longer log replay, which never happens here (databases are fresh).
   */
  readonly 'write-buffer-size'?: number | string;
  /** LevelDB's data block size (uncompressed), in bytes or as a memory size. Default 4 KiB. */
  readonly 'block-size'?: number | string;
  /** Whether LevelDB compresses blocks with Snappy. Default true. */
  readonly compression?: boolean;
  /** Table files LevelDB keeps open (each open table caches its index and Bloom filter). Default 1000. */
  readonly 'max-open-files'?: number;
}

/** LevelDB open options derived from {@link LevelStateBackendOptions} (classic-level's option names). @internal */
export interface LevelDbOpenOptions {
  readonly cacheSize: number;
  readonly writeBufferSize: number;
  readonly blockSize: number;
  readonly compression: boolean;
  readonly maxOpenFiles: number;
}

/**
 * The prefix of the backend's keys in a job's configuration.
 *
 * @public
 */
export const LEVEL_OPTION_PREFIX = 'state.backend.level.';

// LevelDB takes 32-bit sizes and counts.
const MAX_U32 = 0xffff_ffff;

/**
 * The default byte budget of the write-back cache. Measured with the memory benchmark (a retracting SQL group
 * aggregation over 10 M keys at parallelism 2: four caches in two worker heaps, ~450 estimated bytes per key) and
 * Nexmark `keyedcount` (one counter per key, ~240 bytes: the budget keeps as many keys as the former default of
 * 100 000); see the README.
 */
const DEFAULT_CACHE_MEMORY = 24 << 20;

/**
 * The options of the LevelDB state backend, declared as data under their configuration keys
 * (`state.backend.level.<option>`; in {@link LevelStateBackendOptions} the same options go without the prefix).
 *
 * @public
 */
export const LevelOptions = {
  directory: defineOption({
    key: `${LEVEL_OPTION_PREFIX}directory`,
    type: 'string',
    defaultDescription: "the subtask's local directory, else the OS temp directory",
    description:
      'Parent of the per-subtask database directories; each keyed backend creates a fresh directory inside and deletes it on dispose.',
  }),
  cacheMemory: defineOption({
    key: `${LEVEL_OPTION_PREFIX}cache-memory`,
    type: 'memory',
    min: 64 << 10,
    defaultValue: DEFAULT_CACHE_MEMORY,
    description:
      'Estimated JS heap the write-back cache of one keyed operator subtask may hold: its resident keys with all their ' +
      'states, estimated from sampled keys. The cache evicts at this budget or at `cache-size` keys, whichever comes ' +
      'first. When only `cache-size` is set, the default budget does not apply (the key count alone bounds the cache).',
  }),
  cacheSize: defineOption({
    key: `${LEVEL_OPTION_PREFIX}cache-size`,
    type: 'long',
    min: 1,
    defaultDescription: 'none (the cache is bounded by `cache-memory`)',
    description:
      'Maximum number of keys whose state is resident in the write-back cache (a resident key holds all its states and ' +
      'namespaces), on top of `cache-memory`. Set alone (without `cache-memory`), it is the only bound.',
  }),
  pointReadNamespaces: defineOption({
    key: `${LEVEL_OPTION_PREFIX}prefetch.max-point-read-namespaces`,
    type: 'int',
    min: 0,
    defaultValue: 16,
    description:
      'Namespaced (window) state with at most this many live namespaces is prefetched by point reads of every (key, ' +
      'namespace) pair; above it by a range read per key. 0 always uses range reads.',
  }),
  readParallelism: defineOption({
    key: `${LEVEL_OPTION_PREFIX}prefetch.read-parallelism`,
    type: 'int',
    min: 1,
    max: 64,
    defaultValue: 2,
    description: 'Concurrent `getMany` jobs one prefetch splits its point reads into (each at least 128 keys); 1 disables splitting.',
  }),
  blockCacheSize: defineOption({
    key: `${LEVEL_OPTION_PREFIX}block-cache-size`,
    type: 'memory',
    min: 0,
    max: MAX_U32,
    defaultValue: 32 << 20,
    description: "LevelDB's block cache (uncompressed data blocks shared by all reads of the subtask's database).",
  }),
  writeBufferSize: defineOption({
    key: `${LEVEL_OPTION_PREFIX}write-buffer-size`,
    type: 'memory',
    min: 64 << 10,
    max: MAX_U32,
    defaultValue: 16 << 20,
    description: "LevelDB's memtable size: larger means fewer level-0 files and less compaction, at the cost of memory.",
  }),
  blockSize: defineOption({
    key: `${LEVEL_OPTION_PREFIX}block-size`,
    type: 'memory',
    min: 256,
    max: MAX_U32,
    defaultValue: 4096,
    description: "LevelDB's data block size (uncompressed).",
  }),
  compression: defineOption({
    key: `${LEVEL_OPTION_PREFIX}compression`,
    type: 'boolean',
    defaultValue: true,
    description: 'Whether LevelDB compresses blocks with Snappy.',
  }),
  maxOpenFiles: defineOption({
    key: `${LEVEL_OPTION_PREFIX}max-open-files`,
    type: 'long',
    min: 16,
    max: MAX_U32,
    defaultValue: 1000,
    description: 'Table files LevelDB keeps open (each open table caches its index and Bloom filter).',
  }),
} as const;

/**
 * Every option of the LevelDB state backend (keys with the `state.backend.level.` prefix): what the runtime checks
 * a job's `state.backend.level.*` options against.
 *
 * @public
 */
export const LEVEL_STATE_BACKEND_OPTIONS: OptionSet = Object.values(LevelOptions);

/**
 * Every option validated and defaulted: the backend resolves them once when configured (so a bad value fails at
 * configuration time) and each subtask's keyed backend opens with the result.
 */
export interface ResolvedLevelOptions {
  readonly directory: string | undefined;
  /** Resident keys at most; `Infinity` when `cache-size` is not set. */
  readonly cacheSize: number;
  /** Estimated cache bytes at most; `Infinity` when only `cache-size` is set. */
  readonly cacheMemory: number;
  readonly pointReadNamespaces: number;
  readonly readParallelism: number;
  readonly dbOptions: LevelDbOpenOptions;
}

/**
 * Validates and defaults every option against {@link LEVEL_STATE_BACKEND_OPTIONS} (throws a `ConfigurationError`
 * naming the first bad or unknown option by its `state.backend.level.` key).
 */
export function resolveLevelOptions(options: LevelStateBackendOptions | Readonly<Record<string, unknown>> | undefined): ResolvedLevelOptions {
  const prefixed = Object.fromEntries(Object.entries(options ?? {}).map(([k, v]) => [`${LEVEL_OPTION_PREFIX}${k}`, v]));
  const o = parseOptions(LEVEL_STATE_BACKEND_OPTIONS, prefixed);
  const L = LevelOptions;
  return {
    directory: o.get(L.directory),
    cacheSize: o.getOptional(L.cacheSize) ?? Infinity,
    // An explicit key bound alone keeps its meaning (only it bounds the cache); the byte budget's default applies
    // when neither is set.
    cacheMemory: o.isSet(L.cacheMemory) || !o.isSet(L.cacheSize) ? o.get(L.cacheMemory) : Infinity,
    pointReadNamespaces: o.get(L.pointReadNamespaces),
    readParallelism: o.get(L.readParallelism),
    dbOptions: {
      cacheSize: o.get(L.blockCacheSize),
      writeBufferSize: o.get(L.writeBufferSize),
      blockSize: o.get(L.blockSize),
      compression: o.get(L.compression),
      maxOpenFiles: o.get(L.maxOpenFiles),
    },
  };
}
