// The snapshot's per-row path without a server: the generated row converter gives each column's converter value for
// every form a driver can hand it (the value-parity test covers the real server's forms end to end), and the SQL
// mapper reuses the fields array only when the requested columns are the table's columns in order.
import { describe, expect, it } from 'vitest';
import { RowKind } from '@runnel/api/table';
import { converterFor, type CdcColumn } from '../../src/cdc/cdc-column.js';
import { projectingCdcMapper } from '../../src/cdc/mysql-cdc-table-factory.js';
import { snapshotRowConverter } from '../../src/cdc/snapshot-row-converter.js';
import type { CdcTableRef } from '../../src/cdc/binlog-stream.js';

const col = (name: string, dataType: string, columnType: string, extra: Partial<CdcColumn> = {}): CdcColumn => ({ name, dataType, columnType, nullable: true, ...extra });

const COLUMNS: CdcColumn[] = [
  col('bi', 'bigint', 'bigint(20)'),
  col('bu', 'bigint', 'bigint(20) unsigned'),
  col('i', 'int', 'int(11)'),
  col('iu', 'int', 'int(10) unsigned'),
  col('b', 'tinyint', 'tinyint(1)'),
  col('si', 'smallint', 'smallint(6)'),
  col('d', 'decimal', 'decimal(12,2)', { precision: 12, scale: 2 }),
  col('dl', 'decimal', 'decimal(30,10)', { precision: 30, scale: 10 }),
  col('s', 'varchar', 'varchar(40)'),
  col('dt', 'datetime', 'datetime(3)', { precision: 3 }),
  col('ts', 'timestamp', 'timestamp(6)', { precision: 6 }),
  col('day', 'date', 'date'),
  col('t', 'time', 'time'),
  col('y', 'year', 'year(4)'),
  col('bin', 'varbinary', 'varbinary(8)'),
];

// Each row: one driver form per column (snapshot text forms, binlog forms, NULL).
const ROWS: unknown[][] = [
  [42, '9007199254740993', 7, 4294967295, 1, -3, '-12.30', '-12345678901234567890.0123456789', 'héllo', '2024-02-29 12:34:56.123', '1969-12-31 23:59:59.999999', '2024-02-29', '-838:59:59', 1901, Buffer.from([0, 255])],
  ['9223372036854775807', '18446744073709551615', '7', '0', 0, '12', '0.01', '1.5', Buffer.from('x'), new Date(Date.UTC(2001, 2, 3, 4, 5, 6, 7)), '0000-00-00 00:00:00', '0000-00-00', '12:00:00.5', 0, 'ab'],
  [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  [-1, 0, 0, 0, 127, 0, '9999999999.99', '0.0000000001', '', '2001-02-31 10:00:00.000', '0099-01-01 00:00:00', '2001-02-31', '00:00:00', 2155, Buffer.alloc(0)],
];

describe('snapshot row converter', () => {
  it("converts in place to each column's converter value, for every driver form", () => {
    const each = COLUMNS.map((c) => converterFor(c, 'test'));
    const convert = snapshotRowConverter(COLUMNS, 'test');
    for (const raw of ROWS) {
      const expected = raw.map((v, i) => each[i]!(v));
      const input = [...raw];
      const out = convert(input);
      expect(out).toBe(input);
      expect(out).toEqual(expected);
    }
  });

  it('fails on unsupported types as the column converters do', () => {
    expect(() => snapshotRowConverter([col('g', 'geometry', 'geometry')], 'table a.b')).toThrow(/table a\.b: column 'g' has type geometry/);
  });
});

describe('projectingCdcMapper', () => {
  const table: CdcTableRef = { id: 'db.t', table: { database: 'db', table: 't', columns: [col('a', 'int', 'int'), col('b', 'varchar', 'varchar(3)')], primaryKey: ['a'] } };

  it('keeps the fields array when the columns are the table columns in order, then appends metadata', () => {
    const fields: unknown[] = [1, 'x'];
    const r = projectingCdcMapper(['a', 'b'], ['table_name', 'row_kind'])(RowKind.UPDATE_AFTER, table, fields, 5);
    expect(r.fields).toBe(fields);
    expect(r.fields).toEqual([1, 'x', 't', '+U']);
    expect(r.kind).toBe(RowKind.UPDATE_AFTER);
  });

  it('projects other column lists by name (missing columns are NULL), for each table', () => {
    const m = projectingCdcMapper(['b', 'zz', 'a'], ['database_name', 'op_ts']);
    const other: CdcTableRef = { id: 'db.u', table: { ...table.table, table: 'u', columns: [col('b', 'varchar', 'varchar(3)'), col('a', 'int', 'int')] } };
    expect(m(RowKind.INSERT, table, [1, 'x'], 7).fields).toEqual(['x', null, 1, 'db', 7]);
    expect(m(RowKind.DELETE, other, ['y', 2], 8).fields).toEqual(['y', null, 2, 'db', 8]);
    expect(m(RowKind.INSERT, table, [3, 'z'], 9).fields).toEqual(['z', null, 3, 'db', 9]);
  });
});
