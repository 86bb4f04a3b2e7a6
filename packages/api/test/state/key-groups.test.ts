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

  it('rejects keys it cannot hash stably (class instances, maps, functions)', () => {
    class Key {
      a = 1;
    }
    expect(() => hashKey(new Key())).toThrow(/unsupported key type/);
    expect(() => hashKey(new Map([[1, 2]]))).toThrow(/unsupported key type \[object Map\]/);
    expect(() => hashKey(() => 1)).toThrow(/unsupported key type/);
  });
});

describe('key-group hashing is stable', () => {
  // Savepoints store keyed state by key group: a change to hashKey would send restored keys to the wrong subtask.
  // These values are pinned; changing them is a breaking change of the savepoint format.
  it('keeps the hashes and key groups of existing savepoints', () => {
    const pinned = [0, 1, -1, 42, 1.5, 'a', 'checkout', '', true, false, 12345678901234, [1, 'x'], null].map((k) => [hashKey(k), keyGroupFor(k, 128)]);
    expect(pinned).toMatchInlineSnapshot(`
      [
        [
          -1479675212,
          52,
        ],
        [
          1117238807,
          23,
        ],
        [
          -2082152477,
          99,
        ],
        [
          556719562,
          74,
        ],
        [
          -1179936727,
          41,
        ],
        [
          298494453,
          117,
        ],
        [
          -90278527,
          1,
        ],
        [
          -340344280,
          40,
        ],
        [
          1291169091,
          67,
        ],
        [
          715086610,
          18,
        ],
        [
          1358454973,
          61,
        ],
        [
          -2094914981,
          91,
        ],
        [
          0,
          0,
        ],
      ]
    `);
  });
});
