import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALL_KINDS, INSERT_ONLY, RowKind, type Row, type RowType } from '@runnel/api/table';
import { printConnectorFactory } from '../../src/factories/print-factory.js';
import { blackholeConnectorFactory } from '../../src/factories/blackhole-factory.js';
import { PrintTableSink } from '../../src/table/print-table-sink.js';
import { BlackholeSink } from '../../src/sinks/blackhole-sink.js';
import { recordContext, writerContext } from './drivers.js';
import { BIGINT, INT, STRING, array, columns, decimal, map, row, t, tableContext, timestamp } from './table-context.js';

const TYPE = columns({
  id: BIGINT,
  name: STRING,
  ts: timestamp(3),
  price: decimal(10, 2),
  d: t('DOUBLE'),
  flag: t('BOOLEAN'),
  tags: array(INT),
  m: map(STRING, INT),
  r: row({ a: INT, b: STRING }),
  n: INT,
  bytes: t('VARBINARY', { precision: 2147483647 }),
  day: t('DATE'),
  ltz: t('TIMESTAMP_LTZ', { precision: 3 }),
  time: t('TIME', { precision: 3 }),
});

const FIELDS = [
  1n,
  'abc',
  Date.UTC(2020, 0, 1, 10),
  1230n,
  1,
  true,
  [1, null],
  new Map([['k', 1]]),
  [5, 'x'],
  null,
  Uint8Array.of(1, 255),
  18262,
  Date.UTC(2020, 0, 1, 10, 0, 0, 500),
  45_296_789,
];
const TEXT = '[1, abc, 2020-01-01T10:00, 12.30, 1.0, true, [1, null], {k=1}, +I[5, x], null, [1, -1], 2020-01-01, 2020-01-01T10:00:00.500Z, 12:34:56.789]';

/** Prints `rows` through a print table sink's writer of subtask `subtask` of `parallelism`; returns the text. */
async function print(sink: PrintTableSink, type: RowType, rows: Row[], subtask = 0, parallelism = 1): Promise<string> {
  const writer = sink.createSink({ consumedType: type, metadataKeys: [], changelogMode: ALL_KINDS }).createWriter(writerContext(subtask, parallelism));
  for (const r of rows) writer.write(r, recordContext);
  await writer.flush(false);
  await writer.close();
  return out.splice(0).join('');
}

const out: string[] = [];
const textWriter = { write: (text: string) => void out.push(text) };

describe('print table sink', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints rows as Flink does: kind, then each value as its Java toString', async () => {
    const sink = new PrintTableSink({ tableName: 'p', writer: textWriter });
    expect(await print(sink, TYPE, [{ kind: RowKind.INSERT, fields: FIELDS }])).toBe(`+I${TEXT}\n`);
  });

  it('prints every changelog kind and prefixes lines as Flink: identifier and subtask + 1', async () => {
    const type = columns({ id: INT, v: STRING });
    const rows: Row[] = [
      { kind: RowKind.INSERT, fields: [1, 'a'] },
      { kind: RowKind.UPDATE_BEFORE, fields: [1, 'a'] },
      { kind: RowKind.UPDATE_AFTER, fields: [1, 'b'] },
      { kind: RowKind.DELETE, fields: [1, 'b'] },
    ];
    const plain = new PrintTableSink({ tableName: 'p', writer: textWriter });
    expect(await print(plain, type, rows)).toBe('+I[1, a]\n-U[1, a]\n+U[1, b]\n-D[1, b]\n');
    expect(await print(plain, type, rows.slice(0, 1), 1, 2)).toBe('2> +I[1, a]\n');
    const named = new PrintTableSink({ tableName: 'p', printIdentifier: 'q0', writer: textWriter });
    expect(await print(named, type, rows.slice(0, 1))).toBe('q0> +I[1, a]\n');
    expect(await print(named, type, rows.slice(3), 2, 3)).toBe('q0:3> -D[1, b]\n');
    expect(plain.changelogMode(ALL_KINDS)).toBe(ALL_KINDS);
    expect(plain.changelogMode(INSERT_ONLY)).toBe(INSERT_ONLY);
  });

  it('is created from options: print-identifier, standard-error, sink.parallelism', async () => {
    const type = columns({ id: INT });
    const sink = printConnectorFactory.createTableSink!(
      tableContext('p', type, 'print', { 'print-identifier': 'x', 'standard-error': 'true', 'sink.parallelism': '2' }),
    ) as PrintTableSink;
    expect(sink.parallelism).toBe(2);
    expect(sink.summary()).toBe('Print to System.err');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const writer = sink.createSink({ consumedType: type, metadataKeys: [], changelogMode: INSERT_ONLY }).createWriter(writerContext(0, 2));
    writer.write({ kind: RowKind.INSERT, fields: [7] }, recordContext);
    await writer.flush(false);
    expect(stderr).toHaveBeenCalledWith('x:1> +I[7]\n');
    const stdout = printConnectorFactory.createTableSink!(tableContext('p', type, 'print')) as PrintTableSink;
    expect([stdout.summary(), stdout.parallelism]).toEqual(['Print to System.out', undefined]);
  });

  it('rejects bad options naming the table; sink.parallelism is for SQL tables only', () => {
    const type = columns({ id: INT });
    expect(() => printConnectorFactory.createTableSink!(tableContext('p', type, 'print', { 'print-identifer': 'x' }))).toThrow(
      "print table 'p': unknown option 'print-identifer' (did you mean 'print-identifier'?); valid options: print-identifier, standard-error, sink.parallelism",
    );
    expect(() => printConnectorFactory.createTableSink!(tableContext('p', type, 'print', { 'sink.parallelism': '0' }))).toThrow(
      "print table 'p': option 'sink.parallelism': '0' is out of range (expected at least 1)",
    );
    expect(() => printConnectorFactory.createSink!({ name: 'p', options: { 'sink.parallelism': '2' } })).toThrow(
      "print table 'p': option 'sink.parallelism' applies to SQL tables; in a DataStream job set the sink's parallelism on the stream",
    );
    const sink = printConnectorFactory.createTableSink!(tableContext('p', type, 'print'));
    expect(() => sink.createSink({ consumedType: type, metadataKeys: ['k'], changelogMode: INSERT_ONLY })).toThrow("print table 'p': no writable metadata (asked for k)");
  });
});

describe('blackhole table sink', () => {
  it('takes every kind and discards the rows', async () => {
    const type = columns({ id: INT });
    const sink = blackholeConnectorFactory.createTableSink!(tableContext('b', type, 'blackhole'));
    expect(sink.changelogMode(ALL_KINDS)).toBe(ALL_KINDS);
    expect(sink.summary()).toBe('BlackHole');
    const runtime = sink.createSink({ consumedType: type, metadataKeys: [], changelogMode: ALL_KINDS }) as BlackholeSink<Row>;
    const writer = runtime.createWriter(writerContext());
    for (const kind of [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE]) writer.write({ kind, fields: [1] }, recordContext);
    await writer.flush(true);
    expect(runtime.count).toBe(4);
    expect(() => blackholeConnectorFactory.createTableSink!(tableContext('b', type, 'blackhole', { x: '1' }))).toThrow(
      "blackhole table 'b': unknown option 'x'; there are none",
    );
  });
});
