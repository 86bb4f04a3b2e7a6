import { describe, expect, it } from 'vitest';
import { buildSummary, formatSummary, formatTable } from '../src/summary.js';
import type { OperatorProgress } from '../src/progress.js';

function progress(id: string, role: OperatorProgress['role'], recordsIn: number, recordsOut: number): OperatorProgress {
  return { id, name: id.toUpperCase(), role, recordsIn, recordsOut, recordsInPerSecond: 0, recordsOutPerSecond: 0, inputWatermark: undefined, outputWatermark: undefined };
}

const operators = [progress('src', 'source', 0, 10_000), progress('map', 'operator', 10_000, 9_000), progress('sink', 'sink', 9_000, 0)];

describe('buildSummary', () => {
  it('sums source output and sink input and averages rates over the duration', () => {
    const s = buildSummary({ status: 'finished', jobId: 'j1', jobName: 'demo', durationMs: 2000, operators, collected: new Map([['collect', [1, 2, 3]]]) });
    expect(s.sourceRecords).toBe(10_000);
    expect(s.sinkRecords).toBe(9_000);
    expect(s.sourceRecordsPerSecond).toBe(5_000);
    expect(s.sinkRecordsPerSecond).toBe(4_500);
    expect(s.operators.map((o) => [o.name, o.recordsInPerSecond, o.recordsOutPerSecond])).toEqual([
      ['SRC', 0, 5_000],
      ['MAP', 5_000, 4_500],
      ['SINK', 4_500, 0],
    ]);
    expect(s.collected).toEqual({ collect: 3 });
    expect('error' in s).toBe(false);
    // The JSON form is what --json prints: it must round-trip.
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('carries the error of a failed run and has zero rates for a zero duration', () => {
    const s = buildSummary({ status: 'failed', jobId: undefined, jobName: 'demo', durationMs: 0, operators, error: 'boom' });
    expect(s.error).toBe('boom');
    expect(s.sourceRecordsPerSecond).toBe(0);
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell, right-aligning the numeric ones', () => {
    expect(formatTable([['Name', 'N'], ['a', '1'], ['longer', '1,000']], new Set([1]))).toEqual(['Name        N', 'a           1', 'longer  1,000']);
  });
});

describe('formatSummary', () => {
  it('prints a headline, one aligned row per operator and the throughput', () => {
    const text = formatSummary(buildSummary({ status: 'finished', jobId: 'j', jobName: 'demo', durationMs: 2000, operators }));
    const lines = text.split('\n');
    expect(lines[0]).toBe("Job 'demo' finished in 2.000 s");
    const rows = lines.filter((l) => /^ {2}(SRC|MAP|SINK) /.test(l));
    expect(rows).toHaveLength(3);
    // Aligned: every row is as long as the header, numbers end in the same column.
    const header = lines.find((l) => l.includes('Records in'))!;
    for (const r of rows) expect(r.length).toBe(header.length);
    expect(rows[1]).toMatch(/MAP\s+operator\s+10,000\s+9,000\s+5\.0k$/);
    expect(text).toContain('Throughput: 5.0k rec/s from sources (10,000 records), 4.5k rec/s into sinks (9,000 records)');
  });

  it('shows long durations in minutes', () => {
    expect(formatSummary(buildSummary({ status: 'canceled', jobId: 'j', jobName: 'x', durationMs: 125_000, operators: [] })).split('\n')[0]).toBe(
      "Job 'x' canceled in 2m05s (125.0 s)",
    );
  });
});

describe('summary with checkpoints, restarts, savepoint and events', () => {
  const last = { id: 12, kind: 'checkpoint' as const, status: 'completed' as const, triggeredAt: 1_700_000_000_000, durationMs: 84, sizeBytes: 1_258_291, alignmentMs: 3, path: '/chk/chk-12' };
  const events = [
    { type: 'checkpoint-corrupted' as const, timestamp: Date.UTC(2024, 4, 1, 10, 0, 0), message: 'checkpoint 13 failed verification and is skipped: bad crc', checkpointId: 13 },
    { type: 'restored' as const, timestamp: Date.UTC(2024, 4, 1, 10, 0, 1), message: 'restoring from checkpoint 12 in /chk', checkpointId: 12 },
    { type: 'restarting' as const, timestamp: Date.UTC(2024, 4, 1, 10, 0, 5), message: 'boom; restarting in 1000 ms' },
  ];

  it('puts them into the JSON summary', () => {
    const s = buildSummary({
      status: 'finished',
      jobId: 'j1',
      jobName: 'demo',
      durationMs: 2000,
      operators,
      restarts: 1,
      checkpoints: { completed: 12, failed: 2, last },
      savepointPath: '/sp/savepoint-abc',
      events,
    });
    expect(s.restarts).toBe(1);
    expect(s.checkpoints).toEqual({
      completed: 12,
      failed: 2,
      last: { id: 12, durationMs: 84, sizeBytes: 1_258_291, alignmentMs: 3, path: '/chk/chk-12', triggeredAt: 1_700_000_000_000 },
    });
    expect(s.savepointPath).toBe('/sp/savepoint-abc');
    expect(s.events.map((e) => [e.type, e.checkpointId])).toEqual([
      ['checkpoint-corrupted', 13],
      ['restored', 12],
      ['restarting', undefined],
    ]);
    expect('checkpointId' in s.events[2]!).toBe(false);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('has a stable shape without checkpointing', () => {
    const s = buildSummary({ status: 'canceled', jobId: 'j1', jobName: 'demo', durationMs: 10, operators: [] });
    expect([s.restarts, s.checkpoints, s.events, 'savepointPath' in s]).toEqual([0, { completed: 0, failed: 0, last: null }, [], false]);
    expect(formatSummary(s)).not.toMatch(/Checkpoints|Restarts|Savepoint|Events/);
  });

  it('prints them after the throughput', () => {
    const text = formatSummary(
      buildSummary({ status: 'finished', jobId: 'j1', jobName: 'demo', durationMs: 2000, operators, restarts: 1, checkpoints: { completed: 12, failed: 2, last }, savepointPath: '/sp/savepoint-abc', events }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe("Job 'demo' finished in 2.000 s (stopped with a savepoint)");
    expect(lines.slice(lines.findIndex((l) => l.startsWith('Checkpoints')))).toEqual([
      'Checkpoints: 12 completed, 2 failed; last 12 (84 ms, 1.2 MB) at /chk/chk-12',
      'Restarts: 1',
      'Savepoint: /sp/savepoint-abc',
      'Events:',
      '  2024-05-01T10:00:00.000Z  checkpoint-corrupted  checkpoint 13 failed verification and is skipped: bad crc',
      '  2024-05-01T10:00:01.000Z  restored  restoring from checkpoint 12 in /chk',
      '  2024-05-01T10:00:05.000Z  restarting  boom; restarting in 1000 ms',
    ]);
  });
});

describe('summary of records lost on purpose', () => {
  const lossy: OperatorProgress[] = [
    { ...progress('lines', 'source', 0, 10_000), recordsInErrors: 12 },
    { ...progress('window', 'operator', 10_000, 40), lateRecordsDropped: 1_234 },
    progress('sink', 'sink', 40, 0),
  ];

  it('has per-operator counts and totals in the JSON summary, zero when nothing was lost', () => {
    const s = buildSummary({ status: 'finished', jobId: 'j', jobName: 'demo', durationMs: 1000, operators: lossy });
    expect([s.lateRecordsDropped, s.recordsInErrors]).toEqual([1_234, 12]);
    expect(s.operators.map((o) => [o.name, o.lateRecordsDropped, o.recordsInErrors])).toEqual([
      ['LINES', 0, 12],
      ['WINDOW', 1_234, 0],
      ['SINK', 0, 0],
    ]);
    const clean = buildSummary({ status: 'finished', jobId: 'j', jobName: 'demo', durationMs: 1000, operators });
    expect([clean.lateRecordsDropped, clean.recordsInErrors]).toEqual([0, 0]);
    expect(clean.operators.every((o) => o.lateRecordsDropped === 0 && o.recordsInErrors === 0)).toBe(true);
  });

  it('adds a column per kind of loss and a total line with what to do about it', () => {
    const lines = formatSummary(buildSummary({ status: 'finished', jobId: 'j', jobName: 'demo', durationMs: 1000, operators: lossy })).split('\n');
    const header = lines.find((l) => l.includes('Records in'))!;
    expect(header).toMatch(/Records out {2}Late dropped {2}Skipped {2}Rec\/s$/);
    expect(lines.find((l) => l.startsWith('  LINES'))).toMatch(/LINES\s+source\s+0\s+10,000\s+12\s+10\.0k$/);
    expect(lines.find((l) => l.startsWith('  WINDOW'))).toMatch(/WINDOW\s+operator\s+10,000\s+40\s+1,234\s+10\.0k$/);
    expect(lines).toContain(
      'Late records dropped: 1,234 (they arrived after their window had closed; allow more out-of-orderness in the WatermarkStrategy, keep windows open with .allowedLateness(ms), or route late records to .sideOutputLateData(tag))',
    );
    expect(lines.find((l) => l.startsWith('Records skipped:'))).toMatch(/^Records skipped: 12 \(/);
  });

  it('shows neither columns nor lines when nothing was lost', () => {
    const text = formatSummary(buildSummary({ status: 'finished', jobId: 'j', jobName: 'demo', durationMs: 1000, operators }));
    expect(text).not.toMatch(/Late dropped|Skipped|Late records dropped|Records skipped/);
  });
});
