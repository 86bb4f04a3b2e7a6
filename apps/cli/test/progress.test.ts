import { describe, expect, it } from 'vitest';
import {
  chainPositions,
  classifyOperator,
  collectOperators,
  countSample,
  droppedRecords,
  formatCount,
  formatElapsed,
  formatProgressLine,
  formatWatermark,
  jobWatermark,
  type OperatorMetricInput,
  type SubtaskMetricInput,
} from '../src/progress.js';

interface OpSpec {
  in: number;
  out: number;
  inRate?: number;
  outRate?: number;
  inWm?: number;
  outWm?: number;
}

/** The aggregated metrics JobClient.operatorMetrics() reports for one operator. */
function op(id: string, name: string, s: OpSpec): OperatorMetricInput[] {
  const variables = { '<operator_id>': id, '<operator_name>': name };
  const m = (metric: string, kind: string, sum: number, min = sum, rate?: number): OperatorMetricInput => ({
    variables,
    name: metric,
    kind,
    sum,
    min,
    ...(rate !== undefined ? { rate } : {}),
  });
  return [
    m('numRecordsIn', 'counter', s.in),
    m('numRecordsOut', 'counter', s.out),
    m('numRecordsInPerSecond', 'meter', s.in, s.in, s.inRate ?? 0),
    m('numRecordsOutPerSecond', 'meter', s.out, s.out, s.outRate ?? 0),
    m('currentInputWatermark', 'gauge', -Infinity, s.inWm ?? -Infinity),
    m('currentOutputWatermark', 'gauge', -Infinity, s.outWm ?? -Infinity),
  ];
}

/** Raw per-subtask snapshots placing operators into chains (task names as the runtime builds them). */
function chains(...tasks: [string, [string, string][]][]): SubtaskMetricInput[] {
  const out: SubtaskMetricInput[] = [];
  for (const [task, ops] of tasks) {
    // Registration order is not chain order (the runtime builds chains tail first), and there are 2 subtasks.
    for (const subtask of ['0', '1']) {
      out.push({ variables: { '<task_name>': task, '<subtask_index>': subtask } });
      for (const [id, name] of [...ops].reverse()) out.push({ variables: { '<task_name>': task, '<subtask_index>': subtask, '<operator_id>': id, '<operator_name>': name } });
    }
  }
  return out;
}

describe('formatCount', () => {
  it('uses metric suffixes with one decimal below 100 of a unit', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(999.6)).toBe('1000');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(123_456)).toBe('123k');
    expect(formatCount(1_234_567)).toBe('1.2M');
    expect(formatCount(14_100_000)).toBe('14.1M');
    expect(formatCount(3_400_000_000)).toBe('3.4G');
    expect(formatCount(Number.NaN)).toBe('-');
  });

  it('moves up a unit instead of printing 1000k', () => {
    expect(formatCount(999_960)).toBe('1.0M');
    expect(formatCount(999_400)).toBe('999k');
  });
});

describe('formatElapsed', () => {
  it('shows tenths of seconds below a minute, then minutes and hours', () => {
    expect(formatElapsed(0)).toBe('0.0s');
    expect(formatElapsed(12_345)).toBe('12.3s');
    expect(formatElapsed(59_999)).toBe('59.9s');
    expect(formatElapsed(65_000)).toBe('1m05s');
    expect(formatElapsed(2 * 3_600_000 + 3 * 60_000 + 4_000)).toBe('2h03m04s');
    expect(formatElapsed(-5)).toBe('0.0s');
  });
});

describe('formatWatermark', () => {
  it('prints time of day for the first day after the epoch, a UTC date otherwise', () => {
    expect(formatWatermark(604_000)).toBe('00:10:04.000');
    expect(formatWatermark(Date.UTC(2024, 0, 1, 12, 30, 5, 7))).toBe('2024-01-01 12:30:05.007');
  });

  it('has nothing to print for "no watermark yet" and "end of input"', () => {
    expect(formatWatermark(undefined)).toBeUndefined();
    expect(formatWatermark(-Infinity)).toBeUndefined();
    expect(formatWatermark(Infinity)).toBeUndefined();
    expect(formatWatermark(Number.MAX_SAFE_INTEGER)).toBeUndefined();
  });
});

