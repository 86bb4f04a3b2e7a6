import { describe, expect, it } from 'vitest';
import { rowType, type Row, type RowType, type TableSource } from '@runnel/api/table';
import { datagenConnectorFactory } from '../../src/factories/datagen-factory.js';
import { DataGenTableSource, type DataGenRowSource } from '../../src/table/datagen-table-source.js';
import { planDataGenTable } from '../../src/table/datagen-table-plan.js';
import type { SequenceSplit } from '../../src/sequence/sequence-split.js';
import { RecordingEnumeratorContext, RecordingOutput, pollUntilBlocked, readerContext } from './drivers.js';
import { BIGINT, INT, STRING, array, columns, decimal, map, notNull, row, t, tableContext, timestamp, varchar } from './table-context.js';

const create = (physical: RowType, options: Record<string, string>, name = 't'): TableSource =>
  datagenConnectorFactory.createTableSource!(tableContext(name, physical, 'datagen', options));

/** Runs the scan of `source` at `parallelism` to its end; returns each subtask's rows. */
function scan(source: DataGenRowSource, parallelism: number): Row[][] {
  const enumCtx = new RecordingEnumeratorContext<SequenceSplit>(parallelism);
  const enumerator = source.createEnumerator(enumCtx);
  const out: Row[][] = [];
  for (let i = 0; i < parallelism; i++) {
    enumerator.addReader(i);
    const reader = source.createReader(readerContext(i, parallelism));
    reader.addSplits(enumCtx.assigned.get(i) ?? []);
    reader.notifyNoMoreSplits();
    const o = new RecordingOutput<Row>();
    expect(pollUntilBlocked(reader, o)).toBe('end-of-input');
    out.push(o.records);
  }
  return out;
}

const all = (source: TableSource, physical: RowType): DataGenRowSource =>
  source.createSource({ physicalType: physical, metadataKeys: [] }) as DataGenRowSource;

