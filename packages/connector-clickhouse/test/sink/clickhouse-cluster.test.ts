// Cluster writes against real ClickHouse 18.16 servers started by the test: rows routed by `sink.sharding.key` to
// each shard's local table (every row in exactly one shard, the one its key hashes to), writes through a
// `Distributed` table with its nodes as entry points, load balancing over a shard's replicas, and a replica stopped
// in the middle of a run: the sink fails over to the other replica, the run goes on, and no row is lost. Replicas
// here are plain MergeTree tables (replication needs ZooKeeper, which these machines lack), so a row lives on the
// replica that took its batch; readers read both (`remote('a,b', ...)`).
import { SinkDriver } from '@runnel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseSink } from '../../src/sink/clickhouse-sink.js';
import { clickhouseAvailable, startClickHouseCluster, type ClickHouseCluster, type ClickHouseServer } from '../support/clickhouse-server.js';

const run = clickhouseAvailable() ? describe : describe.skip;

interface Ev {
  readonly id: number;
  readonly k: string;
}

const sinkFor = (url: string, table: string, extra: Parameters<ReturnType<typeof ClickHouseSink.builder<Ev>>['with']>[0] = {}): ClickHouseSink<Ev> =>
  ClickHouseSink.builder<Ev>()
    .url(url)
    .table(table)
    .column('id', (e) => e.id)
    .column('k', (e) => e.k)
    .with({ flushIntervalMs: 0, ...extra })
    .build();