describe('chainPositions', () => {
  it('places operators by their name in the task name and numbers tasks in first-seen order', () => {
    const p = chainPositions(chains(['Source -> Map', [['s', 'Source'], ['m', 'Map']]], ['Count -> Sink', [['c', 'Count'], ['k', 'Sink']]]));
    expect(p.get('s')).toEqual({ task: 0, index: 0, length: 2 });
    expect(p.get('m')).toEqual({ task: 0, index: 1, length: 2 });
    expect(p.get('c')).toEqual({ task: 1, index: 0, length: 2 });
    expect(p.get('k')).toEqual({ task: 1, index: 1, length: 2 });
  });

  it('gives repeated names in one chain distinct positions', () => {
    const p = chainPositions([
      { variables: { '<task_name>': 'Source -> Map -> Map', '<operator_id>': 'a', '<operator_name>': 'Map' } },
      { variables: { '<task_name>': 'Source -> Map -> Map', '<operator_id>': 'b', '<operator_name>': 'Map' } },
    ]);
    expect(new Set([p.get('a')!.index, p.get('b')!.index])).toEqual(new Set([1, 2]));
  });
});

describe('classifyOperator', () => {
  const head = { task: 0, index: 0, length: 2 };
  const tail = { task: 0, index: 1, length: 2 };
  it('finds sources and sinks by their traffic', () => {
    expect(classifyOperator('Numbers', 0, 10, head)).toBe('source');
    expect(classifyOperator('Writer', 10, 0, tail)).toBe('sink');
    expect(classifyOperator('Map', 10, 10, tail)).toBe('operator');
  });

  it('confirms idle operators by name, and only at the ends of their chain', () => {
    expect(classifyOperator('Kafka Source', 0, 0, head)).toBe('source');
    expect(classifyOperator('Map', 0, 0, head)).toBe('operator');
    expect(classifyOperator('Print Sink', 0, 0, tail)).toBe('sink');
    // A filter that drops everything in the middle of a chain is not a sink.
    expect(classifyOperator('Filter', 10, 0, { task: 0, index: 1, length: 3 })).toBe('operator');
    // Something fed from the head of a chain cannot be a source.
    expect(classifyOperator('Source-like Map', 0, 10, tail)).toBe('operator');
  });
});

describe('collectOperators', () => {
  const metrics = [
    ...op('m', 'Map', { in: 900, out: 900, inRate: 90, outRate: 90 }),
    ...op('k', 'Sink', { in: 800, out: 0, inRate: 80, inWm: 5_000 }),
    ...op('s', 'Source', { in: 0, out: 1000, outRate: 100, outWm: 7_000 }),
  ];
  const snapshots = chains(['Source -> Map', [['s', 'Source'], ['m', 'Map']]], ['Sink', [['k', 'Sink']]]);

  it('orders operators sources first, sinks last, with totals summed over subtasks', () => {
    const ops = collectOperators(metrics, snapshots);
    expect(ops.map((o) => [o.name, o.role, o.recordsIn, o.recordsOut])).toEqual([
      ['Source', 'source', 0, 1000],
      ['Map', 'operator', 900, 900],
      ['Sink', 'sink', 800, 0],
    ]);
    expect(ops[2]!.inputWatermark).toBe(5_000);
    expect(ops[0]!.outputWatermark).toBe(7_000);
    expect(ops[1]!.outputWatermark).toBeUndefined();
  });

  it('takes the meter rates without a previous sample, count deltas with one', () => {
    expect(collectOperators(metrics, snapshots).map((o) => o.recordsOutPerSecond)).toEqual([100, 90, 0]);
    const before = countSample(collectOperators([...op('s', 'Source', { in: 0, out: 400 }), ...op('m', 'Map', { in: 300, out: 300 })], snapshots), 10_000);
    const ops = collectOperators(metrics, snapshots, before, 12_000);
    expect(ops.find((o) => o.id === 's')!.recordsOutPerSecond).toBe(300); // (1000 - 400) / 2 s
    expect(ops.find((o) => o.id === 'm')!.recordsInPerSecond).toBe(300); // (900 - 300) / 2 s
    // The sink had not reported at the previous sample: it counts from zero.
    expect(ops.find((o) => o.id === 'k')!.recordsInPerSecond).toBe(400);
  });

  it('never reports a negative rate when counts go back (a restarted subtask)', () => {
    const before = countSample(collectOperators(op('s', 'Source', { in: 0, out: 5000 })), 0);
    expect(collectOperators(op('s', 'Source', { in: 0, out: 100 }), [], before, 1000)[0]!.recordsOutPerSecond).toBe(0);
  });

  it('classifies without chain information (unknown positions count as both chain ends)', () => {
    expect(collectOperators(metrics).map((o) => o.role)).toEqual(['source', 'operator', 'sink']);
  });
});