describe('datagen table source', () => {
  it('splits a sequence across subtasks without overlap, as exact BIGINTs, and is bounded by it', () => {
    const physical = columns({ id: BIGINT, name: STRING });
    const source = create(physical, { 'rows-per-second': '0', 'fields.id.kind': 'sequence', 'fields.id.start': '1', 'fields.id.end': '10' });
    expect(source.bounded).toBe(true);
    expect(source.changelogMode.kinds).toEqual([0]);
    const parts = scan(all(source, physical), 3);
    expect(parts.map((rows) => rows.map((r) => r.fields[0]))).toEqual([[1n, 2n, 3n], [4n, 5n, 6n], [7n, 8n, 9n, 10n]]);
    expect(parts.flat().every((r) => r.kind === 0 && typeof r.fields[1] === 'string' && (r.fields[1] as string).length === 100)).toBe(true);
  });

  it('keeps BIGINT sequences exact beyond 2^53 and ends with the shortest sequence or number-of-rows', () => {
    const physical = columns({ big: BIGINT, s: STRING, d: decimal(6, 2), b: t('VARBINARY', { precision: 2147483647 }), f: t('FLOAT') });
    const options = {
      'rows-per-second': '0',
      'fields.big.kind': 'sequence',
      'fields.big.start': '9223372036854775800',
      'fields.big.end': '9223372036854775807',
      'fields.s.kind': 'sequence',
      'fields.s.start': '100',
      'fields.s.end': '1000',
      'fields.d.kind': 'sequence',
      'fields.d.start': '5',
      'fields.d.end': '9999',
      'fields.b.kind': 'sequence',
      'fields.b.start': '258',
      'fields.b.end': '1000',
      'fields.f.kind': 'sequence',
      'fields.f.start': '0',
      'fields.f.end': '100',
    };
    const rows = scan(all(create(physical, options), physical), 1)[0]!;
    expect(rows.length).toBe(8);
    expect(rows.map((r) => r.fields[0])).toEqual(Array.from({ length: 8 }, (_, i) => 9223372036854775800n + BigInt(i)));
    expect(rows.map((r) => r.fields[1]).slice(0, 3)).toEqual(['100', '101', '102']);
    expect(rows.map((r) => r.fields[2]).slice(0, 2)).toEqual([500n, 600n]); // DECIMAL(6, 2): unscaled
    expect(rows[0]!.fields[3]).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 2));
    expect(rows.map((r) => r.fields[4]).slice(0, 2)).toEqual([0, 1]);
    const limited = create(physical, { ...options, 'number-of-rows': '3' });
    expect(scan(all(limited, physical), 2).flat().map((r) => r.fields[1])).toEqual(['100', '101', '102']);
  });

  it('generates every declarable type in its table representation, within the options', () => {
    const physical = columns({
      ti: t('TINYINT'),
      si: t('SMALLINT'),
      i: INT,
      big: BIGINT,
      f: t('FLOAT'),
      db: t('DOUBLE'),
      dec: decimal(5, 2),
      bool: t('BOOLEAN'),
      c: t('CHAR', { precision: 4 }),
      vc: varchar(10),
      s: STRING,
      bin: t('BINARY', { precision: 3 }),
      bytes: t('VARBINARY', { precision: 2147483647 }),
      date: t('DATE'),
      time: t('TIME', { precision: 0 }),
      ts: timestamp(3),
      ltz: t('TIMESTAMP_LTZ', { precision: 3 }),
      ym: t('INTERVAL_YEAR_MONTH'),
      dt: t('INTERVAL_DAY_TIME'),
      arr: array(INT),
      m: map(varchar(5), INT),
      ms: t('MULTISET', { element: t('BOOLEAN') }),
      r: row({ a: INT, b: varchar(2), nested: row({ x: t('DOUBLE') }) }),
    });
    const now = Date.UTC(2024, 5, 1, 12, 30, 15, 250);
    const source = new DataGenTableSource(
      planDataGenTable('t', physical, {
        'number-of-rows': '500',
        'rows-per-second': '0',
        'fields.ti.min': '-3',
        'fields.ti.max': '3',
        'fields.big.min': '9223372036854775000',
        'fields.big.max': '9223372036854775807',
        'fields.f.min': '0.5',
        'fields.f.max': '1.5',
        'fields.dec.min': '1.005',
        'fields.dec.max': '2.25',
        'fields.s.length': '7',
        'fields.s.var-len': 'true',
        'fields.bytes.length': '5',
        'fields.ts.max-past': '1 min',
        'fields.ym.max': '24',
        'fields.dt.min': '0',
        'fields.dt.max': '1000',
        'fields.arr.length': '2',
        'fields.arr.element.min': '10',
        'fields.arr.element.max': '12',
        'fields.m.length': '4',
        'fields.m.key.length': '1',
        'fields.m.value.null-rate': '1',
        'fields.r.a.min': '7',
        'fields.r.a.max': '7',
        'fields.r.nested.x.min': '2',
        'fields.r.nested.x.max': '3',
        'fields.r.null-rate': '0.5',
      }),
      { now: () => now },
    );
    expect(source.bounded).toBe(true);
    const rows = scan(all(source, physical), 1)[0]!.map((r) => r.fields);
    expect(rows.length).toBe(500);
    const col = (i: number): unknown[] => rows.map((r) => r[i]);
    const between = (lo: number, hi: number) => (v: unknown) => typeof v === 'number' && v >= lo && v <= hi;
    expect(new Set(col(0))).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    expect(col(1).every(between(-32768, 32767))).toBe(true);
    expect(col(2).every((v) => Number.isInteger(v))).toBe(true);
    expect(col(3).every((v) => typeof v === 'bigint' && v >= 9223372036854775000n && v <= 9223372036854775807n)).toBe(true);
    expect(col(4).every((v) => between(0.5, 1.5)(v) && Math.fround(v as number) === v)).toBe(true);
    expect(col(5).every((v) => typeof v === 'number' && v > 0)).toBe(true);
    // DECIMAL(5, 2) in [1.005, 2.25]: unscaled 101 (1.005 rounded up to the scale) to 225.
    expect(col(6).every((v) => typeof v === 'bigint' && v >= 101n && v <= 225n)).toBe(true);
    expect(new Set(col(7))).toEqual(new Set([true, false]));
    expect(col(8).every((v) => typeof v === 'string' && /^[0-9a-f]{4}$/.test(v))).toBe(true);
    expect(col(9).every((v) => typeof v === 'string' && v.length === 10)).toBe(true);
    const lengths = new Set(col(10).map((v) => (v as string).length));
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(7);
    expect(col(11).every((v) => v instanceof Uint8Array && v.length === 3)).toBe(true);
    expect(col(12).every((v) => v instanceof Uint8Array && v.length === 5)).toBe(true);
    const offset = -new Date(now).getTimezoneOffset() * 60_000;
    expect(new Set(col(13))).toEqual(new Set([Math.floor((now + offset) / 86_400_000)]));
    expect(new Set(col(14))).toEqual(new Set([(now + offset) % 86_400_000]));
    expect(col(15).every(between(now - 60_000, now))).toBe(true);
    expect(new Set(col(15)).size).toBeGreaterThan(100);
    expect(new Set(col(16))).toEqual(new Set([now]));
    expect(col(17).every(between(0, 24))).toBe(true);
    expect(col(18).every(between(0, 1000))).toBe(true);
    expect(col(19).every((v) => Array.isArray(v) && v.length === 2 && v.every(between(10, 12)))).toBe(true);
    for (const m of col(20)) {
      expect(m).toBeInstanceOf(Map);
      const entries = [...(m as Map<unknown, unknown>)];
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(4);
      expect(entries.every(([k, v]) => typeof k === 'string' && k.length === 1 && v === null)).toBe(true);
    }
    expect(col(21).every((m) => m instanceof Map && [...m.values()].every(between(0, 10)))).toBe(true);
    const rowsOfR = col(22);
    const nulls = rowsOfR.filter((v) => v === null).length;
    expect(nulls).toBeGreaterThan(200);
    expect(nulls).toBeLessThan(300);
    for (const v of rowsOfR.filter((x) => x !== null) as unknown[][]) {
      expect(v[0]).toBe(7);
      expect((v[1] as string).length).toBe(2);
      expect(between(2, 3)((v[2] as unknown[])[0])).toBe(true);
    }
  });

  it('is deterministic: the same rows at any parallelism, and a column keeps its values when others are not read', () => {
    const physical = columns({ a: INT, b: STRING, c: decimal(10, 3), d: array(BIGINT) });
    const options = { 'number-of-rows': '300', 'rows-per-second': '0', seed: '7' };
    const rows = scan(all(create(physical, options), physical), 1).flat();
    expect(scan(all(create(physical, options), physical), 3).flat()).toEqual(rows);
    const projected = rowType([{ name: 'c', type: decimal(10, 3) }, { name: 'a', type: INT }]);
    const onlyCA = scan(create(physical, options).createSource({ physicalType: projected, metadataKeys: [] }) as DataGenRowSource, 2).flat();
    expect(onlyCA.map((r) => r.fields)).toEqual(rows.map((r) => [r.fields[2], r.fields[0]]));
    expect(scan(all(create(physical, { ...options, seed: '8' }), physical), 1).flat()).not.toEqual(rows);
  });

  it('checkpoints its position: a restored reader continues a sequence without duplicates or gaps', () => {
    const physical = columns({ id: INT });
    const source = all(create(physical, { 'rows-per-second': '0', 'fields.id.kind': 'sequence', 'fields.id.start': '1', 'fields.id.end': '5000' }), physical);
    const reader = source.createReader(readerContext(0, 1));
    reader.addSplits(source.createSplits(1));
    reader.notifyNoMoreSplits();
    const first = new RecordingOutput<Row>();
    expect(reader.pollNext(first)).toBe('more-available');
    const state = reader.snapshotState(1);
    // Through the serializer, as a checkpoint stores it.
    const restored = state.map((s) => source.splitSerializer.deserialize(source.splitSerializer.serialize(s), source.splitSerializer.version));
    const again = source.createReader(readerContext(0, 1));
    again.addSplits(restored);
    again.notifyNoMoreSplits();
    const rest = new RecordingOutput<Row>();
    expect(pollUntilBlocked(again, rest)).toBe('end-of-input');
    expect([...first.records, ...rest.records].map((r) => r.fields[0])).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });

  it('is unbounded without number-of-rows and sequences, interleaving rows over subtasks', () => {
    const physical = columns({ x: INT });
    const source = create(physical, { 'rows-per-second': '0' });
    expect(source.bounded).toBe(false);
    const rowSource = all(source, physical);
    expect(rowSource.boundedness).toBe('continuous-unbounded');
    expect(rowSource.createSplits(2).map((s) => [s.next, s.stride, s.end])).toEqual([[0, 2, null], [1, 2, null]]);
    expect(source.summary()).toBe('DataGen(rows-per-second=0)');
  });

  describe('options', () => {
    const physical = columns({ id: BIGINT, name: varchar(10), tags: array(INT), nn: notNull(INT), flag: t('BOOLEAN') });
    const fails = (options: Record<string, string>) => expect(() => create(physical, options));

    it('rejects keys of no column, with the closest column', () => {
      fails({ 'fields.nmae.length': '3' }).toThrow(
        "datagen table 't': option 'fields.nmae.length': no column 'nmae' (did you mean 'name'?); columns: id, name, tags, nn, flag",
      );
      fails({ 'fields.name': '3' }).toThrow(/^datagen table 't': unknown option 'fields\.name'; valid options: /);
    });

    it('rejects options that do not apply to the column, listing those that do', () => {
      fails({ 'fields.name.max': '3' }).toThrow(
        "datagen table 't': option 'fields.name.max' does not apply to column 'name' (VARCHAR(10), random); its options: " +
          'fields.name.kind, fields.name.null-rate, fields.name.length, fields.name.var-len',
      );
      fails({ 'fields.id.kind': 'sequence', 'fields.id.start': '1', 'fields.id.end': '2', 'fields.id.min': '0' }).toThrow(
        "option 'fields.id.min' does not apply to column 'id' (BIGINT, sequence); its options: fields.id.kind, fields.id.start, fields.id.end",
      );
      fails({ 'fields.tags.element.kind': 'sequence' }).toThrow(
        "option 'fields.tags.element.kind' does not apply to 'tags.element' (INT); its options: fields.tags.element.null-rate, fields.tags.element.min, fields.tags.element.max",
      );
    });

    it('rejects typos with the closest key, and bad values naming the key', () => {
      fails({ 'fields.name.lenght': '3' }).toThrow(/^datagen table 't': unknown option 'fields\.name\.lenght' \(did you mean 'fields\.name\.length'\?\); valid options: rows-per-second, /);
      fails({ 'rows-per-secnd': '5' }).toThrow(/unknown option 'rows-per-secnd' \(did you mean 'rows-per-second'\?\)/);
      fails({ 'fields.id.kind': 'sequense' }).toThrow(
        "datagen table 't': option 'fields.id.kind': 'sequense' is not one of random, sequence (did you mean 'sequence'?)",
      );
      fails({ 'fields.name.length': '20' }).toThrow("datagen table 't': option 'fields.name.length': '20' is out of range (expected 0 to 10)");
      fails({ 'fields.id.min': '1.5' }).toThrow("datagen table 't': option 'fields.id.min': '1.5' is not an integer");
      fails({ 'fields.id.max': '9223372036854775808' }).toThrow(
        "option 'fields.id.max': '9223372036854775808' is out of range (expected -9223372036854775808 to 9223372036854775807)",
      );
      fails({ 'fields.id.min': '5', 'fields.id.max': '4' }).toThrow("datagen table 't': 'id': min (5) must not be greater than max (4)");
      fails({ 'fields.tags.element.null-rate': '1.5' }).toThrow("option 'fields.tags.element.null-rate': '1.5' is out of range (expected 0 to 1)");
    });

    it('requires start and end of a sequence, and refuses sequences Flink has not', () => {
      fails({ 'fields.id.kind': 'sequence', 'fields.id.start': '1' }).toThrow(
        "datagen table 't': option 'fields.id.end' is required: Sequence: the last value.",
      );
      fails({ 'fields.flag.kind': 'sequence' }).toThrow(
        "datagen table 't': not supported: a sequence of type BOOLEAN (column 'flag'); sequences are of TINYINT, SMALLINT, INT, BIGINT",
      );
      fails({ 'fields.id.kind': 'sequence', 'fields.id.start': '3', 'fields.id.end': '1' }).toThrow("'id': start (3) must not be greater than end (1)");
    });

    it('refuses nulls in a NOT NULL column', () => {
      fails({ 'fields.nn.null-rate': '0.1' }).toThrow(
        "datagen table 't': option 'fields.nn.null-rate': column 'nn' is NOT NULL, so its null-rate must be 0",
      );
    });

    it('has no metadata and knows only its physical columns', () => {
      const source = create(physical, {});
      expect(() => source.createSource({ physicalType: physical, metadataKeys: ['offset'] })).toThrow(
        "datagen table 't': the datagen connector has no metadata (asked for offset)",
      );
      expect(() => source.createSource({ physicalType: columns({ nam: STRING }), metadataKeys: [] })).toThrow(
        "datagen table 't': no physical column 'nam' (did you mean 'name'?)",
      );
    });
  });
});
