import { describe, expect, it } from 'vitest';
import { SimpleCounter } from '../src/simple-counter.js';

describe('SimpleCounter', () => {
  it('counts through inc/dec and through the plain field', () => {
    const c = new SimpleCounter();
    expect(c.kind).toBe('counter');
    expect(c.getCount()).toBe(0);
    c.inc();
    c.inc(5);
    c.dec();
    c.dec(2);
    expect(c.getCount()).toBe(3);
    for (let i = 0; i < 1000; i++) c.count++;
    c.count += 7;
    expect(c.getCount()).toBe(1010);
  });
});
