// Session windows with lazy timers (window-operator.ts): a record that only extends a window changes no timer, and a
// timer that fires before its window's end registers the grown window's. Driven by hand (exact order of records and
// watermarks), checked for: one pending timer per in-order session, firing exactly once at the window's max
// timestamp (also when one watermark passes the stale and the real end together), out-of-order records within the
// gap, bridging merges, processing time, the eager timers of allowed lateness, and a restore from a checkpoint taken
// mid-session on the heap and the level backend, compared with sessions computed without Runnel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StateBackend } from '@runnel/api';
import { LevelStateBackend } from '@runnel/state-level';
import { HeapStateBackend } from '@runnel/state-heap';
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from '../../src/index.js';
import type { WindowAssigner } from '../../src/windowing/window-assigners.js';
import { WindowOperator } from '../../src/windowing/window-operator.js';
import { encodeSubtaskCapture, planSubtaskRestore } from '../../src/testing/harness-snapshot.js';
import type { OperatorRestore } from '../../src/checkpointing/operator-snapshot.js';
import { testContext, type TestContext } from '../fixtures/operator-context.js';

interface Ev {
  k: string;
  ts: number;
}
interface Fired {
  k: string;
  start: number;
  end: number;
  n: number;
  at: number;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Op {
  t: TestContext;
  advanceTime(ms: number): void;
  op: WindowOperator;
  add(k: string, ts: number): Promise<void>;
  watermark(w: number): Promise<void>;
  fired(): Fired[];
  pendingEventTimers(): number;
  firstEventTimer(): number;
}

const timerQueue = (op: WindowOperator) => (op as unknown as { timers: { eventTimers: { size: number; peekTimestamp(): number } } }).timers.eventTimers;

async function sessionOperator(
  o: { assigner?: WindowAssigner; allowedLateness?: number; backend?: StateBackend; restore?: OperatorRestore } = {},
): Promise<Op> {
  const t = testContext({ name: 'sessions', keySelectors: [(e: Ev) => e.k], stateBackend: o.backend, restore: o.restore });
  // A manual clock that, like the task's, calls a timer back once time has passed its timestamp (at + 1).
  let now = 1_000_000;
  const pending: { at: number; fn: (now: number) => void; cancelled: boolean }[] = [];
  (t.ctx as { processingTime: unknown }).processingTime = {
    now: () => now,
    registerTimer(at: number, fn: (now: number) => void) {
      const p = { at: at + 1, fn, cancelled: false };
      pending.push(p);
      return () => void (p.cancelled = true);
    },
  };
  const advanceTime = (ms: number): void => {
    const until = now + ms;
    for (;;) {
      const due = pending.filter((p) => !p.cancelled && p.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      now = Math.max(now, due.at);
      due.fn(now);
    }
    now = until;
  };
  const op = new WindowOperator(t.ctx, {
    assigner: o.assigner ?? EventTimeSessionWindows.withGap(100),
    fn: {
      kind: 'aggregate',
      aggregate: { createAccumulator: () => 0, add: (_e: Ev, n: number) => n + 1, getResult: (n: number) => n, merge: (a: number, b: number) => a + b },
      process: {
        process(k: string, ctx, counts, out) {
          for (const n of counts) out.collect({ k, start: ctx.window.start, end: ctx.window.end, n });
        },
      },
    },
    allowedLateness: o.allowedLateness ?? 0,
    lateDataTag: undefined,
  });
  await op.open();
  return {
    t,
    op,
    advanceTime,
    // As the task does: the record's key made resident first (the level backend), then processed.
    async add(k, ts) {
      const e = { k, ts };
      await op.prefetchRecords([e], [0]);
      op.processElement(e, ts);
    },
    async watermark(w) {
      await op.prefetchTimers(w);
      op.processWatermark(w, 0);
    },
    fired: () =>
      t.emitted.flatMap((e) => (e.kind === 'record' ? [{ ...(e.value as Omit<Fired, 'at'>), at: e.timestamp }] : [])),
    pendingEventTimers: () => timerQueue(op).size,
    firstEventTimer: () => timerQueue(op).peekTimestamp(),
  };
}

describe('session windows: lazy timers', () => {
  it('a key whose records arrive in order keeps one timer and fires once, at the grown window max timestamp', async () => {
    const s = await sessionOperator();
    for (let ts = 0; ts <= 990; ts += 10) await s.add('a', ts);
    // The timer the session opened with, untouched by the 99 records that extended it.
    expect(s.pendingEventTimers()).toBe(1);
    expect(s.firstEventTimer()).toBe(99);
    // The stale timer (at 99) fires and registers the window's (at 1089); nothing is emitted yet.
    await s.watermark(500);
    expect(s.fired()).toEqual([]);
    expect(s.pendingEventTimers()).toBe(1);
    expect(s.firstEventTimer()).toBe(1089);
    await s.watermark(1088);
    expect(s.fired()).toEqual([]);
    await s.watermark(1089);
    expect(s.fired()).toEqual([{ k: 'a', start: 0, end: 1090, n: 100, at: 1089 }]);
    expect(s.pendingEventTimers()).toBe(0);
    await s.watermark(5000);
    expect(s.fired()).toHaveLength(1);
  });

  it('one watermark past both the stale timer and the window end fires the window once, in timestamp order', async () => {
    const s = await sessionOperator();
    await s.add('a', 0);
    await s.add('a', 50);
    await s.add('b', 120);
    await s.add('a', 140);
    // a: [0, 240) with its stale timer at 99; b: [120, 220) with its timer at 219.
    await s.watermark(10_000);
    expect(s.fired()).toEqual([
      { k: 'b', start: 120, end: 220, n: 1, at: 219 },
      { k: 'a', start: 0, end: 240, n: 3, at: 239 },
    ]);
    expect(s.pendingEventTimers()).toBe(0);
  });

  it('out-of-order records within the gap extend the session to the left', async () => {
    const s = await sessionOperator();
    await s.add('a', 300);
    await s.add('a', 350);
    await s.add('a', 220); // touches [300, 450): the window becomes [220, 450)
    await s.add('a', 390);
    // The window's first timer (399) fires stale; the grown window's (489) fires it.
    await s.watermark(488);
    expect(s.fired()).toEqual([]);
    await s.watermark(489);
    expect(s.fired()).toEqual([{ k: 'a', start: 220, end: 490, n: 4, at: 489 }]);
  });

  it('a record bridging two sessions merges them; the stale timers of both emit nothing', async () => {
    const s = await sessionOperator();
    await s.add('a', 0); // [0, 100), timer 99
    await s.add('a', 200); // [200, 300), timer 299
    await s.add('a', 30); // extends [0, 130)
    await s.add('a', 130); // touches both: [0, 300)
    await s.add('a', 250);
    await s.add('a', 280); // [0, 380)
    for (const w of [99, 129, 299, 378]) {
      await s.watermark(w);
      expect(s.fired()).toEqual([]);
    }
    await s.watermark(379);
    expect(s.fired()).toEqual([{ k: 'a', start: 0, end: 380, n: 6, at: 379 }]);
    await s.watermark(10_000);
    expect(s.fired()).toHaveLength(1);
    expect(s.pendingEventTimers()).toBe(0);
  });

  it('processing-time sessions fire once, at the grown window end', async () => {
    const s = await sessionOperator({ assigner: ProcessingTimeSessionWindows.withGap(100) });
    // The test clock starts at 1 000 000.
    await s.add('a', 0);
    s.advanceTime(60);
    await s.add('a', 0);
    s.advanceTime(60); // past the first timer (1 000 099): the window now ends at 1 000 160
    expect(s.fired()).toEqual([]);
    await s.add('a', 0); // at 1 000 120: [1 000 000, 1 000 220)
    s.advanceTime(99);
    expect(s.fired()).toEqual([]);
    s.advanceTime(1);
    expect(s.fired().map(({ k, start, end, n }) => ({ k, start, end, n }))).toEqual([{ k: 'a', start: 1_000_000, end: 1_000_220, n: 3 }]);
    s.advanceTime(1000);
    expect(s.fired()).toHaveLength(1);
  });

  it('with allowed lateness the timers stay eager: a grown window fires at its end, and a late record re-fires it', async () => {
    const s = await sessionOperator({ allowedLateness: 100 });
    await s.add('a', 0);
    await s.add('a', 50); // [0, 150): the timers at 99 and 199 are replaced by 149 and 249
    expect(s.pendingEventTimers()).toBe(2);
    await s.watermark(148);
    expect(s.fired()).toEqual([]);
    await s.watermark(149);
    expect(s.fired()).toEqual([{ k: 'a', start: 0, end: 150, n: 2, at: 149 }]);
    await s.add('a', 120); // after the firing, within the lateness: [0, 220), which ends after the watermark
    expect(s.fired()).toHaveLength(1);
    await s.watermark(219);
    expect(s.fired().at(-1)).toEqual({ k: 'a', start: 0, end: 220, n: 3, at: 219 });
    await s.add('a', 100); // late (its window ended), within the lateness: the window fires again at once
    expect(s.fired().at(-1)).toEqual({ k: 'a', start: 0, end: 220, n: 4, at: 219 });
    await s.watermark(10_000);
    expect(s.fired()).toHaveLength(3);
    expect(s.pendingEventTimers()).toBe(0);
  });
});

/** Sessions of sorted timestamps per key with a gap (a record at most `gap` after the session's last joins it). */
function referenceSessions(events: readonly Ev[], gap: number): Fired[] {
  const byKey = new Map<string, number[]>();
  for (const e of events) (byKey.get(e.k) ?? byKey.set(e.k, []).get(e.k)!).push(e.ts);
  const out: Fired[] = [];
  for (const [k, tss] of byKey) {
    tss.sort((a, b) => a - b);
    let start = tss[0]!;
    let last = start;
    let n = 0;
    for (const ts of tss) {
      if (ts > last + gap) {
        out.push({ k, start, end: last + gap, n, at: last + gap - 1 });
        start = ts;
        n = 0;
      }
      last = ts;
      n++;
    }
    out.push({ k, start, end: last + gap, n, at: last + gap - 1 });
  }
  return out;
}

const order = (a: Fired, b: Fired) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.start - b.start);

describe('session windows: restore from a checkpoint mid-session', () => {
  // Seeded: the same records on every run (a failure names its seed).
  function events(seed: number): Ev[] {
    let x = seed;
    const rnd = () => ((x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const out: Ev[] = [];
    let ts = 0;
    for (let i = 0; i < 3000; i++) {
      ts += Math.floor(rnd() * 6);
      // Up to 40 ms out of order (the watermark below trails by 50): none is late; some extend sessions leftwards.
      out.push({ k: `k${Math.floor(rnd() * 12)}`, ts: Math.max(0, ts - Math.floor(rnd() * 40)) });
      // Now and then a pause longer than the gap, so sessions close during the run.
      if (rnd() < 0.004) ts += 150;
    }
    return out;
  }

  for (const backend of ['heap', 'level'] as const) {
    it(`${backend}: the restored operator continues every open session (lazy timers restored with it)`, async () => {
      const make = (): StateBackend => {
        if (backend === 'heap') return new HeapStateBackend();
        const dir = mkdtempSync(join(tmpdir(), 'runnel-session-restore-'));
        dirs.push(dir);
        // A small cache: windows' contents and merging sets go through LevelDB and its serializers.
        return new LevelStateBackend({ directory: dir, 'cache-size': 3 });
      };
      for (const seed of [1, 2, 3]) {
        const evs = events(seed);
        const cut = 700 + seed * 500;
        const gap = 60;
        let s = await sessionOperator({ assigner: EventTimeSessionWindows.withGap(gap), backend: make() });
        let maxTs = Number.NEGATIVE_INFINITY;
        const fired: Fired[] = [];
        for (let i = 0; i < evs.length; i++) {
          if (i === cut) {
            // A checkpoint mid-session, then a restore into a new operator (the old one is dropped, as after a crash).
            const capture = s.op.snapshotState(7);
            const encoded = await encodeSubtaskCapture(capture, { subtaskIndex: 0, parallelism: 1, maxParallelism: 128, checkpointId: 7, watermark: s.op.getCurrentWatermark(), uid: 'sessions' });
            fired.push(...s.fired());
            const pendingBefore = s.pendingEventTimers();
            await s.op.close();
            s = await sessionOperator({ assigner: EventTimeSessionWindows.withGap(gap), backend: make(), restore: planSubtaskRestore([encoded], 0, 1, 'sessions') });
            expect(s.pendingEventTimers(), `seed ${seed}`).toBe(pendingBefore);
            expect(pendingBefore, `seed ${seed}: sessions open at the checkpoint`).toBeGreaterThan(0);
          }
          const e = evs[i]!;
          await s.add(e.k, e.ts);
          maxTs = Math.max(maxTs, e.ts);
          if (i % 7 === 0) await s.watermark(maxTs - 50);
        }
        await s.watermark(Number.MAX_SAFE_INTEGER);
        fired.push(...s.fired());
        await s.op.close();
        expect(fired.sort(order), `seed ${seed}`).toEqual(referenceSessions(evs, gap).sort(order));
      }
    });
  }
});
