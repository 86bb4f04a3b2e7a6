import { describe, expect, it } from 'vitest';
import {
  hashKey,
  keyGroupFor,
  keyGroupRangeForSubtask,
  operatorIndexForKeyGroup,
} from '../../src/state/key-groups.js';

describe('key groups', () => {
  it('hashes equal keys equally and spreads keys over all key groups', () => {
    expect(hashKey('abc')).toBe(hashKey('ab' + 'c'));
    expect(hashKey([1, 'x'])).toBe(hashKey([1, 'x']));
    expect(hashKey(1.5)).not.toBe(hashKey(1));
    const counts = new Array(128).fill(0);
    for (let i = 0; i < 128_000; i++) counts[keyGroupFor(i, 128)]++;
    expect(Math.min(...counts)).toBeGreaterThan(700);
    expect(Math.max(...counts)).toBeLessThan(1300);
  });

  it('maps key groups to contiguous subtask ranges consistent with operatorIndexForKeyGroup', () => {
    for (const p of [1, 2, 3, 4, 7, 128]) {
      let next = 0;
      for (let i = 0; i < p; i++) {
        const r = keyGroupRangeForSubtask(128, p, i);
        expect(r.start).toBe(next);
        for (let kg = r.start; kg <= r.end; kg++) expect(operatorIndexForKeyGroup(128, p, kg)).toBe(i);
        next = r.end + 1;
      }
      expect(next).toBe(128);
    }
  });

  it('rejects keys it cannot hash stably', () => {
    expect(() => hashKey({ a: 1 })).toThrow(/unsupported key type/);
  });
});
