// The cache bound: `cache-size` keys and `cache-memory` bytes, whichever is lower, from the sampled bytes per key.
import { describe, expect, it } from 'vitest';
import { CacheBudget } from '../src/cache-budget.js';

describe('CacheBudget', () => {
  it('without a byte budget is the key bound, unsampled', () => {
    const b = new CacheBudget(1000, Infinity);
    expect(b.sized).toBe(false);
    expect(b.limit).toBe(1000);
  });

  it('turns the byte budget into keys by the average sampled size, capped by the key bound', () => {
    const b = new CacheBudget(Infinity, 1 << 20);
    expect(b.limit).toBe(4096); // 256 bytes per key assumed before the first sample
    b.sample(512);
    expect(b.limit).toBe(2048);
    b.sample(1536); // average 1024
    expect(b.limit).toBe(1024);
    const capped = new CacheBudget(100, 1 << 20);
    capped.sample(64);
    expect(capped.limit).toBe(100);
  });

  it('follows a change in size (an exponential average after its window) and keeps at least one key', () => {
    const b = new CacheBudget(Infinity, 1 << 20);
    for (let i = 0; i < 300; i++) b.sample(256);
    expect(b.limit).toBe(4096);
    for (let i = 0; i < 2000; i++) b.sample(4096); // values grew sixteenfold
    expect(b.limit).toBeGreaterThanOrEqual(256);
    expect(b.limit).toBeLessThan(260);
    b.sample(1e12);
    expect(b.limit).toBe(1);
  });
});
