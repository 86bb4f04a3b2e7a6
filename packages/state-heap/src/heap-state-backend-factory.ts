// The heap state backend as a plugin: `state.backend.type: heap` (or Flink's `hashmap`), with its options under
// `state.backend.heap.`. The runtime ships it built in; it is found like any other backend.
import type { StateBackend, StateBackendFactory, StateBackendFactoryContext } from '@runnel/api/state';
import { defineOption, parseOptions } from '@runnel/api/config';
import { HeapStateBackend } from './heap-state-backend.js';
import { DEFAULT_CLEANUP_SIZE } from './options.js';

/**
 * The options of the heap state backend.
 *
 * @public
 */
export const HeapOptions = {
  cleanupSize: defineOption({
    key: 'state.backend.heap.ttl.incremental-cleanup.cleanup-size',
    type: 'int',
    defaultValue: DEFAULT_CLEANUP_SIZE,
    min: 0,
    description:
      "Entries of a TTL state the incremental cleanup visits on each access of that state (Flink's `cleanupIncrementally`); 0 removes expired entries only when they are read.",
  }),
} as const;

/**
 * The `heap` state backend factory.
 *
 * @public
 */
export const heapStateBackend: StateBackendFactory = {
  kind: 'state-backend',
  identifier: 'heap',
  aliases: ['hashmap'],
  apiVersion: '^0.1.0',
  description: 'keyed state in JS memory: the fastest, bounded by the heap',
  options: Object.values(HeapOptions),
  create(context: StateBackendFactoryContext): StateBackend {
    const o = parseOptions(this.options, context.options, { context: 'state backend heap' });
    return new HeapStateBackend({ 'ttl.incremental-cleanup.cleanup-size': o.get(HeapOptions.cleanupSize) });
  },
};
