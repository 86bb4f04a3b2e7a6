// The aggregate calls of an operator applied to rows (generated per operator): FILTER fields, argument positions,
// accumulators at an offset, retraction and results, against each aggregate applied by hand.
import { describe, expect, it } from 'vitest';
import type { AggCall } from '../../src/plan/rel.js';
import { AggsHandle } from '../../src/runtime/aggs-handle.js';
import { distinctAggregate } from '../../src/aggregates/registry.js';
import { resolve, T } from '../aggregates/helpers.js';

function call(name: string, agg: AggCall['agg'], args: number[], filter?: number): AggCall {
  return { name, agg, args, distinct: false, filter, type: agg.type };
}

describe('AggsHandle', () => {
  it('applies each call with its arguments and FILTER, at an offset, and retracts', () => {
    // rows: [bidder BIGINT, price INT, cheap BOOLEAN]
    const calls = [
      call('n', resolve('COUNT', []), []),
      call('cheap', resolve('COUNT', []), [], 2),
      call('bidders', distinctAggregate(resolve('COUNT', [T.bigint]), [T.bigint]), [0]),
      call('sum', resolve('SUM', [T.int]), [1]),
      call('max', resolve('MAX', [T.int]), [1], 2),
    ];
    const h = new AggsHandle(calls);
    const rows: unknown[][] = [
      [1n, 10, true],
      [2n, 500, false],
      [1n, 7, true],
      [3n, null, null],
    ];
    const st: unknown[] = ['count', ...h.create()];
    for (const r of rows) h.accumulate(st, r, 1);
    const out = new Array<unknown>(6).fill('key');
    h.valuesAt(st, 1, out, 1);
    expect(out).toEqual(['key', 4n, 2n, 3n, 517, 10]);
    h.retract(st, rows[1]!, 1);
    h.retract(st, rows[3]!, 1);
    h.valuesAt(st, 1, out, 1);
    expect(out).toEqual(['key', 2n, 2n, 1n, 17, 10]);
    expect(st[0]).toBe('count');
    // without an offset (window and OVER operators)
    const accs = h.create();
    h.accumulate(accs, rows[0]!);
    const vals: unknown[] = [];
    h.values(accs, vals);
    expect(vals).toEqual([1n, 1n, 1n, 10, 10]);
  });
});
