import { describe, expect, it } from 'vitest';
import { DataGenSource, type DataGenSplit, type DataGenRow } from '@runnel/connector-datagen';
import { RecordingReaderOutput, TestEnumeratorContext, TestReaderContext, pollUntilBlocked } from '@runnel/testing';

function runAll(source: DataGenSource, parallelism: number): DataGenRow[][] {
  const ctx = new TestEnumeratorContext<DataGenSplit>(parallelism, { registeredReaders: [] });
  const enumerator = source.createEnumerator(ctx);
  const out: DataGenRow[][] = [];
  for (let i = 0; i < parallelism; i++) {
    enumerator.addReader(i);
    const reader = source.createReader(new TestReaderContext(i, parallelism));
    reader.addSplits(ctx.assignedTo(i));
    reader.notifyNoMoreSplits();
    const o = new RecordingReaderOutput<DataGenRow>();
    expect(pollUntilBlocked(reader, o).at(-1)).toBe('end-of-input');
    out.push(o.records);
  }
  return out;
}

describe('DataGenSource', () => {
  it('splits a sequence evenly and contiguously across subtasks and is bounded by it', () => {
    const source = new DataGenSource({
      fields: { id: { type: 'bigint', kind: 'sequence', start: 1, end: 10 }, name: { type: 'string', length: 5 } },
      rowsPerSecond: 0,
    });
    expect(source.boundedness).toBe('bounded');
    expect(source.totalRows).toBe(10);
    const parts = runAll(source, 3);
    expect(parts.map((rows) => rows.map((r) => r.id))).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9, 10]]);
    expect(parts.flat().every((r) => typeof r.name === 'string' && r.name.length === 5)).toBe(true);
    expect(Object.keys(parts[0]![0]!)).toEqual(['id', 'name']);
  });

  it('is bounded by the shorter of number-of-rows and the sequences; string sequences are decimal', () => {
    const source = new DataGenSource({
      fields: { s: { type: 'string', kind: 'sequence', start: 100, end: 1000 } },
      numberOfRows: 4,
      rowsPerSecond: 0,
    });
    expect(runAll(source, 1)[0]!.map((r) => r.s)).toEqual(['100', '101', '102', '103']);
  });

  it('keeps random values within bounds and is deterministic given a seed', () => {
    const fields = {
      i: { type: 'int', min: -5, max: 5 },
      b: { type: 'bigint', min: 1_000_000_000_000, max: 1_000_000_000_010 },
      d: { type: 'double', min: 0.5, max: 1.5 },
      f: { type: 'boolean' },
      t: { type: 'timestamp', min: 1_000, max: 2_000 },
      v: { type: 'string', length: 8, varLen: true },
      n: { type: 'int', min: 0, max: 0, nullRate: 0.5 },
    } as const;
    const source = new DataGenSource({ fields, numberOfRows: 4000, rowsPerSecond: 0, seed: 9 });
    const rows = runAll(source, 2).flat();
    expect(rows.length).toBe(4000);
    const ints = new Set(rows.map((r) => r.i));
    expect([...ints].sort((a, b) => (a as number) - (b as number))).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
    expect(rows.every((r) => Number.isInteger(r.b) && (r.b as number) >= 1e12 && (r.b as number) <= 1e12 + 10)).toBe(true);
    expect(rows.every((r) => (r.d as number) >= 0.5 && (r.d as number) < 1.5)).toBe(true);
    expect(new Set(rows.map((r) => r.f))).toEqual(new Set([true, false]));
    expect(rows.every((r) => Number.isInteger(r.t) && (r.t as number) >= 1000 && (r.t as number) <= 2000)).toBe(true);
    const lengths = new Set(rows.map((r) => (r.v as string).length));
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(8);
    expect(lengths.size).toBe(8);
    const nulls = rows.filter((r) => r.n === null).length / rows.length;
    expect(nulls).toBeGreaterThan(0.45);
    expect(nulls).toBeLessThan(0.55);
    // Same seed, other parallelism: same rows. Other seed: other rows.
    expect(runAll(new DataGenSource({ fields, numberOfRows: 4000, rowsPerSecond: 0, seed: 9 }), 3).flat()).toEqual(rows);
    expect(runAll(new DataGenSource({ fields, numberOfRows: 4000, rowsPerSecond: 0, seed: 10 }), 2).flat()).not.toEqual(rows);
  });

  it('interleaves rows when unbounded and uses the wall clock for unbounded random timestamps', () => {
    const source = new DataGenSource({
      fields: { x: { type: 'int', min: 0, max: 9 }, ts: { type: 'timestamp', maxPastMs: 1000 } },
      rowsPerSecond: 0,
      now: () => 50_000,
    });
    expect(source.boundedness).toBe('continuous-unbounded');
    expect(source.createSplits(2).map((s) => [s.next, s.stride, s.end])).toEqual([[0, 2, null], [1, 2, null]]);
    const reader = source.createReader(new TestReaderContext(0, 1));
    reader.addSplits(source.createSplits(1));
    const out = new RecordingReaderOutput<DataGenRow>();
    expect(reader.pollNext(out)).toBe('more-available');
    expect(out.records.length).toBe(1024);
    expect(out.records.every((r) => (r.ts as number) <= 50_000 && (r.ts as number) >= 49_000)).toBe(true);
  });

  it('divides rows-per-second among subtasks', () => {
    const now = 0;
    const source = new DataGenSource({
      fields: { x: { type: 'boolean' } },
      rowsPerSecond: 100,
      clock: () => now,
    });
    const reader = source.createReader(new TestReaderContext(0, 4));
    reader.addSplits([source.createSplits(4)[0]!]);
    const out = new RecordingReaderOutput<DataGenRow>();
    reader.pollNext(out);
    expect(reader.pollNext(out)).toBe('nothing-available');
    expect(out.records.length).toBe(1);
  });

  it('rejects invalid field specs', () => {
    expect(() => new DataGenSource({ fields: { a: { type: 'int', kind: 'sequence', start: 1 } } })).toThrow(/start and end/);
    expect(() => new DataGenSource({ fields: { a: { type: 'int', min: 5, max: 1 } } })).toThrow(/min must be <= max/);
    expect(() => new DataGenSource({ fields: { a: { type: 'boolean', kind: 'sequence', start: 0, end: 1 } } })).toThrow(/not supported/);
    expect(() => new DataGenSource({ fields: {} })).toThrow(/at least one field/);
  });
});
