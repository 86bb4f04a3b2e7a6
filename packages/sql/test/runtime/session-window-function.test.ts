// The SESSION window aggregation function driven by hand (exact order of rows and watermarks): a row extends its
// key's open session without touching timers, bridging rows merge sessions in the order of their starts (the row
// last), out-of-order rows within the gap extend a session to the left, stale (lazy) timers emit nothing, and a
// restore from a checkpoint taken mid-session, on the heap and the level backend, gives the sessions computed
// without Runnel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyedProcessFunctionHarness, type OperatorSnapshot } from '@runnel/testing';
import type { StateBackend } from '@runnel/api';
import { RowKind, type Row } from '@runnel/api/table';
import { LevelStateBackend } from '@runnel/state-level';
import type { AggCall, WindowSpec } from '../../src/plan/rel.js';
import { SessionWindowAggregateFunction } from '../../src/runtime/session-window-function.js';
import { resolve, T } from '../aggregates/helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function call(name: string, agg: AggCall['agg'], args: number[]): AggCall {
  // As the planner does for insert-only input (translate-aggregates.ts).
  const a = agg.insertOnly ?? agg;
  return { name, agg: a, args, distinct: false, type: a.type };
}

/** Rows: [key BIGINT, ts TIMESTAMP(3), label STRING]; output: key, window_start, window_end, window_time, aggregates. */
function sessionFunction(gap: number, withLabels = true): SessionWindowAggregateFunction {
  const spec: WindowSpec = { kind: 'SESSION', timeField: 1, eventTime: true, size: 0, offset: 0, gap, timeType: T.timestamp };
  const aggs = [call('n', resolve('COUNT', []), [])];
  if (withLabels) {
    aggs.push(call('labels', resolve('LISTAGG', [T.string]), [2]), call('first', resolve('FIRST_VALUE', [T.string]), [2]), call('last', resolve('LAST_VALUE', [T.string]), [2]));
  }
  return new SessionWindowAggregateFunction(spec, [0], aggs);
}

const row = (key: number, ts: number, label = ''): Row => ({ kind: RowKind.INSERT, fields: [BigInt(key), ts, label] });
const key = (r: Row) => r.fields[0];

async function harness(gap: number, o: { withLabels?: boolean; backend?: StateBackend; restore?: OperatorSnapshot } = {}) {
  const h = await keyedProcessFunctionHarness(sessionFunction(gap, o.withLabels ?? true), key, { stateBackend: o.backend, restore: o.restore });
  return {
    h,
    add: (k: number, ts: number, label = '') => h.processElement(row(k, ts, label), ts),
    rows: () => h.output().map((r) => r.fields),
  };
}

describe('SessionWindowAggregateFunction', () => {
  it('a row bridging sessions merges them in the order of their starts, the row last', async () => {
    const s = await harness(100);
    // Opened in the reverse order of their starts.
    await s.add(1, 200, 'c');
    await s.add(1, 0, 'a');
    await s.add(1, 20, 'b');
    await s.add(1, 100, 'x'); // [100, 200] touches [0, 120) and [200, 300)
    // Opened in the order of their starts.
    await s.add(2, 0, 'a');
    await s.add(2, 200, 'c');
    await s.add(2, 100, 'x');
    await s.h.processWatermark(298);
    expect(s.rows()).toEqual([]);
    await s.h.processWatermark(299);
    expect(s.rows()).toEqual([
      [1n, 0, 300, 299, 4n, 'a,b,c,x', 'a', 'x'],
      [2n, 0, 300, 299, 3n, 'a,c,x', 'a', 'x'],
    ]);
    // The timers of the merged sessions (119, 299) and the new row's are spent: nothing fires again.
    await s.h.processWatermark(10_000);
    expect(s.rows()).toHaveLength(2);
  });

  it('out-of-order rows within the gap extend the session to the left; a stale timer emits nothing', async () => {
    const s = await harness(100);
    await s.add(7, 300, 'p');
    await s.add(7, 350, 'q');
    await s.add(7, 220, 'r'); // [220, 320] touches [300, 450): [220, 450)
    await s.add(7, 390, 's'); // [220, 490)
    await s.add(8, 400, 'z');
    await s.h.processWatermark(488); // the session's first timer (399) is stale
    expect(s.rows()).toEqual([]);
    await s.h.processWatermark(489);
    expect(s.rows()).toEqual([[7n, 220, 490, 489, 4n, 'p,q,r,s', 'p', 's']]);
    await s.h.processWatermark(499);
    expect(s.rows()).toEqual([
      [7n, 220, 490, 489, 4n, 'p,q,r,s', 'p', 's'],
      [8n, 400, 500, 499, 1n, 'z', 'z', 'z'],
    ]);
  });

  it('one watermark past a stale timer and the session end fires the session once, with its end - 1 as timestamp', async () => {
    const s = await harness(10);
    for (let ts = 0; ts < 1000; ts += 5) await s.add(3, ts, 'v');
    await s.add(4, 20, 'w');
    await s.h.processWatermark(1_000_000);
    expect(s.h.output().map((r) => [r.fields[0], r.fields[1], r.fields[2], r.fields[4]])).toEqual([
      [4n, 20, 30, 1n],
      [3n, 0, 1005, 200n],
    ]);
    expect(s.h.recordsWithTimestamps().map((r) => r.timestamp)).toEqual([29, 1004]);
  });

  it('late rows (their own window ended) are dropped and counted, as before', async () => {
    const s = await harness(100);
    await s.add(1, 0, 'a');
    await s.h.processWatermark(99);
    await s.add(1, -1, 'late'); // [-1, 99): ended
    await s.add(1, 5, 'new'); // [5, 105): a new session (the old one fired)
    await s.h.processWatermark(1000);
    expect(s.rows()).toEqual([
      [1n, 0, 100, 99, 1n, 'a', 'a', 'a'],
      [1n, 5, 105, 104, 1n, 'new', 'new', 'new'],
    ]);
  });
});

