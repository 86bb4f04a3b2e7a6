// The DataStream sink against a real ClickHouse 18.16 server (started by the test): exact types, the update
// strategies read back with their documented queries, exactly-once commits that are invisible until the checkpoint
// completes and idempotent when committed again after a restore, bad values under both error policies, server errors
// naming the table and the batch, back-pressure with bounded in-flight batches, and no password in any message.
import { SinkDriver } from '@runnel/testing';
import { RowKind } from '@runnel/api/table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseSink } from '../../src/sink/clickhouse-sink.js';
import type { ClickHouseSinkOptions } from '../../src/sink/clickhouse-sink-options.js';
import { httpClickHouseNodeFactory, type ClickHouseNode } from '../../src/client/clickhouse-node.js';
import { clickhouseAvailable, startClickHouse, WRITER_PASSWORD, type ClickHouseServer } from '../support/clickhouse-server.js';

const run = clickhouseAvailable() ? describe : describe.skip;

interface Change {
  readonly kind: RowKind;
  readonly id: number;
  readonly v: number;
}

run('ClickHouseSink (DataStream) against ClickHouse 18.16', () => {
  let ch: ClickHouseServer;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.destroy();
  });

  const changes = (table: string, extra: Partial<ClickHouseSinkOptions<Change>> = {}): ClickHouseSink<Change> =>
    new ClickHouseSink<Change>({
      url: ch.url,
      table,
      rows: { columns: ['id', 'v'], value: (c, i) => (i === 0 ? c.id : c.v), kind: (c) => c.kind },
      flushIntervalMs: 0,
      ...extra,
    });

  it('writes exact types: Decimal from text, bigint and { unscaled, scale }, DateTime in a time zone, Nullable, Array, UInt64', async () => {
    await ch.query(
      "CREATE TABLE types (id UInt64, d Decimal(18, 4), ts DateTime('Asia/Tokyo'), local DateTime('Europe/Berlin'), day Date, n Nullable(String), arr Array(Int32), big Int64) ENGINE = MergeTree ORDER BY id",
    );
    interface E {
      id: bigint;
      d: unknown;
      ts: number;
      local: string;
      day: string;
      n: string | null;
      arr: number[];
      big: bigint;
    }
    const sink = ClickHouseSink.builder<E>()
      .url(ch.url)
      .table('default', 'types')
      .column('id', (e) => e.id)
      .column('d', (e) => e.d)
      .column('ts', (e) => e.ts)
      .column('local', (e) => e.local)
      .column('day', (e) => e.day)
      .column('n', (e) => e.n)
      .column('arr', (e) => e.arr)
      .column('big', (e) => e.big)
      .build();
    const d = await SinkDriver.start(sink);
    await d.write(0, [
      { id: 18446744073709551615n, d: '12345678901234.5678', ts: Date.UTC(2024, 0, 1, 0, 0, 0), local: '2024-03-31 02:30:00', day: '2024-02-29', n: null, arr: [1, -2], big: -(2n ** 63n) },
      { id: 1n, d: { unscaled: -1n, scale: 4 }, ts: 1_000, local: '2024-01-01 00:00:00', day: '1970-01-02', n: 'x"y\\z\n', arr: [], big: 2n ** 63n - 1n },
      { id: 2n, d: 42n, ts: 4102444799_000, local: '2024-07-01 12:00:00.999', day: '2105-12-31', n: 'ü', arr: [2147483647], big: 0n },
    ]);
    await d.finish();
    const rows = await ch.rows<Record<string, unknown>>(
      // toUInt32 of a DateTime is its stored instant (18.16's toUnixTimestamp re-reads it in the server's zone).
      "SELECT toString(id) AS key, toString(d) AS dec, toString(ts) AS tst, toUInt32(ts) AS tsu, toString(local) AS loc, toUInt32(local) AS lu, toString(day) AS dt, n, arr, toString(big) AS b FROM types ORDER BY id",
    );
    expect(rows).toEqual([
      { key: '1', dec: '-0.0001', tst: '1970-01-01 09:00:01', tsu: 1, loc: '2024-01-01 00:00:00', lu: Date.UTC(2023, 11, 31, 23) / 1000, dt: '1970-01-02', n: 'x"y\\z\n', arr: [], b: '9223372036854775807' },
      { key: '2', dec: '42.0000', tst: '2100-01-01 08:59:59', tsu: 4102444799, loc: '2024-07-01 12:00:00', lu: Date.UTC(2024, 6, 1, 10) / 1000, dt: '2105-12-31', n: 'ü', arr: [2147483647], b: '0' },
      // 02:30 does not exist in Berlin on 2024-03-31 (clocks jump from 02:00 to 03:00): moved forward by the gap.
      { key: '18446744073709551615', dec: '12345678901234.5678', tst: '2024-01-01 09:00:00', tsu: Date.UTC(2024, 0, 1) / 1000, loc: '2024-03-31 03:30:00', lu: Date.UTC(2024, 2, 31, 1, 30) / 1000, dt: '2024-02-29', n: null, arr: [1, -2], b: '-9223372036854775808' },
    ]);
  });

  it('replacing: +I/+U with increasing versions, -U dropped, -D as is_deleted; FINAL shows the latest state', async () => {
    await ch.query('CREATE TABLE repl (id UInt32, v Int32, _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY id');
    // No background merge, so that the raw row count shows what was written.
    await ch.query('SYSTEM STOP MERGES repl');
    const d = await SinkDriver.start(changes('repl', { updateStrategy: 'replacing', keyColumns: ['id'] }));
    await d.write(0, [
      { kind: RowKind.INSERT, id: 1, v: 10 },
      { kind: RowKind.INSERT, id: 2, v: 20 },
      { kind: RowKind.UPDATE_BEFORE, id: 1, v: 10 },
      { kind: RowKind.UPDATE_AFTER, id: 1, v: 11 },
      { kind: RowKind.INSERT, id: 3, v: 30 },
    ]);
    await d.checkpoint(1);
    await d.write(0, [
      { kind: RowKind.DELETE, id: 2, v: 20 },
      { kind: RowKind.UPDATE_BEFORE, id: 1, v: 11 },
      { kind: RowKind.UPDATE_AFTER, id: 1, v: 12 },
    ]);
    await d.finish();
    expect(await ch.rows('SELECT id, v FROM repl FINAL WHERE _is_deleted = 0 ORDER BY id')).toEqual([
      { id: 1, v: 12 },
      { id: 3, v: 30 },
    ]);
    // -U rows were not written: 1 (+I), 2, 1 (+U), 3, 2 (-D), 1 (+U).
    expect(await ch.rows('SELECT count() AS n FROM repl')).toEqual([{ n: '6' }]);
  });

  it('collapsing and versioned-collapsing: sum(v * sign) per key is the latest state, whatever the order', async () => {
    await ch.query('CREATE TABLE coll (id UInt32, v Int32, _sign Int8) ENGINE = CollapsingMergeTree(_sign) ORDER BY id');
    await ch.query('CREATE TABLE vcoll (id UInt32, v Int32, _sign Int8, _version UInt64) ENGINE = VersionedCollapsingMergeTree(_sign, _version) ORDER BY id');
    const input: Change[] = [
      { kind: RowKind.INSERT, id: 1, v: 10 },
      { kind: RowKind.INSERT, id: 2, v: 20 },
      { kind: RowKind.UPDATE_BEFORE, id: 1, v: 10 },
      { kind: RowKind.UPDATE_AFTER, id: 1, v: 11 },
      { kind: RowKind.DELETE, id: 2, v: 20 },
      { kind: RowKind.INSERT, id: 2, v: 21 },
    ];
    for (const [table, strategy] of [['coll', 'collapsing'], ['vcoll', 'versioned-collapsing']] as const) {
      const d = await SinkDriver.start(changes(table, { updateStrategy: strategy, batchSize: 2 }));
      await d.write(0, input);
      await d.finish();
      expect(await ch.rows(`SELECT id, sum(v * _sign) AS v FROM ${table} GROUP BY id HAVING sum(_sign) > 0 ORDER BY id`)).toEqual([
        { id: 1, v: '11' },
        { id: 2, v: '21' },
      ]);
      // FINAL collapses by the order rows reached the table, which 18.16 does not keep across parts for
      // CollapsingMergeTree (seen to keep a stale row once in a loaded run): only the versioned engine is order-free.
      if (strategy === 'versioned-collapsing') {
        expect(await ch.rows(`SELECT id, v FROM ${table} FINAL ORDER BY id`)).toEqual([
          { id: 1, v: 11 },
          { id: 2, v: 21 },
        ]);
      }
    }
  });

  it('exactly-once: nothing visible before the checkpoint completes; a restore commits it once, and again invisibly', async () => {
    await ch.query('CREATE TABLE eo (id UInt32, v Int32, _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY id');
    await ch.query('SYSTEM STOP MERGES eo');
    const sink = changes('eo', { updateStrategy: 'replacing', deliveryGuarantee: 'exactly-once', batchSize: 3 });
    const d = await SinkDriver.start(sink);
    await d.write(0, Array.from({ length: 10 }, (_, i) => ({ kind: RowKind.INSERT, id: i, v: i })));
    const cp1 = await d.checkpoint(1);
    expect(await ch.rows('SELECT count() AS n FROM eo')).toEqual([{ n: '0' }]);
    await d.complete(1);
    expect(await ch.rows('SELECT count() AS n FROM eo')).toEqual([{ n: '10' }]);
    await d.write(0, [{ kind: RowKind.UPDATE_AFTER, id: 1, v: 100 }, { kind: RowKind.DELETE, id: 2, v: 2 }]);
    const cp2 = await d.checkpoint(2);
    await d.crash(); // before checkpoint 2 completes
    expect(await ch.rows('SELECT count() AS n FROM eo')).toEqual([{ n: '10' }]);
    // Restore checkpoint 2 twice: its committables are committed on each start.
    for (let i = 0; i < 2; i++) {
      const r = await SinkDriver.start(sink, { restore: cp2 });
      await r.close();
    }
    expect(await ch.rows('SELECT count() AS n FROM eo')).toEqual([{ n: '14' }]);
    expect(await ch.rows('SELECT count() AS n, sum(v) AS s FROM eo FINAL WHERE _is_deleted = 0')).toEqual([{ n: '9', s: String(45 - 1 - 2 + 100) }]);
    // cp1 still held checkpoint 1's committables (they were committed after it was taken): its rows come again, and
    // replace themselves, except where checkpoint 2's versions are higher.
    const r = await SinkDriver.start(sink, { restore: cp1 });
    await r.close();
    expect(await ch.rows('SELECT count() AS n FROM eo')).toEqual([{ n: '24' }]);
    expect(await ch.rows('SELECT count() AS n, sum(v) AS s FROM eo FINAL WHERE _is_deleted = 0')).toEqual([{ n: '9', s: String(45 - 1 - 2 + 100) }]);
  });

  it('replacing, exactly-once, two subtasks: versions order the rows of a key within its subtask only', async () => {
    // The kill test's failure, deterministic: a retracting GROUP BY connected round-robin to two sink subtasks (the
    // SQL planner does that when 'sink.parallelism' differs from the query's; the table sink now refuses it). The -U
    // reaches one subtask, which writes it as a delete (no +U follows there), and its +U the other, at the same
    // position of the checkpoint: equal versions, and the row inserted last wins FINAL, here the delete.
    const table = (name: string): Promise<string> => ch.query(`CREATE TABLE ${name} (id UInt32, v Int32, _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY id`);
    const sink = (name: string): ClickHouseSink<Change> => changes(name, { updateStrategy: 'replacing', deliveryGuarantee: 'exactly-once', keyColumns: ['id'] });
    await table('spread');
    const spread = await SinkDriver.start(sink('spread'), { parallelism: 2 });
    // The aggregation's output +I 1:10, +I 2:20, -U 1:10, +U 1:11, -U 2:20, +U 2:21, dealt out round-robin.
    await spread.write(0, [{ kind: RowKind.INSERT, id: 1, v: 10 }, { kind: RowKind.UPDATE_BEFORE, id: 1, v: 10 }, { kind: RowKind.UPDATE_BEFORE, id: 2, v: 20 }]);
    await spread.write(1, [{ kind: RowKind.INSERT, id: 2, v: 20 }, { kind: RowKind.UPDATE_AFTER, id: 1, v: 11 }, { kind: RowKind.UPDATE_AFTER, id: 2, v: 21 }]);
    await spread.checkpoint(1);
    await spread.complete(1); // subtask 0 (the deletes) commits first, subtask 1 (the +U rows) last
    await spread.close();
    const versions = await ch.rows<{ id: number; d: number; n: string }>('SELECT id, _is_deleted AS d, toString(max(_version)) AS n FROM spread GROUP BY id, d ORDER BY id, d');
    expect(versions.filter((r) => r.d === 1).map((r) => r.n)).toEqual(versions.filter((r) => r.d === 0).map((r) => r.n)); // ties
    expect(await ch.rows('SELECT id, v FROM spread FINAL WHERE _is_deleted = 0 ORDER BY id')).toEqual([{ id: 1, v: 11 }, { id: 2, v: 21 }]);
    await table('spread2');
    const again = await SinkDriver.start(sink('spread2'), { parallelism: 2 });
    await again.write(0, [{ kind: RowKind.INSERT, id: 1, v: 10 }, { kind: RowKind.UPDATE_BEFORE, id: 1, v: 10 }, { kind: RowKind.UPDATE_BEFORE, id: 2, v: 20 }]);
    await again.write(1, [{ kind: RowKind.INSERT, id: 2, v: 20 }, { kind: RowKind.UPDATE_AFTER, id: 1, v: 11 }, { kind: RowKind.UPDATE_AFTER, id: 2, v: 21 }]);
    await again.checkpoint(1);
    await again.subtasks[1]!.notifyCheckpointComplete(1);
    await again.subtasks[0]!.notifyCheckpointComplete(1); // the deletes last: no row left
    await again.close();
    expect(await ch.rows('SELECT id, v FROM spread2 FINAL WHERE _is_deleted = 0 ORDER BY id')).toEqual([]);

    // Keyed (every row of a key in one subtask, as the SQL sink requires): the latest row of each key wins whatever
    // order the subtasks commit in, a restore's re-commit included, across checkpoints and at end of input.
    await table('keyed');
    const keyed = await SinkDriver.start(sink('keyed'), { parallelism: 2 });
    const pairs = (id: number, from: number, to: number): Change[] => [
      { kind: RowKind.UPDATE_BEFORE, id, v: from },
      { kind: RowKind.UPDATE_AFTER, id, v: to },
    ];
    await keyed.write(0, [{ kind: RowKind.INSERT, id: 1, v: 10 }, ...pairs(1, 10, 11), { kind: RowKind.INSERT, id: 3, v: 30 }]);
    await keyed.write(1, [{ kind: RowKind.INSERT, id: 2, v: 20 }, { kind: RowKind.INSERT, id: 4, v: 40 }, ...pairs(2, 20, 21), ...pairs(4, 40, 41), ...pairs(2, 21, 22)]);
    await keyed.checkpoint(1);
    await keyed.subtasks[1]!.notifyCheckpointComplete(1);
    await keyed.subtasks[0]!.notifyCheckpointComplete(1);
    await keyed.write(0, [...pairs(1, 11, 12), { kind: RowKind.DELETE, id: 3, v: 30 }, ...pairs(1, 12, 13)]);
    await keyed.write(1, [...pairs(4, 41, 42)]);
    const cp2 = await keyed.checkpoint(2);
    await keyed.subtasks[0]!.notifyCheckpointComplete(2); // subtask 1 has not committed checkpoint 2 when the job fails
    await keyed.crash();
    const restored = await SinkDriver.start(sink('keyed'), { parallelism: 2, restore: cp2 }); // commits checkpoint 2 (again)
    await restored.write(1, [...pairs(2, 22, 23), { kind: RowKind.INSERT, id: 3, v: 33 }]);
    await restored.write(0, [...pairs(1, 13, 14)]);
    await restored.finish();
    expect(await ch.rows('SELECT id, v FROM keyed FINAL WHERE _is_deleted = 0 ORDER BY id')).toEqual([
      { id: 1, v: 14 },
      { id: 2, v: 23 },
      { id: 3, v: 33 },
      { id: 4, v: 42 },
    ]);
    // Within a key no two different rows share a version (a restore's re-commit writes the same rows again).
    expect(await ch.rows('SELECT id, _version FROM keyed GROUP BY id, _version HAVING uniqExact(v, _is_deleted) > 1')).toEqual([]);
  });

  it('exactly-once refuses a plain MergeTree on a server without deduplication, naming the table', async () => {
    await ch.query('CREATE TABLE plain (id UInt32, v Int32) ENGINE = MergeTree ORDER BY id');
    const d = await SinkDriver.start(changes('plain', { deliveryGuarantee: 'exactly-once' }));
    await d.write(0, [{ kind: RowKind.INSERT, id: 1, v: 1 }]);
    await expect(d.checkpoint(1)).rejects.toThrow(/clickhouse table 'default.plain': exactly-once needs a table that makes a re-committed batch invisible.*MergeTree on ClickHouse 18\.16/);
    await d.crash();
  });

  it('bad values: fail names the row and column; skip drops the row with a warning naming it', async () => {
    await ch.query("CREATE TABLE bad (id UInt8, d Decimal(5, 2), ts DateTime('UTC'), n Int32) ENGINE = MergeTree ORDER BY id");
    interface B {
      id: unknown;
      d: unknown;
      ts: unknown;
      n: unknown;
    }
    const warnings: string[] = [];
    const build = (policy: 'fail' | 'skip'): ClickHouseSink<B> =>
      ClickHouseSink.builder<B>()
        .url(ch.url)
        .table('bad')
        .column('id', (b) => b.id)
        .column('d', (b) => b.d)
        .column('ts', (b) => b.ts)
        .column('n', (b) => b.n)
        .with({ errorPolicy: policy, onWarning: (m) => warnings.push(m) })
        .build();
    const good: B = { id: 1, d: '123.45', ts: '2024-01-01 00:00:00', n: '7' };
    const cases: [B, RegExp][] = [
      [{ ...good, d: '1234.5' }, /row \d+ \(.*\): column 'd': "1234.5" is out of the range of Decimal\(5, 2\)/],
      [{ ...good, d: '1.234' }, /column 'd': "1.234" has more than 2 decimal places/],
      [{ ...good, d: 0.1 }, /column 'd': 0.1 is not exact as Decimal\(5, 2\)/],
      [{ ...good, ts: '2024-02-30 00:00:00' }, /column 'ts': "2024-02-30 00:00:00" is not a valid date-time/],
      [{ ...good, ts: 'yesterday' }, /column 'ts': "yesterday" is not a date-time/],
      [{ ...good, n: 'abc' }, /column 'n': "abc" is not a number \(Int32\)/],
      [{ ...good, id: 256 }, /column 'id': 256 is out of the range of UInt8/],
      [{ ...good, n: null }, /column 'n': NULL cannot be written into Int32/],
    ];
    for (const [row, message] of cases) {
      const d = await SinkDriver.start(build('fail'));
      await expect(d.write(0, [good, row]).then(() => d.finish())).rejects.toThrow(message);
      await d.crash();
    }
    expect(await ch.rows('SELECT count() AS n FROM bad')).toEqual([{ n: '0' }]);
    const d = await SinkDriver.start(build('skip'));
    await d.write(0, [good, ...cases.map(([r]) => r), { ...good, id: 2 }]);
    await d.finish();
    expect(await ch.rows('SELECT id FROM bad ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(warnings).toHaveLength(cases.length);
    expect(warnings[0]).toMatch(/clickhouse table 'default.bad': row 2 \(\+I id=1, d="1234.5", .*\): column 'd'.*skipped/);
  });

  it('a server-side error names the table and the batch; the password is in no message', async () => {
    await ch.query('CREATE TABLE gone (id UInt32, v Int32) ENGINE = MergeTree ORDER BY id');
    const sink = changes('gone', { username: 'writer', password: WRITER_PASSWORD, batchSize: 2, maxRetries: 0 });
    const d = await SinkDriver.start(sink);
    await d.write(0, [{ kind: RowKind.INSERT, id: 1, v: 1 }]);
    await d.checkpoint(1); // the metadata is loaded, the table exists
    await ch.query('DROP TABLE gone');
    let error: Error | undefined;
    try {
      await d.write(0, [1, 2, 3].map((id) => ({ kind: RowKind.INSERT, id, v: id })));
      await d.finish();
    } catch (e) {
      error = e as Error;
    }
    await d.crash();
    expect(error?.message).toMatch(/clickhouse table 'default.gone': inserting batch \d+ of subtask 0 \(\d rows\) on http:\/\/127\.0\.0\.1:\d+: .*(doesn't exist|does not exist).*\(code 60\)/s);
    const wrong = changes('repl', { username: 'writer', password: `${WRITER_PASSWORD}-wrong`, maxRetries: 0 });
    const w = await SinkDriver.start(wrong);
    let auth: Error | undefined;
    try {
      await w.write(0, [{ kind: RowKind.INSERT, id: 1, v: 1 }]);
      await w.finish();
    } catch (e) {
      auth = e as Error;
    }
    await w.crash();
    expect(auth?.message).toMatch(/clickhouse table 'default.repl'/);
    for (const e of [error!, auth!]) {
      expect(`${e.message} ${e.stack} ${String((e as { cause?: Error }).cause?.message)}`).not.toContain(WRITER_PASSWORD);
    }
    expect(sink.toString()).not.toContain(WRITER_PASSWORD);
  });

  it('escapes identifiers: a table and a column named with quotes, backquotes and backslashes', async () => {
    await ch.query("CREATE TABLE `we\\`ird 'tbl\\\\` (`i\\`d` UInt32, `v'` String) ENGINE = MergeTree ORDER BY `i\\`d`");
    const sink = new ClickHouseSink<[number, string]>({ url: ch.url, table: "we`ird 'tbl\\", rows: { columns: ['i`d', "v'"], value: (r, i) => r[i] } });
    const d = await SinkDriver.start(sink);
    await d.write(0, [[1, "'); DROP TABLE x; --"], [2, '`']]);
    await d.finish();
    expect(await ch.rows("SELECT * FROM `we\\`ird 'tbl\\\\` ORDER BY `i\\`d`")).toEqual([
      { 'i`d': 1, "v'": "'); DROP TABLE x; --" },
      { 'i`d': 2, "v'": '`' },
    ]);
  });

  it('back-pressure: with every batch in flight and the next one full, isAvailable holds the input', async () => {
    await ch.query('CREATE TABLE bp (id UInt32, v Int32) ENGINE = MergeTree ORDER BY id');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserts = 0;
    const sink = changes('bp', {
      batchSize: 10,
      maxInFlightBatches: 2,
      nodeFactory: (config) => {
        const node = httpClickHouseNodeFactory(config);
        const slow: ClickHouseNode = {
          address: node.address,
          command: (s) => node.command(s),
          query: (s) => node.query(s),
          insert: async (stmt, body, settings) => {
            inserts++;
            await gate;
            return node.insert(stmt, body, settings);
          },
          close: () => node.close(),
        };
        return slow;
      },
    });
    const d = await SinkDriver.start(sink);
    const writer = d.subtasks[0]!.writer as unknown as { write(c: Change): void; isAvailable(): Promise<void> | undefined; flush(end: boolean): Promise<void> };
    // Wait for the metadata, then fill two batches (in flight) and a third (waiting).
    await writer.flush(false);
    for (let i = 0; i < 30; i++) writer.write({ kind: RowKind.INSERT, id: i, v: i });
    while (inserts < 2) await new Promise((r) => setTimeout(r, 10));
    expect(inserts).toBe(2);
    const blocked = writer.isAvailable();
    expect(blocked).toBeInstanceOf(Promise);
    release();
    await blocked;
    await writer.flush(false);
    expect(writer.isAvailable()).toBeUndefined();
    expect(await ch.rows('SELECT count() AS n FROM bp')).toEqual([{ n: '30' }]);
    await d.finish();
  });
});
