// The MySQL sink against a real MariaDB 10.11: the sink conformance suite (exactly-once and at-least-once), upserts
// and deletes from a changelog with updates of one key reduced within a checkpoint, the fence table making a replay
// after a restore change nothing, at-least-once flushes by rows and interval, and errors translated into kinds with
// the password redacted.
import { row, RowKind, type Row } from '@runnel/api';
import { describeConformance, sinkConformance, SinkDriver } from '@runnel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlConnectorError } from '../../src/jdbc/mysql-errors.js';
import { MySqlSink } from '../../src/sink/mysql-sink.js';
import type { MySqlSinkSettings } from '../../src/sink/mysql-sink-settings.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { settingsFor, waitFor } from '../support/mysql-fixtures.js';

let db: MariaDb;
beforeAll(async () => {
  db = await startMariaDb({ binlog: false });
  await db.query('CREATE DATABASE s');
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

let tables = 0;
const BIG = { root: 'BIGINT', nullable: false } as const;
const STR = { root: 'VARCHAR', nullable: true, precision: 100 } as const;

async function newTable(ddlColumns = 'id BIGINT PRIMARY KEY, v VARCHAR(100)'): Promise<string> {
  const name = `t${++tables}`;
  await db.query(`CREATE TABLE s.${name} (${ddlColumns})`);
  return name;
}

function sink(table: string, extra: Partial<MySqlSinkSettings> = {}): MySqlSink {
  return new MySqlSink({
    connection: settingsFor(db, 's'),
    table,
    columns: [
      { name: 'id', type: BIG },
      { name: 'v', type: STR },
    ],
    primaryKey: ['id'],
    ...extra,
  });
}

const sorted = async (sql: string): Promise<unknown[]> => await db.query(sql);

for (const guarantee of ['exactly-once', 'at-least-once'] as const) {
  describe(`MySqlSink conformance (${guarantee})`, () => {
    const made = new Map<unknown, string>();
    describeConformance(
      sinkConformance<{ i: number }>({
        name: 'sink conformance',
        twoPhaseCommit: guarantee === 'exactly-once',
        async createSink() {
          const table = await newTable();
          const s = new MySqlSink<{ i: number }>({
            connection: settingsFor(db, 's'),
            table,
            columns: [
              { name: 'id', type: BIG },
              { name: 'v', type: STR },
            ],
            primaryKey: ['id'],
            deliveryGuarantee: guarantee,
            toRow: (r) => row(RowKind.INSERT, [BigInt(r.i), `v${r.i}`]),
          });
          made.set(s, table);
          return s;
        },
        async readCommitted(s) {
          const rows = await db.query<{ id: number }>(`SELECT id FROM s.${made.get(s)!}`);
          return rows.map((r) => ({ i: Number(r.id) }));
        },
        record: (i) => ({ i }),
      }),
      { describe, it },
    );
  });
}

describe('MySqlSink', () => {
  it('upserts and deletes by key, reduces updates of one key within a checkpoint, and a replay changes nothing', async () => {
    const table = await newTable();
    const s = sink(table);
    const driver = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await driver.write(0, [
      row(RowKind.INSERT, [1n, 'a']),
      row(RowKind.INSERT, [2n, 'b']),
      row(RowKind.UPDATE_BEFORE, [1n, 'a']),
      row(RowKind.UPDATE_AFTER, [1n, 'a2']),
      row(RowKind.INSERT, [3n, 'c']),
      row(RowKind.DELETE, [3n, 'c']),
    ]);
    // Nothing is visible before the checkpoint completes.
    const cp1 = await driver.checkpoint(1);
    expect(await sorted(`SELECT id, v FROM s.${table} ORDER BY id`)).toEqual([]);
    await driver.complete(1);
    expect(await sorted(`SELECT id, v FROM s.${table} ORDER BY id`)).toEqual([
      { id: 1, v: 'a2' },
      { id: 2, v: 'b' },
    ]);
    // Reduced: 2 upserts + 1 delete for 6 input rows.
    expect(await sorted(`SELECT subtask, checkpoint_id, rows_applied FROM s.runnel_sink_fence WHERE sink_table = '${table}'`)).toEqual([
      { subtask: 0, checkpoint_id: 1, rows_applied: 3 },
    ]);
    await driver.write(0, [row(RowKind.DELETE, [2n, 'b']), row(RowKind.UPDATE_AFTER, [1n, 'a3'])]);
    await driver.checkpoint(2);
    await driver.crash();
    // Meanwhile someone changes the row: a replay of checkpoint 1 must not overwrite it.
    await db.query(`UPDATE s.${table} SET v = 'manual' WHERE id = 1`);
    const restored = await SinkDriver.start<Row>(s, { parallelism: 1, restore: cp1 });
    expect(await sorted(`SELECT id, v FROM s.${table} ORDER BY id`)).toEqual([
      { id: 1, v: 'manual' },
      { id: 2, v: 'b' },
    ]);
    await restored.close();
  });

  it('keeps statements within max_allowed_packet: a checkpoint of large values goes in smaller statements', async () => {
    const table = await newTable('id BIGINT PRIMARY KEY, v LONGTEXT');
    const [{ m }] = (await db.query<{ m: number }>('SELECT @@max_allowed_packet AS m')) as [{ m: number }];
    // 80 rows of 400 000 characters (one of them multi-byte): about twice the server's 16 MiB packet limit in one
    // checkpoint, which a single 1000-row statement would exceed.
    const rows = Array.from({ length: 80 }, (_, i) => row(RowKind.INSERT, [BigInt(i), `${String(i).padStart(4, '0')}${'é'.repeat(i % 2)}${'x'.repeat(400_000)}`]));
    expect(80 * 400_000).toBeGreaterThan(Number(m));
    const s = sink(table);
    const driver = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await driver.write(0, rows);
    await driver.checkpoint(1);
    await driver.complete(1);
    const back = await db.query<{ id: number; n: number; head: string }>(`SELECT id, CHAR_LENGTH(v) AS n, LEFT(v, 5) AS head FROM s.${table} ORDER BY id`);
    expect(back).toEqual(rows.map((_, i) => ({ id: i, n: 400_004 + (i % 2), head: `${String(i).padStart(4, '0')}${i % 2 === 1 ? 'é' : 'x'}` })));
    await driver.close();
  });

  it('at-least-once flushes when max-rows is reached and on the interval', async () => {
    const table = await newTable();
    const s = sink(table, { deliveryGuarantee: 'at-least-once', bufferFlushMaxRows: 3, bufferFlushIntervalMs: 200 });
    const driver = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await driver.write(0, [row(RowKind.INSERT, [1n, 'a']), row(RowKind.INSERT, [2n, 'b']), row(RowKind.INSERT, [3n, 'c'])]);
    await waitFor(async () => (await db.query(`SELECT id FROM s.${table}`)).length === 3, 'the max-rows flush');
    await driver.write(0, [row(RowKind.INSERT, [4n, 'd'])]);
    await waitFor(async () => (await db.query(`SELECT id FROM s.${table}`)).length === 4, 'the interval flush');
    await driver.close();
  });

  it('refuses updates without a primary key and names bad columns', async () => {
    const table = await newTable('id BIGINT, v VARCHAR(100)');
    const s = sink(table, { primaryKey: [], deliveryGuarantee: 'at-least-once' });
    const driver = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await expect(driver.write(0, [row(RowKind.UPDATE_AFTER, [1n, 'a'])])).rejects.toThrow(/without a primary key.*PRIMARY KEY/);
    await driver.close().catch(() => undefined);
    const bad = new MySqlSink({ connection: settingsFor(db, 's'), table, columns: [{ name: 'nope', type: BIG }] });
    const d2 = await SinkDriver.start<Row>(bad, { parallelism: 1 });
    await d2.write(0, [row(RowKind.INSERT, [1n])]);
    const err = await d2.checkpoint(1).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MySqlConnectorError);
    expect((err as MySqlConnectorError).kind).toBe('configuration');
    expect((err as Error).message).toMatch(/has no column "nope"/);
    await d2.close().catch(() => undefined);
  });

  it('translates access denied into a configuration error without the password', async () => {
    await db.query("CREATE USER 'limited'@'127.0.0.1' IDENTIFIED BY 'S3cret-pw'");
    const table = await newTable();
    const s = new MySqlSink({
      connection: settingsFor(db, 's', { user: 'limited', password: 'wrong-S3cret' }),
      table,
      columns: [{ name: 'id', type: BIG }],
      deliveryGuarantee: 'at-least-once',
    });
    const driver = await SinkDriver.start<Row>(s, { parallelism: 1 });
    await driver.write(0, [row(RowKind.INSERT, [1n])]);
    const err = await driver.endInput().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MySqlConnectorError);
    expect((err as MySqlConnectorError).kind).toBe('configuration');
    expect((err as Error).message).toMatch(/Access denied/);
    expect((err as Error).message).not.toContain('wrong-S3cret');
    await driver.close().catch(() => undefined);
  });
});
