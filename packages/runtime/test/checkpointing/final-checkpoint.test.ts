// A job killed after its final checkpoint completed resumes from it (everything it holds must be readable: the
// file sink's writer state of the final checkpoint once carried checkpoint id -1, which its own serializer
// rejected), and a restore that can never succeed fails the job at once instead of being retried forever.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sink, SinkWriter, VersionedSerializer } from '@runnel/api';
import { FileSink } from '@runnel/connector-files';
import { StreamExecutionEnvironment, TumblingEventTimeWindows, type JobExecutionResult } from '../../src/index.js';
import { perRecordWatermarks } from '../fixtures/helpers.js';

interface Ev {
  k: number;
  ts: number;
}

const events: Ev[] = Array.from({ length: 2_000 }, (_, i) => ({ k: i % 7, ts: i * 10 }));

function committed(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) if (!f.startsWith('.')) for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l) out.push(l);
  return out.sort();
}

function windowedJob(checkpoints: string, sink: Sink<unknown, any, any>, options: Record<string, unknown> = {}): Promise<JobExecutionResult> {
  const env = StreamExecutionEnvironment.create({ parallelism: 2 }).configure({
    'state.checkpoints.dir': checkpoints,
    'execution.checkpointing.interval': '1 h',
    ...options,
  });
  env
    .fromCollection(events)
    .assignTimestampsAndWatermarks(perRecordWatermarks<Ev>((e) => e.ts))
    .keyBy((e) => e.k)
    .window(TumblingEventTimeWindows.of(1_000))
    .reduce<{ k: number; n: number; start: number }>((a, b) => ({ ...a, ts: Math.max(a.ts, b.ts) }), {
      process(k, ctx, items, out) {
        for (const _ of items) out.collect({ k, n: 1, start: ctx.window.start });
      },
    })
    .uid('windows')
    .sinkTo(sink)
    .uid('sink');
  return env.execute();
}

describe('the final checkpoint', () => {
  it('a job that already finished resumes from its final checkpoint and commits nothing twice', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-final-'));
    try {
      const out = join(root, 'out');
      const first = await windowedJob(join(root, 'cp'), new FileSink({ path: out }));
      expect(first.checkpoints.filter((c) => c.status === 'completed')).toHaveLength(1); // the final one
      const rows = committed(out);
      expect(rows.length).toBeGreaterThan(0);
      // Killed right after its final checkpoint completed: the next start resumes from that checkpoint.
      const second = await windowedJob(join(root, 'cp'), new FileSink({ path: out }), { 'execution.restore-from-latest-checkpoint': true });
      expect(second.events.filter((e) => e.type === 'restored').map((e) => e.checkpointId)).toEqual([first.checkpoints[0]!.id]);
      expect(committed(out)).toEqual(rows);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('resuming continues the latest run of the directory: a fresh run that took no checkpoint resumes from scratch, not from an older run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-final-'));
    try {
      const out = join(root, 'out');
      await windowedJob(join(root, 'cp'), new FileSink({ path: out }));
      // A new run in the same directory, started from scratch, fails before it takes a checkpoint.
      const env = StreamExecutionEnvironment.create({ parallelism: 1 }).configure({ 'state.checkpoints.dir': join(root, 'cp'), 'restart-strategy.type': 'none' });
      env
        .fromCollection(events)
        .map(() => {
          throw new Error('boom');
        })
        .uid('boom')
        .collect();
      await expect(env.execute()).rejects.toThrow(/boom/);
      // Resuming must not pick the first run's checkpoint: that run is not the one being resumed.
      const resumed = await windowedJob(join(root, 'cp'), new FileSink({ path: join(root, 'out2') }), { 'execution.restore-from-latest-checkpoint': true });
      expect(resumed.events.filter((e) => e.type === 'restored')).toEqual([]);
      expect(committed(join(root, 'out2'))).toEqual(committed(out));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a restore that cannot succeed fails the job once, naming the checkpoint, instead of restarting forever', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-final-'));
    try {
      // A sink whose writer state serializer rejects what it reads back in the second run (a broken upgrade).
      let readable = true;
      const serializer: VersionedSerializer<{ n: number }> = {
        id: 'test.counter',
        version: 1,
        serialize: (v) => new TextEncoder().encode(JSON.stringify(v)),
        deserialize: (b) => {
          if (!readable) throw new Error('test.counter: cannot read this payload');
          return JSON.parse(new TextDecoder().decode(b)) as { n: number };
        },
      };
      const sink: Sink<unknown, never, { n: number }> = {
        createWriter(): SinkWriter<unknown, never, { n: number }> {
          let n = 0;
          return { write: () => void n++, flush() {}, snapshotState: () => [{ n }], close() {} };
        },
        writerStateSerializer: serializer,
      };
      await windowedJob(join(root, 'cp'), sink);
      readable = false;
      const started = Date.now();
      const failed = windowedJob(join(root, 'cp'), sink, {
        'execution.restore-from-latest-checkpoint': true,
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': 1_000_000,
        'restart-strategy.fixed-delay.delay': '10 ms',
      });
      await expect(failed).rejects.toThrow(/cannot read this payload[\s\S]*restoring from checkpoint \d+ cannot succeed by retrying/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