/** Sessions of sorted timestamps per key (a row at most `gap` after the session's last joins it): [key, start, end, count]. */
function referenceSessions(rows: readonly [number, number][], gap: number): unknown[][] {
  const byKey = new Map<number, number[]>();
  for (const [k, ts] of rows) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(ts);
  const out: unknown[][] = [];
  for (const [k, tss] of byKey) {
    tss.sort((a, b) => a - b);
    let start = tss[0]!;
    let last = start;
    let n = 0;
    for (const ts of tss) {
      if (ts > last + gap) {
        out.push([BigInt(k), start, last + gap, BigInt(n)]);
        start = ts;
        n = 0;
      }
      last = ts;
      n++;
    }
    out.push([BigInt(k), start, last + gap, BigInt(n)]);
  }
  return out;
}

const order = (a: unknown[], b: unknown[]) => Number(a[0] as bigint) - Number(b[0] as bigint) || (a[1] as number) - (b[1] as number);

describe('SessionWindowAggregateFunction: restore from a checkpoint mid-session', () => {
  function rows(seed: number): [number, number][] {
    let x = seed;
    const rnd = () => ((x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const out: [number, number][] = [];
    let ts = 0;
    for (let i = 0; i < 2000; i++) {
      ts += Math.floor(rnd() * 6);
      // Up to 40 ms out of order (the watermark trails by 50): none is late; some extend sessions to the left.
      out.push([Math.floor(rnd() * 10), Math.max(0, ts - Math.floor(rnd() * 40))]);
      if (rnd() < 0.005) ts += 150; // a pause longer than the gap: sessions close during the run
    }
    return out;
  }

  for (const backend of ['heap', 'level'] as const) {
    it(`${backend}: the restored function continues every open session`, async () => {
      const make = (): StateBackend | undefined => {
        if (backend === 'heap') return undefined;
        const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-session-restore-'));
        dirs.push(dir);
        // A small cache: the sessions go through LevelDB and their serializer.
        return new LevelStateBackend({ directory: dir, 'cache-size': 3 });
      };
      for (const seed of [11, 12, 13]) {
        const input = rows(seed);
        const cut = 500 + (seed % 10) * 300;
        const gap = 60;
        let s = await harness(gap, { withLabels: false, backend: make() });
        const fired: unknown[][] = [];
        let maxTs = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < input.length; i++) {
          if (i === cut) {
            const snapshot = await s.h.snapshot();
            fired.push(...s.rows());
            await s.h.close(); // dropped, as after a crash
            s = await harness(gap, { withLabels: false, backend: make(), restore: snapshot });
            expect(s.rows()).toEqual([]);
          }
          const [k, ts] = input[i]!;
          await s.add(k, ts);
          maxTs = Math.max(maxTs, ts);
          if (i % 7 === 0) await s.h.processWatermark(maxTs - 50);
        }
        // Sessions open across the cut: those that started before it and fired after it.
        const before = fired.length;
        await s.h.processWatermark(Number.MAX_SAFE_INTEGER);
        fired.push(...s.rows());
        await s.h.close();
        const got = fired.map((f) => [f[0], f[1], f[2], f[4]]).sort(order);
        const expected = referenceSessions(input, gap).sort(order);
        expect(got, `seed ${seed}`).toEqual(expected);
        const cutTs = input[cut]![1];
        expect(got.filter((f) => (f[1] as number) < cutTs && (f[2] as number) > cutTs).length, `seed ${seed}: sessions spanning the checkpoint`).toBeGreaterThan(0);
        expect(before).toBeLessThan(got.length);
      }
    });
  }
});
