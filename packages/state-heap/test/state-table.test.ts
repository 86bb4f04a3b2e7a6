// Slots of a tracked state table: a removed entry's slot is reused only after the list of its interval is released.
import { describe, expect, it } from 'vitest';
import { VOID_NAMESPACE } from '@runnel/api/state';
import { StateTable } from '../src/state-table.js';

describe('StateTable (tracked)', () => {
  it('keeps a removed slot empty while its interval may be captured, then reuses it', () => {
    const t = new StateTable(1, true);
    t.set(0, 'a', VOID_NAMESPACE, 1);
    const slotA = t.voidMaps[0]!.get('a') as number;
    t.delete(0, 'a', VOID_NAMESPACE);
    expect(t.vals[slotA]).toBeUndefined();
    const first = t.seal();
    // Still named by `first` (a tombstone of 'a'): a new entry must not take the slot.
    t.set(0, 'b', VOID_NAMESPACE, 2);
    expect(t.voidMaps[0]!.get('b')).not.toBe(slotA);
    expect(t.vals[slotA]).toBeUndefined();
    t.release(first);
    t.set(0, 'c', VOID_NAMESPACE, 3);
    expect(t.voidMaps[0]!.get('c')).toBe(slotA);
    expect(t.get(0, 'c', VOID_NAMESPACE)).toBe(3);
    // Releasing twice frees nothing twice.
    t.release(first);
    t.set(0, 'd', VOID_NAMESPACE, 4);
    expect(t.voidMaps[0]!.get('d')).not.toBe(slotA);
  });

  it('stays bounded under churn when every interval is released', () => {
    const t = new StateTable(2, true);
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 100; k++) t.set(k % 2, k, round, k);
      for (let k = 0; k < 100; k++) t.delete(k % 2, k, round);
      t.release(t.seal());
    }
    expect(t.vals.length).toBeLessThanOrEqual(200);
    expect(t.count()).toBe(0);
  });
});
