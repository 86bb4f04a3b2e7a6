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

/** Default of `cache-size`. */
export const DEFAULT_CACHE_SIZE = 100_000;

/** Validated cache size from options. */
export function cacheSizeOf(options: LevelStateBackendOptions | undefined): number {
  const n = options?.['cache-size'] ?? DEFAULT_CACHE_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`cache-size must be a positive integer, got ${String(n)}`);
  return n;
}
