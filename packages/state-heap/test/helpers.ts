// Shared test setup: a keyed backend over a key-group range with an injectable clock.
import { keyGroupFor, type KeyGroupRange } from '@runnel/api/state';
import { HeapKeyedStateBackend, HeapStateBackend, type HeapStateBackendOptions } from '../src/index.js';

export const MAX_PARALLELISM = 128;

export interface TestBackend {
  backend: HeapKeyedStateBackend;
  clock: { now: number };
  /** Sets the current key (computing its key group) and optionally the namespace. */
  at(key: unknown, namespace?: string | number): void;
}

export function createBackend(
  range: KeyGroupRange = { start: 0, end: MAX_PARALLELISM - 1 },
  options?: HeapStateBackendOptions,
): TestBackend {
  const clock = { now: 1_000 };
  const backend = new HeapStateBackend(options).createKeyedStateBackend({
    jobId: 'job',
    operatorUid: 'op',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: range,
    clock: () => clock.now,
  });
  return {
    backend,
    clock,
    at(key, namespace = '') {
      backend.setCurrentKey(key, keyGroupFor(key, MAX_PARALLELISM));
      backend.setCurrentNamespace(namespace);
    },
  };
}
