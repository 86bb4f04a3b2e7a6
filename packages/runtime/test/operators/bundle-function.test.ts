// BundleKeyedProcessFunction: a keyed function that buffers records across keys in memory and applies them to its
// state in a flush. The operator flushes when the function asks (after the record on heap state; with the next input
// batch's keys loaded on LevelDB state), before checkpoint barriers and at the end of input; during a flush the
// function switches keys with setCurrentKey. The totals must equal the input's whatever the flush points were.
import { describe, expect, it } from 'vitest';
import type { ValueState } from '@runnel/api';
import { StreamExecutionEnvironment, type BundleContext, type BundleKeyedProcessFunction, type Collector } from '../../src/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collected } from '../fixtures/helpers.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

interface Total {
  key: string;
  total: number;
  flush: number;
}

/**
 * Sums values per key in a bundle of at most `size` records; a flush adds each key's sum to its state and emits it.
 * Its fields are made in bindBundle: each subtask gets a shallow copy of the function object.
 */
function bundledSum(size: number): BundleKeyedProcessFunction<string, [string, number], Total> {
  interface Fields {
    ctx: BundleContext<string>;
    state: ValueState<number>;
    bundle: Map<string, number>;
    records: number;
    flushes: number;
  }
  return {
    bindBundle(this: Fields, c: BundleContext<string>) {
      this.ctx = c;
      this.bundle = new Map();
      this.records = 0;
      this.flushes = 0;
    },
    open(this: Fields, rc) {
      this.state = rc.getState<number>({ name: 'total' });
    },
    processElement(this: Fields, [k, v], c) {
      expect(c.getCurrentKey()).toBe(k);
      // Touching state needs the key made current (the operator does not for a bundle function's records).
      if (!this.bundle.has(k)) {
        this.ctx.setCurrentKey(k);
        this.state.value();
      }
      this.bundle.set(k, (this.bundle.get(k) ?? 0) + v);
      if (++this.records >= size) this.ctx.requestFlush();
    },
    bundleKeys(this: Fields) {
      return [...this.bundle.keys()];
    },
    flushBundle(this: Fields, out: Collector<Total>) {
      this.flushes++;
      for (const [k, v] of this.bundle) {
        this.ctx.setCurrentKey(k);
        const total = (this.state.value() ?? 0) + v;
        this.state.update(total);
        out.collect({ key: k, total, flush: this.flushes });
      }
      this.bundle.clear();
      this.records = 0;
    },
  } as BundleKeyedProcessFunction<string, [string, number], Total>;
}

function input(n: number, keys: number): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i < n; i++) out.push([`k${(i * 7919) % keys}`, i]);
  return out;
}

/** The last total emitted per key. */
function finalTotals(out: readonly Total[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of out) m.set(t.key, t.total);
  return m;
}

function expectedTotals(records: readonly [string, number][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of records) m.set(k, (m.get(k) ?? 0) + v);
  return m;
}

describe('bundle functions', () => {
  for (const backend of ['heap', 'level']) {
    it(`flushes on request and at the end of input, switching keys (${backend})`, async () => {
      const records = input(5000, 300);
      const env = StreamExecutionEnvironment.create({ parallelism: 2 });
      env.configure({ 'state.backend.type': backend, 'state.backend.level.cache-size': 50 } as Record<string, unknown>);
      env
        .fromCollection(records)
        .keyBy((r) => r[0])
        .process(bundledSum(100))
        .collect();
      const out = collected<Total>(await env.execute());
      expect(finalTotals(out)).toEqual(expectedTotals(records));
      // Flushes on request (every 100 records of a subtask) happened before the end: on heap right after the
      // record (about 25 per subtask), on LevelDB with the next input batch (a batch holds hundreds of records).
      expect(Math.max(...out.map((t) => t.flush))).toBeGreaterThan(backend === 'heap' ? 10 : 1);
      // Per flush, a key is emitted once.
      const seen = new Set(out.map((t) => `${t.flush}/${t.key}/${t.total}`));
      expect(seen.size).toBe(out.length);
    });
  }

  for (const backend of ['heap', 'level']) {
    it(`flushes before a checkpoint barrier: a bundle that never asks comes out while the source waits for it (${backend})`, async () => {
      const records = input(3000, 50);
      const fn = bundledSum(Number.MAX_SAFE_INTEGER);
      let flushed = false;
      let endedByFlush = false;
      const flush = fn.flushBundle;
      fn.flushBundle = function (this: typeof fn, out) {
        flushed = true;
        flush.call(this, out);
      };
      // The source emits everything, then stays open until the bundle was flushed: only a barrier can flush it then.
      const source = new ScriptedSource<[string, number]>({
        subtasks: [[records]],
        batch: 500,
        endWhen: () => (endedByFlush = flushed),
        maxOpenMs: 60_000,
      });
      const env = StreamExecutionEnvironment.create({ parallelism: 1 });
      env.configure({ 'state.backend.type': backend, 'execution.checkpointing.interval': '50 ms', 'state.checkpoints.dir': mkdtempSync(join(tmpdir(), 'runnel-bundle-')) });
      env
        .fromSource(source)
        .keyBy((r) => r[0])
        .process(fn)
        .collect();
      const result = await env.execute();
      const out = collected<Total>(result);
      expect(endedByFlush).toBe(true);
      expect(result.checkpoints.some((c) => c.status === 'completed')).toBe(true);
      // Everything came out in the first flush, which a barrier caused (the source was still open).
      expect(finalTotals(out.filter((t) => t.flush === 1))).toEqual(expectedTotals(records));
      expect(finalTotals(out)).toEqual(expectedTotals(records));
    }, 90_000);
  }
});