describe('jobWatermark', () => {
  it('is the minimum sink input watermark, else the minimum output watermark upstream', () => {
    const a = collectOperators([
      ...op('s', 'Source', { in: 0, out: 10, outWm: 9_000 }),
      ...op('k1', 'Sink 1', { in: 5, out: 0, inWm: 4_000 }),
      ...op('k2', 'Sink 2', { in: 5, out: 0, inWm: 3_000 }),
    ]);
    expect(jobWatermark(a)).toBe(3_000);
    const b = collectOperators([...op('s', 'Source', { in: 0, out: 10, outWm: 9_000 }), ...op('k', 'Sink', { in: 5, out: 0 })]);
    expect(jobWatermark(b)).toBe(9_000);
    expect(jobWatermark(collectOperators(op('s', 'Source', { in: 0, out: 10 })))).toBeUndefined();
  });
});

describe('formatProgressLine', () => {
  const ops = collectOperators([
    ...op('s', 'Source', { in: 0, out: 14_100_000, outRate: 1_200_000 }),
    ...op('m', 'Map', { in: 14_050_000, out: 14_050_000, inRate: 1_200_000, outRate: 1_200_000 }),
    ...op('k', 'Sink', { in: 14_000_000, out: 0, inRate: 1_190_000, inWm: 604_000 }),
  ]);

  it('shows elapsed time, sources and sinks with rates and totals, and the watermark', () => {
    expect(formatProgressLine({ elapsedMs: 12_345, operators: ops })).toBe(
      '12.3s  Source: 1.2M rec/s (14.1M)  →  Sink: 1.2M rec/s (14.0M)  wm 00:10:04.000',
    );
  });

  it('lists several sources, and says when nothing reported yet', () => {
    const two = collectOperators([
      ...op('a', 'Orders', { in: 0, out: 2000, outRate: 100 }),
      ...op('b', 'Payments', { in: 0, out: 500, outRate: 50 }),
    ]);
    expect(formatProgressLine({ elapsedMs: 1000, operators: two })).toBe('1.0s  Orders: 100 rec/s (2.0k), Payments: 50 rec/s (500)');
    expect(formatProgressLine({ elapsedMs: 300, operators: [] })).toBe('0.3s  starting…');
  });

  it('cuts the line to the terminal width so it never wraps', () => {
    const line = formatProgressLine({ elapsedMs: 12_345, operators: ops }, 30);
    expect(line.length).toBe(29);
    expect(line.endsWith('…')).toBe(true);
    expect(line.startsWith('12.3s  Source: 1.2M')).toBe(true);
  });
});

describe('formatProgressLine with checkpoints', () => {
  const ops = collectOperators([...op('s', 'Source', { in: 0, out: 2000, outRate: 100 }), ...op('k', 'Sink', { in: 2000, out: 0, inRate: 100 })]);
  const last = { id: 12, kind: 'checkpoint' as const, status: 'completed' as const, triggeredAt: 0, durationMs: 84, sizeBytes: 1.2 * 1024 * 1024 };

  it('appends the last checkpoint and the restarts', () => {
    expect(formatProgressLine({ elapsedMs: 4000, operators: ops, checkpoints: { completed: 12, failed: 0, last }, restarts: 2 })).toBe(
      '4.0s  Source: 100 rec/s (2.0k)  →  Sink: 100 rec/s (2.0k)  chk 12 (84 ms, 1.2 MB)  restarts 2',
    );
    expect(formatProgressLine({ elapsedMs: 4000, operators: ops, checkpoints: { completed: 0, failed: 1, last: undefined }, restarts: 0 })).toBe(
      '4.0s  Source: 100 rec/s (2.0k)  →  Sink: 100 rec/s (2.0k)  chk none yet, 1 failed',
    );
  });

  it('shows nothing about checkpoints when checkpointing is off', () => {
    expect(formatProgressLine({ elapsedMs: 4000, operators: ops, restarts: 0 })).toBe('4.0s  Source: 100 rec/s (2.0k)  →  Sink: 100 rec/s (2.0k)');
    expect(formatProgressLine({ elapsedMs: 4000, operators: ops, restarts: 1 })).toMatch(/\(2\.0k\)  restarts 1$/);
  });
});

