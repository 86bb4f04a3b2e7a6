// The cached number-to-bigint conversion of aggregate results: always the value BigInt gives, whatever was cached.
import { describe, expect, it } from 'vitest';
import { bigintOf } from '../../src/aggregates/internal/bigint-of.js';

describe('bigintOf', () => {
  it('equals BigInt(n) for small, negative, large and colliding numbers, in any order', () => {
    const values = [0, -0, 1, -1, 4095, 4096, 8191, -4096, 2 ** 31, -(2 ** 31), 2 ** 32 + 7, 7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60];
    for (let round = 0; round < 3; round++) {
      for (const n of values) expect(bigintOf(n)).toBe(BigInt(n));
      values.reverse();
    }
    let seed = 12345;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const n = (seed % 3 === 0 ? -1 : 1) * (seed % 100000);
      expect(bigintOf(n)).toBe(BigInt(n));
    }
  });
});
