import { describe, expect, it } from 'vitest';
import type { Sink, StateBackend } from '@runnel/api';
import { HeapStateBackend } from '@runnel/runtime/testing';
import { listSink, listSource } from './fixtures.js';
import { describeConformance, runConformance, sinkConformance, sourceConformance, stateBackendConformance } from '../src/index.js';

// The suites pass for plugins that keep the contracts (registered with vitest as a plugin author would)...
describeConformance(sourceConformance({ name: 'list source', createSource: () => listSource([[1, 2, 3, 4], [5, 6], [], [7, 8, 9]]), expectedRecords: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), { describe, it });

let committedOf = new WeakMap<object, string[]>();
describeConformance(
  sinkConformance<string>({
    name: 'list sink',
    createSink: () => {
      const { sink, committed } = listSink();
      committedOf.set(sink, committed);
      return sink;
    },
    readCommitted: (sink) => committedOf.get(sink)!,
    record: (i) => `r${i}`,
  }),
  { describe, it },
);

describeConformance(stateBackendConformance({ name: 'heap backend', createBackend: () => new HeapStateBackend() }), { describe, it });

// ...and fail, naming the broken contract, for plugins that do not.
describe('the suites catch broken plugins', () => {
  it('a sink that commits at pre-commit time fails the two-phase-commit cases', async () => {
    committedOf = new WeakMap();
    const failures = await runConformance(
      sinkConformance<string>({
        createSink: () => {
          const { sink, committed } = listSink();
          const eager: Sink<string, never, never> = {
            createWriter(ctx) {
              const w = sink.createWriter(ctx);
              return { ...w, prepareCommit: undefined, write: (v: string, c) => (w.write(v, c), void committed.push(v)) };
            },
            createCommitter: () => ({ commit: async () => {}, close() {} }),
            committableSerializer: sink.committableSerializer as never,
          };
          committedOf.set(eager, committed);
          return eager;
        },
        readCommitted: (sink) => committedOf.get(sink)!,
        record: (i) => `r${i}`,
      }),
    );
    expect(failures.map((f) => f.name)).toContain('pre-commits at a checkpoint barrier and commits only when the checkpoint completes');
    expect(String(failures[0]!.error)).toMatch(/committed after the barrier of checkpoint 1, before it completed/);
  });

  it('a backend that restores nothing fails the snapshot and rescale cases', async () => {
    const forgetful: StateBackend = {
      name: 'forgetful',
      createKeyedStateBackend(ctx) {
        const b = new HeapStateBackend().createKeyedStateBackend(ctx);
        return Object.assign(b, { restore: () => {} });
      },
    };
    const failures = await runConformance(stateBackendConformance({ createBackend: () => forgetful }));
    expect(failures.map((f) => f.name)).toEqual(
      expect.arrayContaining(['snapshot and restore: every state kind and namespace comes back; TTL timestamps survive', 'rescale by key group: one backend into two halves and back into one']),
    );
  });

  it('a source that replays from the start after a restore fails the restore cases', async () => {
    const src = listSource([[1, 2, 3, 4, 5, 6]]);
    const replaying = { ...src, restoreEnumerator: (ctx: never) => src.createEnumerator(ctx), createReader: (c: never) => { const r = src.createReader(c); return { ...r, addSplits: (s: never[]) => r.addSplits(s.map((x: { next: number }) => ({ ...x, next: 0 })) as never), snapshotState: r.snapshotState.bind(r), pollNext: r.pollNext.bind(r), isAvailable: r.isAvailable.bind(r), notifyNoMoreSplits: r.notifyNoMoreSplits.bind(r), start: r.start.bind(r), close: r.close.bind(r) }; } };
    const failures = await runConformance(sourceConformance({ createSource: () => replaying as never, expectedRecords: [1, 2, 3, 4, 5, 6] }));
    expect(failures.some((f) => /restore at the same parallelism/.test(f.name) && /duplicated/.test(String(f.error)))).toBe(true);
  });

  it('describeConformance registers every case, skipped ones with their reason, and rejects bad input', () => {
    const registered: string[] = [];
    const it = Object.assign((name: string) => void registered.push(name), { skip: (name: string) => void registered.push(`skip: ${name}`) });
    describeConformance(sinkConformance({ createSink: () => listSink().sink, readCommitted: () => [], twoPhaseCommit: false }), { describe: (_n, body) => body(), it });
    expect(registered).toContain('end of input commits the last records (no final checkpoint)');
    expect(registered.filter((n) => n.startsWith('skip: ')).length).toBe(4);
    expect(() => describeConformance({} as never, { describe: () => {}, it })).toThrow(/expected a suite/);
    expect(() => sourceConformance({} as never)).toThrow(/createSource/);
  });
});
