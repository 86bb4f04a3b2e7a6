// The same sink against a current ClickHouse (chdb 3.4.0, ClickHouse 26.x in-process, through @clickhouse/client's
// connection hook): the seeds' metric end to end in SQL equals the oracle, as on 18.16; the types 18.16 lacks
// (DateTime64 with a zone, Map, Bool, Date32, LowCardinality(Nullable)) are written exactly; and exactly-once on a
// plain MergeTree with `non_replicated_deduplication_window` uses insert deduplication tokens, so a re-commit after
// a restore adds no row even without FINAL. chdb is ~550 MB, so it is installed on demand under RUNNEL_TEST_FULL=1
// (see test/support/chdb.ts); without it these tests are skipped with a note.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlSession } from '@runnel/sql';
import { RowKind } from '@runnel/api/table';
import { SinkDriver } from '@runnel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseSink } from '../../src/sink/clickhouse-sink.js';
import type { ClickHouseNode } from '../../src/client/clickhouse-node.js';
import { CHDB_SKIP_NOTE, loadChdb } from '../support/chdb.js';
import { clickhouseTables, oracle, removeTempDirs, RESULT_QUERIES, seedEvents, seedsScript, writeEvents } from '../support/seeds-metric.js';
import { chdbPluginPath, chdbSession } from './chdb-plugin.js';

const available = loadChdb() !== undefined;
if (!available) console.log(`clickhouse-chdb tests skipped: ${CHDB_SKIP_NOTE}`);

