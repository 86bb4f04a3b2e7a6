// Test helpers: contexts, batch-wise processing with prefetch, and draining snapshots.
import { keyGroupFor, type KeyGroupEntries, type KeyGroupRange, type KeyedStateBackendContext } from '@runnel/api/state';
import type { KeyedStateSnapshot } from '@runnel/api/state';

export const MAX_PAR = 128;

export class FakeClock {
  now = 1_000;
  readonly fn = (): number => this.now;
}

export function context(
  range: KeyGroupRange = { start: 0, end: MAX_PAR - 1 },
  clock: () => number = () => 0,
): KeyedStateBackendContext {
  return {
    jobId: 'job',
    operatorUid: 'op/1',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: MAX_PAR,
    keyGroupRange: range,
    clock,
  };
}

export function kg(key: unknown): number {
  return keyGroupFor(key, MAX_PAR);
}

export async function drain(s: KeyedStateSnapshot): Promise<KeyGroupEntries[]> {
  const out: KeyGroupEntries[] = [];
  for await (const g of s.write() as AsyncIterable<KeyGroupEntries>) out.push(g);
  return out;
}
