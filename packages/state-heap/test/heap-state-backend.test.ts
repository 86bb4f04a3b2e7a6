import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend, HeapOperatorStateStore, HeapStateBackend } from '../src/index.js';

describe('HeapStateBackend', () => {
  it('is named heap and creates keyed and operator stores synchronously', () => {
    const backend = new HeapStateBackend();
    expect(backend.name).toBe('heap');
    const keyed = backend.createKeyedStateBackend({
      jobId: 'j',
      operatorUid: 'op',
      subtaskIndex: 1,
      parallelism: 2,
      maxParallelism: 128,
      keyGroupRange: { start: 64, end: 127 },
      clock: () => 0,
    });
    expect(keyed).toBeInstanceOf(HeapKeyedStateBackend);
    expect(keyed.keyGroupRange).toEqual({ start: 64, end: 127 });
    const operatorStore = backend.createOperatorStateStore({
      jobId: 'j',
      operatorUid: 'op',
      subtaskIndex: 0,
      parallelism: 1,
    });
    expect(operatorStore).toBeInstanceOf(HeapOperatorStateStore);
    backend.close();
    backend.close();
  });

  it('validates options at construction', () => {
    expect(() => new HeapStateBackend({ 'ttl.incremental-cleanup.cleanup-size': 1.5 })).toThrow(/non-negative integer/);
  });
});