(available ? describe : describe.skip)('clickhouse sink on a current ClickHouse (chdb in-process)', () => {
  let node: ClickHouseNode;
  let path: string;
  let pluginParent: string;
  const q = async (sql: string): Promise<string[]> => (await node.query<{ r: string }>(sql)).map((x) => x.r);

  beforeAll(async () => {
    path = mkdtempSync(join(tmpdir(), 'runnel-chdb-'));
    pluginParent = mkdtempSync(join(tmpdir(), 'runnel-chdb-plugins-'));
    process.env['RUNNEL_CHDB_TEST_PATH'] = path;
    node = chdbSession(path).node;
  });
  afterAll(async () => {
    await chdbSession(path).close();
    rmSync(path, { recursive: true, force: true });
    rmSync(pluginParent, { recursive: true, force: true });
    removeTempDirs();
  });

  it('the seeds metric in SQL: the documented queries equal the oracle', async () => {
    const [v] = await node.query<{ v: string }>('SELECT version() AS v');
    console.log(`chdb: ClickHouse ${v!.v}`);
    for (const ddl of clickhouseTables()) await node.command(ddl);
    const events = seedEvents(3_000);
    const expected = oracle(events);
    const session = new SqlSession({
      config: { 'parallelism.default': '2', 'execution.target': 'local', 'table.local-time-zone': 'UTC' },
      pluginSearchPath: [chdbPluginPath(pluginParent)],
    });
    await session.executeScript(seedsScript(writeEvents(events, 2), 'http://chdb.invalid:8123', { 'sink.batch-size': '500' }), async (_s, r) => {
      if (r.kind === 'job') await r.client.getJobExecutionResult();
    });
    expect({ cumulative: await q(RESULT_QUERIES.cumulative), totals: await q(RESULT_QUERIES.totals), small: await q(RESULT_QUERIES.small) }).toEqual(expected);
  });

  it('types 18.16 lacks: DateTime64 in a zone, Map, Bool, Date32, LowCardinality(Nullable), Decimal(38, 10)', async () => {
    await node.command(
      "CREATE TABLE new_types (id UInt32, t DateTime64(3, 'Asia/Tokyo'), local DateTime64(6, 'America/New_York'), m Map(String, UInt32), b Bool, d32 Date32, lc LowCardinality(Nullable(String)), dec Decimal(38, 10)) ENGINE = MergeTree ORDER BY id",
    );
    interface E {
      id: number;
      t: number;
      local: string;
      m: Map<string, number>;
      b: boolean;
      d32: string;
      lc: string | null;
      dec: unknown;
    }
    const b = ClickHouseSink.builder<E>().url('http://chdb.invalid:8123').table('new_types').with({ nodeFactory: chdbSession(path).factory, flushIntervalMs: 0 });
    for (const c of ['id', 't', 'local', 'm', 'b', 'd32', 'lc', 'dec'] as const) b.column(c, (e) => e[c]);
    const d = await SinkDriver.start(b.build());
    await d.write(0, [
      { id: 1, t: Date.UTC(2024, 0, 1, 0, 0, 0, 123), local: '2024-03-10 02:30:00.123456', m: new Map([['a', 1], ['b"', 2]]), b: true, d32: '1900-01-01', lc: null, dec: { unscaled: 123456789012345678901234567890n, scale: 10 } },
      { id: 2, t: -1, local: '2024-11-03 01:30:00', m: new Map(), b: false, d32: '2299-12-31', lc: 'x', dec: '-0.0000000001' },
    ]);
    await d.finish();
    const rows = await node.query(
      "SELECT id, toString(t) AS tt, toUnixTimestamp64Milli(t) AS tm, toString(local) AS lt, toUnixTimestamp64Micro(local) AS lu, m, b, toString(d32) AS dt, lc, toString(dec) AS dd FROM new_types ORDER BY id",
    );
    // chdb prints 64-bit integers unquoted.
    expect(rows.map((r) => ({ ...r, tm: Number(r['tm']), lu: Number(r['lu']) }))).toEqual([
      // 02:30 does not exist in New York on 2024-03-10: moved forward by the gap (03:30 EDT).
      { id: 1, tt: '2024-01-01 09:00:00.123', tm: Date.UTC(2024, 0, 1, 0, 0, 0, 123), lt: '2024-03-10 03:30:00.123456', lu: Date.UTC(2024, 2, 10, 7, 30) * 1000 + 123456, m: { a: 1, 'b"': 2 }, b: true, dt: '1900-01-01', lc: null, dd: '12345678901234567890.123456789' },
      // 01:30 happens twice in New York on 2024-11-03: the earlier instant (EDT).
      { id: 2, tt: '1970-01-01 08:59:59.999', tm: -1, lt: '2024-11-03 01:30:00.000000', lu: Date.UTC(2024, 10, 3, 5, 30) * 1000, m: {}, b: false, dt: '2299-12-31', lc: 'x', dd: '-0.0000000001' },
    ]);
  });

  it('exactly-once on a MergeTree with non_replicated_deduplication_window: a re-commit is deduplicated by token', async () => {
    await node.command('CREATE TABLE eo_plain (id UInt32, v Int32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100');
    interface C {
      id: number;
      v: number;
    }
    const sink = ClickHouseSink.builder<C>()
      .url('http://chdb.invalid:8123')
      .table('eo_plain')
      .column('id', (c) => c.id)
      .column('v', (c) => c.v)
      .rowKind(() => RowKind.INSERT)
      .with({ nodeFactory: chdbSession(path).factory, deliveryGuarantee: 'exactly-once', batchSize: 4 })
      .build();
    const d = await SinkDriver.start(sink);
    await d.write(0, Array.from({ length: 10 }, (_, i) => ({ id: i, v: i })));
    const cp1 = await d.checkpoint(1);
    await d.complete(1);
    await d.crash();
    for (let i = 0; i < 2; i++) await (await SinkDriver.start(sink, { restore: cp1 })).close();
    await new Promise((r) => setTimeout(r, 100));
    const [r] = await node.query<{ n: string; s: string }>('SELECT count() AS n, sum(v) AS s FROM eo_plain');
    expect([Number(r!.n), Number(r!.s)]).toEqual([10, 45]);
  });
});
