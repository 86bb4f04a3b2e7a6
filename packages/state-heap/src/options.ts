// Options of the heap state backend. Keys follow the project's option style (lower-case, hyphenated,
// hierarchical as in Flink) so they can be passed straight from `state.backend.heap.*` configuration.

/**
 * Options of {@link HeapStateBackend}.
 *
 * @public
 */
export interface HeapStateBackendOptions {
  /**
   * Entries of a TTL state the incremental cleanup visits on each access of that state (Flink's
   * `cleanupIncrementally(cleanupSize)`). Default 5; 0 disables incremental cleanup (expired entries are then only
   * removed when read).
   */
  readonly 'ttl.incremental-cleanup.cleanup-size'?: number;
}

/**
 * Default of `ttl.incremental-cleanup.cleanup-size`, as Flink's.
 *
 * @internal
 */
export const DEFAULT_CLEANUP_SIZE = 5;

/**
 * Validated cleanup size from options.
 *
 * @internal
 */
export function cleanupSizeOf(options: HeapStateBackendOptions | undefined): number {
  const n = options?.['ttl.incremental-cleanup.cleanup-size'] ?? DEFAULT_CLEANUP_SIZE;
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`ttl.incremental-cleanup.cleanup-size must be a non-negative integer, got ${String(n)}`);
  }
  return n;
}
