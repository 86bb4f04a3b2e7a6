import { describe, expect, it } from 'vitest';
import { ProgressReporter, type ProgressSource } from '../src/progress-reporter.js';
import type { OperatorMetricInput } from '../src/progress.js';
import type { CheckpointStats, JobEvent } from '@runnel/runtime';
import { CheckpointTally } from '../src/checkpoints.js';

/** A job whose source has emitted `out` records and whose sink has received them. */
function source(counts: { out: number }): ProgressSource {
  const m = (id: string, name: string, metric: string, sum: number): OperatorMetricInput => ({
    variables: { '<operator_id>': id, '<operator_name>': name },
    name: metric,
    kind: 'counter',
    sum,
    min: sum,
  });
  return {
    operatorMetrics: () => [
      m('s', 'Source', 'numRecordsIn', 0),
      m('s', 'Source', 'numRecordsOut', counts.out),
      m('k', 'Sink', 'numRecordsIn', counts.out),
      m('k', 'Sink', 'numRecordsOut', 0),
    ],
    metrics: () => [],
  };
}

function output(isTTY: boolean, columns?: number): { writes: string[]; isTTY: boolean; columns?: number; write(t: string): void } {
  const writes: string[] = [];
  return { writes, isTTY, ...(columns !== undefined ? { columns } : {}), write: (t: string) => void writes.push(t) };
}

describe('ProgressReporter', () => {
  it('redraws one line in place on a terminal, with rates over the sampled interval', () => {
    const counts = { out: 0 };
    let now = 1000;
    const out = output(true, 200);
    const r = new ProgressReporter(source(counts), out, { startedAt: 0, now: () => now });
    r.start(); // samples the start and draws once
    counts.out = 2000;
    now = 3000;
    r.tick();
    r.stop();
    expect(out.writes.every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    expect(out.writes.some((w) => w.includes('\n'))).toBe(false);
    expect(out.writes[1]).toBe('\r\x1b[2K3.0s  Source: 1.0k rec/s (2.0k)  →  Sink: 1.0k rec/s (2.0k)');
    // stop() erases the line so the summary starts clean.
    expect(out.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('measures rates over the rate window, not just the last interval', () => {
    const counts = { out: 0 };
    let now = 0;
    const out = output(true);
    const r = new ProgressReporter(source(counts), out, { startedAt: 0, now: () => now, rateWindowMs: 2000 });
    r.start();
    // Subtasks report in steps: 0, 0, 3000, 3000, 6000 at 1 s ticks.
    for (const [t, c] of [[1000, 0], [2000, 3000], [3000, 3000], [4000, 6000]] as const) {
      now = t;
      counts.out = c;
      r.tick();
    }
    r.stop();
    // At 4 s the base is the sample at 2 s: (6000 - 3000) / 2 s.
    expect(out.writes.at(-2)).toContain('Source: 1.5k rec/s (6.0k)');
  });

  it('appends plain lines without control characters when not on a terminal', () => {
    const counts = { out: 0 };
    let now = 0;
    const out = output(false);
    const r = new ProgressReporter(source(counts), out, { startedAt: 0, now: () => now });
    r.start(); // no immediate line: the first one comes after an interval
    counts.out = 50_000;
    now = 5000;
    r.tick();
    r.stop();
    expect(out.writes).toEqual(['5.0s  Source: 10.0k rec/s (50.0k)  →  Sink: 10.0k rec/s (50.0k)\n']);
    // eslint-disable-next-line no-control-regex
    expect(/[\x00-\x09\x0b-\x1f]/.test(out.writes.join(''))).toBe(false);
  });
});

describe('ProgressReporter with checkpoints', () => {
  it('feeds the tally from the checkpoint history and shows the last checkpoint and restarts', () => {
    const history: CheckpointStats[] = [];
    const events: JobEvent[] = [];
    const src: ProgressSource = { ...source({ out: 0 }), checkpointHistory: () => history, events: () => events };
    let now = 0;
    const out = output(false);
    const tally = new CheckpointTally();
    const r = new ProgressReporter(src, out, { startedAt: 0, now: () => now, checkpoints: tally, checkpointing: true });
    r.start();
    now = 5000;
    r.tick();
    history.push({ id: 1, kind: 'checkpoint', status: 'completed', triggeredAt: 0, durationMs: 84, sizeBytes: 2048 });
    events.push({ type: 'restarting', timestamp: 0, message: 'boom' });
    now = 10_000;
    r.tick();
    r.stop();
    expect(out.writes).toEqual(['5.0s  Source: 0 rec/s (0)  →  Sink: 0 rec/s (0)  chk none yet\n', '10.0s  Source: 0 rec/s (0)  →  Sink: 0 rec/s (0)  chk 1 (84 ms, 2.0 KB)  restarts 1\n']);
    expect(tally.counts().completed).toBe(1);
  });

  it('shows checkpoints only once one is seen when checkpointing is not configured', () => {
    const history: CheckpointStats[] = [];
    let now = 0;
    const out = output(false);
    const r = new ProgressReporter({ ...source({ out: 0 }), checkpointHistory: () => history }, out, { startedAt: 0, now: () => now, checkpoints: new CheckpointTally() });
    r.start();
    now = 5000;
    r.tick();
    history.push({ id: 3, kind: 'checkpoint', status: 'completed', triggeredAt: 0 });
    now = 10_000;
    r.tick();
    r.stop();
    expect(out.writes).toEqual(['5.0s  Source: 0 rec/s (0)  →  Sink: 0 rec/s (0)\n', '10.0s  Source: 0 rec/s (0)  →  Sink: 0 rec/s (0)  chk 3\n']);
  });
});

describe('ProgressReporter with lost records', () => {
  it('shows late records dropped and records skipped from the metrics as soon as they are non-zero', () => {
    const lost = { late: 0, errors: 0 };
    const m = (id: string, name: string, metric: string, sum: number): OperatorMetricInput => ({ variables: { '<operator_id>': id, '<operator_name>': name }, name: metric, kind: 'counter', sum, min: sum });
    const src: ProgressSource = {
      operatorMetrics: () => [
        m('s', 'Source', 'numRecordsIn', 0),
        m('s', 'Source', 'numRecordsOut', 100),
        m('s', 'Source', 'numRecordsInErrors', lost.errors),
        m('w', 'Window', 'numRecordsIn', 100),
        m('w', 'Window', 'numRecordsOut', 1),
        m('w', 'Window', 'numLateRecordsDropped', lost.late),
        m('k', 'Sink', 'numRecordsIn', 1),
        m('k', 'Sink', 'numRecordsOut', 0),
      ],
      metrics: () => [],
    };
    let now = 0;
    const out = output(false);
    const r = new ProgressReporter(src, out, { startedAt: 0, now: () => now });
    r.start();
    now = 5000;
    r.tick();
    lost.late = 7;
    lost.errors = 2;
    now = 10_000;
    r.tick();
    r.stop();
    expect(out.writes[0]).not.toMatch(/late dropped|skipped/);
    expect(out.writes[1]).toBe('10.0s  Source: 0 rec/s (100)  →  Sink: 0 rec/s (1)  late dropped 7  skipped 2\n');
  });
});
