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