describe('records lost on purpose (late records dropped, records in errors)', () => {
  // A window operator with numLateRecordsDropped (a gauge) and a file source with numRecordsInErrors (a counter),
  // as JobClient.operatorMetrics() aggregates them over subtasks.
  const lost = (id: string, name: string, metric: 'numLateRecordsDropped' | 'numRecordsInErrors', sum: number): OperatorMetricInput => ({
    variables: { '<operator_id>': id, '<operator_name>': name },
    name: metric,
    kind: metric === 'numLateRecordsDropped' ? 'gauge' : 'counter',
    sum,
    min: 0,
  });
  const metrics = [
    ...op('s', 'Lines', { in: 0, out: 5000, outRate: 500 }),
    lost('s', 'Lines', 'numRecordsInErrors', 12),
    ...op('w', 'Window', { in: 5000, out: 40 }),
    lost('w', 'Window', 'numLateRecordsDropped', 1234),
    ...op('k', 'Sink', { in: 40, out: 0, inRate: 4 }),
  ];
  const snapshots = chains(['Lines', [['s', 'Lines']]], ['Window -> Sink', [['w', 'Window'], ['k', 'Sink']]]);

  it('collectOperators reads numLateRecordsDropped and numRecordsInErrors per operator (0 where absent)', () => {
    const ops = collectOperators(metrics, snapshots);
    expect(ops.map((o) => [o.name, o.lateRecordsDropped, o.recordsInErrors])).toEqual([
      ['Lines', 0, 12],
      ['Window', 1234, 0],
      ['Sink', 0, 0],
    ]);
    expect(droppedRecords(ops)).toEqual({ lateRecordsDropped: 1234, recordsInErrors: 12 });
  });

  it('shows them in the progress line when non-zero, before the checkpoint part', () => {
    const ops = collectOperators(metrics, snapshots);
    expect(formatProgressLine({ elapsedMs: 4000, operators: ops, checkpoints: { completed: 0, failed: 0, last: undefined } })).toBe(
      '4.0s  Lines: 500 rec/s (5.0k)  →  Sink: 4 rec/s (40)  late dropped 1.2k  skipped 12  chk none yet',
    );
    const onlySkipped = collectOperators([...op('s', 'Lines', { in: 0, out: 10 }), lost('s', 'Lines', 'numRecordsInErrors', 3)]);
    expect(formatProgressLine({ elapsedMs: 1000, operators: onlySkipped })).toBe('1.0s  Lines: 0 rec/s (10)  skipped 3');
  });

  it('leaves the progress line unchanged when nothing was lost', () => {
    const clean = collectOperators([...op('s', 'Lines', { in: 0, out: 10 }), lost('s', 'Lines', 'numRecordsInErrors', 0), lost('s', 'Lines', 'numLateRecordsDropped', 0)]);
    expect(formatProgressLine({ elapsedMs: 1000, operators: clean })).toBe('1.0s  Lines: 0 rec/s (10)');
  });
});

describe("a source's lag (its pendingRecords gauge, e.g. the Kafka source's records behind the end offsets)", () => {
  /** A gauge summed over subtasks: the Kafka reader registers `pendingRecords` on its operator's group. */
  const pending = (id: string, name: string, sum: number): OperatorMetricInput => ({
    variables: { '<operator_id>': id, '<operator_name>': name },
    name: 'pendingRecords',
    kind: 'gauge',
    sum,
    min: sum,
  });

  it('collectOperators reads it per operator (summed over subtasks), absent when not reported', () => {
    const ops = collectOperators([
      ...op('s', 'Kafka Source', { in: 0, out: 5000, outRate: 1000 }),
      pending('s', 'Kafka Source', 12_345),
      ...op('k', 'Sink', { in: 5000, out: 0, inRate: 1000 }),
    ]);
    expect(ops.find((o) => o.id === 's')?.pendingRecords).toBe(12_345);
    expect(ops.find((o) => o.id === 'k')).not.toHaveProperty('pendingRecords');
  });

  it("shows `lag N` after the source's rate, 0 included, and nothing for sources without the metric", () => {
    const ops = collectOperators([
      ...op('s', 'Kafka Source', { in: 0, out: 14_100_000, outRate: 1_200_000 }),
      pending('s', 'Kafka Source', 3_200),
      ...op('f', 'Files', { in: 0, out: 10, outRate: 1 }),
      ...op('k', 'Sink', { in: 14_000_000, out: 0, inRate: 1_190_000 }),
    ]);
    expect(formatProgressLine({ elapsedMs: 12_345, operators: ops })).toBe(
      '12.3s  Kafka Source: 1.2M rec/s (14.1M) lag 3.2k, Files: 1 rec/s (10)  →  Sink: 1.2M rec/s (14.0M)',
    );
    const caughtUp = collectOperators([...op('s', 'Kafka Source', { in: 0, out: 10, outRate: 0 }), pending('s', 'Kafka Source', 0)]);
    expect(formatProgressLine({ elapsedMs: 1000, operators: caughtUp })).toBe('1.0s  Kafka Source: 0 rec/s (10) lag 0');
  });

  it("does not show a sink's pendingRecords (the Kafka sink's buffered records) as lag", () => {
    const ops = collectOperators([...op('s', 'Source', { in: 0, out: 10, outRate: 1 }), ...op('k', 'Kafka Sink', { in: 10, out: 0, inRate: 1 }), pending('k', 'Kafka Sink', 7)]);
    expect(formatProgressLine({ elapsedMs: 1000, operators: ops })).toBe('1.0s  Source: 1 rec/s (10)  →  Kafka Sink: 1 rec/s (10)');
  });
});