const ids = async (s: ClickHouseServer, table: string): Promise<number[]> => (await s.rows<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

run('clickhouse sink on a cluster (ClickHouse 18.16)', () => {
  let cluster: ClickHouseCluster;
  beforeAll(async () => {
    // Shard 1: two replicas; shard 2: one.
    cluster = await startClickHouseCluster({ shards: [2, 1] });
    for (const s of cluster.servers) {
      await s.query('CREATE TABLE ev_local (id UInt32, k String) ENGINE = MergeTree ORDER BY id');
      await s.query(`CREATE TABLE ev_all AS ev_local ENGINE = Distributed(${cluster.name}, default, ev_local, id)`);
    }
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('sink.sharding.key routes each row to one shard, the same shard for the same key', async () => {
    const [[a1], [b]] = [cluster.shards[0]!, cluster.shards[1]!];
    const url = `${a1!.url};${b!.url}`;
    const d = await SinkDriver.start(sinkFor(url, 'ev_local', { shardingKey: ['k'], batchSize: 100 }), { parallelism: 2 });
    const n = 2_000;
    await d.write(0, Array.from({ length: n / 2 }, (_, i) => ({ id: i, k: `key${i % 50}` })));
    await d.write(1, Array.from({ length: n / 2 }, (_, i) => ({ id: n / 2 + i, k: `key${i % 50}` })));
    await d.finish();
    const first = await a1!.rows<{ k: string; n: string }>('SELECT k, count() AS n FROM ev_local GROUP BY k');
    const second = await b!.rows<{ k: string; n: string }>('SELECT k, count() AS n FROM ev_local GROUP BY k');
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    // A key lives on one shard only, with all its rows.
    const keysA = new Set(first.map((r) => r.k));
    expect(second.filter((r) => keysA.has(r.k))).toEqual([]);
    expect(first.length + second.length).toBe(50);
    for (const r of [...first, ...second]) expect(r.n).toBe('40');
    // Read through the Distributed table: every row once.
    expect(await b!.rows('SELECT count() AS n, uniqExact(id) AS u FROM ev_all')).toEqual([{ n: String(n), u: String(n) }]);
    for (const s of cluster.servers) await s.query('TRUNCATE TABLE ev_local');
  });

  it('writes through a Distributed table, its nodes as entry points', async () => {
    const [[a1], [b]] = [cluster.shards[0]!, cluster.shards[1]!];
    const warnings: string[] = [];
    const batchSize = 250;
    const d = await SinkDriver.start(sinkFor(`${a1!.url},${b!.url}`, 'ev_all', { batchSize, onWarning: (m) => warnings.push(m) }), { parallelism: 2 });
    const n = 2_000;
    await d.write(0, Array.from({ length: n / 2 }, (_, i) => ({ id: i, k: 'x' })));
    await d.write(1, Array.from({ length: n / 2 }, (_, i) => ({ id: n / 2 + i, k: 'y' })));
    await d.finish();
    // 18.16 forwards Distributed inserts to the other shard in the background: wait until every id is there and the
    // count has not moved for a second.
    const deadline = Date.now() + 30_000;
    let seen: { n: string; u: string }[] = [];
    let last = '';
    let stableSince = Date.now();
    do {
      seen = await b!.rows<{ n: string; u: string }>('SELECT count() AS n, uniqExact(id) AS u FROM ev_all');
      const now = JSON.stringify(seen);
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (seen[0]?.u === String(n) && Date.now() - stableSince >= 1_000) break;
      await sleep(200);
    } while (Date.now() < deadline);
    // No row lost.
    expect(seen[0]?.u).toBe(String(n));
    if (warnings.length === 0) {
      // Nothing retried: every row once.
      expect(seen).toEqual([{ n: String(n), u: String(n) }]);
    } else {
      // A retried batch (at-least-once, the default): its rows may be stored twice, no more. Seen in CI: 18.16 fails a
      // first insert into a Distributed table with 'File exists' (two concurrent inserts creating its forwarding
      // directory) after writing the local shard's part; the retry on the other node writes that part again.
      console.log(`Distributed table: ${warnings.length} retried batch(es), ${Number(seen[0]!.n) - n} duplicated rows; first: ${warnings[0]}`);
      expect(Number(seen[0]!.n) - n).toBeLessThanOrEqual(warnings.length * batchSize);
    }
    // The Distributed table routed by id % 2 (its sharding key): shard 2 holds the odd ids.
    expect((await ids(b!, 'ev_local')).every((id) => id % 2 === 1)).toBe(true);
    for (const s of cluster.servers) await s.query('TRUNCATE TABLE ev_local');
  });

  it('a replica stopped during the run: batches fail over to the other replica, the run goes on, no row is lost', async () => {
    const [r1, r2] = cluster.shards[0]!;
    // A table of its own: the Distributed table of the test before may still forward rows to ev_local.
    for (const s of [r1!, r2!]) await s.query('CREATE TABLE ev_failover (id UInt32, k String) ENGINE = MergeTree ORDER BY id');
    const warnings: string[] = [];
    const d = await SinkDriver.start(sinkFor(`${r1!.url},${r2!.url}`, 'ev_failover', { batchSize: 200, maxRetries: 5, onWarning: (m) => warnings.push(m) }));
    const n = 20_000;
    let stopped = false;
    for (let i = 0; i < n; i += 500) {
      await d.write(0, Array.from({ length: 500 }, (_, j) => ({ id: i + j, k: 'r' })));
      if (i === 6_000) {
        // Both replicas took batches so far (load balancing).
        await d.checkpoint();
        expect((await ids(r1!, 'ev_failover')).length).toBeGreaterThan(0);
        expect((await ids(r2!, 'ev_failover')).length).toBeGreaterThan(0);
      }
      if (i === 10_000) {
        await r1!.stop();
        stopped = true;
      }
      if (i % 2_000 === 0) await d.checkpoint();
    }
    await d.finish();
    expect(stopped).toBe(true);
    expect(warnings.some((w) => /on another replica/.test(w) && w.includes(r1!.url))).toBe(true);
    await r1!.restart();
    const [both] = await r2!.rows<{ n: string; u: string }>(`SELECT count() AS n, uniqExact(id) AS u FROM remote('127.0.0.1:${r1!.tcpPort},127.0.0.1:${r2!.tcpPort}', default, ev_failover)`);
    // No row lost; at-least-once may duplicate a batch that was in flight when the replica went away.
    expect(Number(both!.u)).toBe(n);
    expect(Number(both!.n) - n).toBeLessThanOrEqual(2 * 200); // at most the batches in flight
    console.log(`replica failover: ${n} rows, ${both!.n} stored (${Number(both!.n) - n} duplicated), ${warnings.length} failovers; first: ${warnings[0]}`);
    const afterStop = (await ids(r2!, 'ev_failover')).filter((id) => id >= 10_500);
    expect(afterStop.length).toBe(n - 10_500); // everything after the stop went to the other replica
  });
});
