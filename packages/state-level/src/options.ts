// Options of the LevelDB state backend. Keys follow the project's option style (lower-case, hyphenated) so they
// can be passed straight from `state.backend.level.*` configuration.

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
   * Maximum number of keys whose state is resident in the write-back cache (a resident key holds all its states
   * and namespaces; keys known to have no state count too). Default 100 000. Must be at least the number of
   * distinct keys in one input batch (a batch's keys are never evicted while it is processed).
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
   * as a memory size such as `'64 mb'`. Default 32 MiB (see the README for the measurements).
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

/** Default of `block-cache-size`. @internal */
export const DEFAULT_BLOCK_CACHE_SIZE = 32 << 20;
/** Default of `write-buffer-size`. @internal */
export const DEFAULT_WRITE_BUFFER_SIZE = 16 << 20;
/** Default of `block-size`. @internal */
export const DEFAULT_BLOCK_SIZE = 4096;
/** Default of `max-open-files`. @internal */
export const DEFAULT_MAX_OPEN_FILES = 1000;

/** Validated LevelDB open options. @internal */
export function levelDbOptionsOf(options: LevelStateBackendOptions | undefined): LevelDbOpenOptions {
  const compression = options?.compression ?? true;
  if (typeof compression !== 'boolean') {
    throw new TypeError(`compression must be a boolean, got ${String(compression as unknown)}`);
  }
  const maxOpenFiles = options?.['max-open-files'] ?? DEFAULT_MAX_OPEN_FILES;
  if (!Number.isInteger(maxOpenFiles) || maxOpenFiles < 16 || maxOpenFiles > 0xffff_ffff) {
    throw new RangeError(`max-open-files must be an integer of at least 16, got ${String(maxOpenFiles)}`);
  }
  return {
    cacheSize: memorySizeOf('block-cache-size', options?.['block-cache-size'], DEFAULT_BLOCK_CACHE_SIZE, 0),
    writeBufferSize: memorySizeOf('write-buffer-size', options?.['write-buffer-size'], DEFAULT_WRITE_BUFFER_SIZE, 64 << 10),
    blockSize: memorySizeOf('block-size', options?.['block-size'], DEFAULT_BLOCK_SIZE, 256),
    compression,
    maxOpenFiles,
  };
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * A memory size option: a number of bytes or a string such as `'64 mb'` (units b, kb, mb, gb with binary
 * multiples, as Flink's `MemorySize`). LevelDB takes 32-bit sizes, so the result must stay below 4 GiB.
 *
 * @internal
 */
export function memorySizeOf(name: string, value: number | string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  let n = Number.NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
    const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()];
    if (m !== null && unit !== undefined) n = Number(m[1]) * unit;
  }
  if (!Number.isInteger(n) || n < min || n > 0xffff_ffff) {
    throw new RangeError(
      `${name} must be a memory size of ${min} bytes to 4 GiB (a number of bytes or e.g. '64 mb'), got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Default of `prefetch.max-point-read-namespaces`. */
export const DEFAULT_POINT_READ_NAMESPACES = 16;

/** Validated `prefetch.max-point-read-namespaces`. */
export function pointReadNamespacesOf(options: LevelStateBackendOptions | undefined): number {
  const n = options?.['prefetch.max-point-read-namespaces'] ?? DEFAULT_POINT_READ_NAMESPACES;
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`prefetch.max-point-read-namespaces must be a non-negative integer, got ${String(n)}`);
  }
  return n;
}

/** Default of `prefetch.read-parallelism`. @internal */
export const DEFAULT_READ_PARALLELISM = 2;

/** Validated `prefetch.read-parallelism`. @internal */
export function readParallelismOf(options: LevelStateBackendOptions | undefined): number {
  const n = options?.['prefetch.read-parallelism'] ?? DEFAULT_READ_PARALLELISM;
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new RangeError(`prefetch.read-parallelism must be an integer from 1 to 64, got ${String(n)}`);
  }
  return n;
}

/** Default of `cache-size`. */
export const DEFAULT_CACHE_SIZE = 100_000;

/** Validated cache size from options. */
export function cacheSizeOf(options: LevelStateBackendOptions | undefined): number {
  const n = options?.['cache-size'] ?? DEFAULT_CACHE_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`cache-size must be a positive integer, got ${String(n)}`);
  return n;
}

/**
 * Every option validated and defaulted: the backend resolves them once when configured (so a bad value fails at
 * configuration time) and each subtask's keyed backend opens with the result.
 */
export interface ResolvedLevelOptions {
  readonly cacheSize: number;
  readonly pointReadNamespaces: number;
  readonly readParallelism: number;
  readonly dbOptions: LevelDbOpenOptions;
}

/** Validates and defaults every option (throws on the first bad one). */
export function resolveLevelOptions(options: LevelStateBackendOptions | undefined): ResolvedLevelOptions {
  return {
    cacheSize: cacheSizeOf(options),
    pointReadNamespaces: pointReadNamespacesOf(options),
    readParallelism: readParallelismOf(options),
    dbOptions: levelDbOptionsOf(options),
  };
}
