// Every identifier escaped, every value bound: a table and columns named with backticks, quotes, semicolons, SQL
// comments, unicode and emoji, holding values with the same plus NUL and backslashes, round-trip through the sink
// (exactly-once and at-least-once, upsert and delete by a hostile key), the scan source and the lookup source; a
// canary table is untouched and no other table appears (nothing was injected). Names MySQL cannot hold (NUL, emoji
// and other characters beyond the BMP, a trailing space) are refused up front with the name shown; values hold them.
import { row, RowKind, type Row } from '@runnel/api';
import { SinkDriver, SourceDriver } from '@runnel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlLookupSource } from '../../src/lookup/mysql-lookup-source.js';
import { MySqlScanSource } from '../../src/scan/mysql-scan-source.js';
import { MySqlSink } from '../../src/sink/mysql-sink.js';
import { quoteIdentifier } from '../../src/jdbc/sql-text.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { settingsFor } from '../support/mysql-fixtures.js';

const TABLE = "t`; DROP TABLE canary; -- '\"☃ é 中";
const KEY = "k`ey'); DELETE FROM canary; #";
const COL = 'v "val" `x`; 值 ☃ /*';
const FENCE = "fence`'; DROP TABLE canary; --";
const VALUES = [
  "'); DROP TABLE canary; --",
  'back`tick` and "double" and \'single\'',
  'nul\u0000in the middle\u0000',
  'backslash \\ and \\\' and \\0',
  '😀 emoji 𝄞 and 中文 and \u202e right-to-left',
  '; SELECT SLEEP(10); -- ',
  '',
];

let db: MariaDb;
beforeAll(async () => {
  db = await startMariaDb({ binlog: false });
  await db.query(`CREATE DATABASE h; CREATE TABLE h.canary (id INT PRIMARY KEY); INSERT INTO h.canary VALUES (1), (2)`);
  await db.query(`CREATE TABLE h.${quoteIdentifier(TABLE)} (${quoteIdentifier(KEY)} VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PRIMARY KEY, ${quoteIdentifier(COL)} TEXT CHARACTER SET utf8mb4)`);
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

const STR = { root: 'VARCHAR', nullable: false, precision: 200 } as const;
const TEXT = { root: 'VARCHAR', nullable: true, precision: 2147483647 } as const;

async function tableContent(): Promise<[string, string][]> {
  const c = await db.connect('h');
  try {
    const [rows] = await c.query({ sql: `SELECT * FROM ${quoteIdentifier(TABLE)}`, rowsAsArray: true });
    return (rows as [string, string][]).map(([k, v]) => [k, v] as [string, string]).sort();
  } finally {
    await c.end();
  }
}

describe('hostile identifiers and values', () => {
  for (const guarantee of ['exactly-once', 'at-least-once'] as const) {
    it(`round-trip through the sink (${guarantee}), the scan and the lookup, injecting nothing`, async () => {
      await db.query(`DELETE FROM h.${quoteIdentifier(TABLE)}`);
      const sink = new MySqlSink({
        connection: settingsFor(db, 'h'),
        table: TABLE,
        columns: [
          { name: KEY, type: STR },
          { name: COL, type: TEXT },
        ],
        primaryKey: [KEY],
        deliveryGuarantee: guarantee,
        fenceTable: FENCE,
      });
      const d = await SinkDriver.start<Row>(sink, { parallelism: 1 });
      await d.write(0, VALUES.map((v, i) => row(RowKind.INSERT, [`${v}#${i}`, v])));
      await d.write(0, [row(RowKind.UPDATE_AFTER, [`${VALUES[0]}#0`, VALUES[4]]), row(RowKind.DELETE, [`${VALUES[5]}#5`, null])]);
      await d.checkpoint(1);
      await d.complete(1);
      await d.close();
      const want = VALUES.map((v, i): [string, string] => [`${v}#${i}`, i === 0 ? VALUES[4]! : v]).filter(([k]) => k !== `${VALUES[5]}#5`).sort();
      expect(await tableContent()).toEqual(want);

      const scan = new MySqlScanSource<[string, string]>({
        connection: settingsFor(db, 'h'),
        table: TABLE,
        columns: [
          { name: KEY, type: STR },
          { name: COL, type: TEXT },
        ],
        toRecord: (r) => r.fields as [string, string],
      });
      const s = await SourceDriver.start(scan, { parallelism: 1 });
      await s.run();
      expect(s.records().sort()).toEqual(want);
      await s.close();

      const lookup = new MySqlLookupSource({ connection: settingsFor(db, 'h'), table: TABLE, keyColumns: [KEY] });
      const found = await lookup.lookup(want.map(([k]) => [k]));
      expect(found.map((rows) => rows.map((r) => r.fields as [string, string])[0])).toEqual(want);
      await lookup.close();

      expect(await db.query('SELECT id FROM h.canary ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
      const tables = await db.query<{ t: string }>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'h' ORDER BY TABLE_NAME");
      expect(tables.map((x) => x.t).sort()).toEqual(guarantee === 'exactly-once' ? ['canary', FENCE, TABLE].sort() : expect.arrayContaining(['canary', TABLE]));
    }, 60_000);
  }

  it('refuses names MySQL cannot hold, naming them', () => {
    expect(() => quoteIdentifier('a\u0000b')).toThrow(/"a\\u0000b" holds a NUL/);
    expect(() => quoteIdentifier('trailing ')).toThrow(/ends with a space/);
    expect(() => quoteIdentifier('emoji😀')).toThrow(/"emoji😀" holds a character outside Unicode's Basic Multilingual Plane/);
    expect(() => new MySqlSink({ connection: settingsFor(db, 'h'), table: 'x', columns: [{ name: 'c\u0000', type: STR }] })).toThrow(/NUL/);
  });
});
