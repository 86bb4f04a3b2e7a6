// The in-memory cluster the source, sink and upsert-kafka tests run against: it must behave as the client interface
// says (offset lookups, group commits, fetchers that wait and respect their buffer, transactions visible only once
// committed, fencing), or those tests prove nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaClientError, type KafkaClient } from '../../src/client/kafka-client.js';
import { InMemoryKafka, inMemoryKafkaClientFactory, murmur2 } from '../support/in-memory-kafka.js';

const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

describe('InMemoryKafka', () => {
  const clients: KafkaClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
  });
  async function connected(cluster: InMemoryKafka): Promise<KafkaClient> {
    const c = cluster.createClient();
    clients.push(c);
    await c.connect();
    return c;
  }

  it('hashes keys as Kafka does (murmur2 vectors of the Java client)', () => {
    const enc = new TextEncoder();
    expect(murmur2(enc.encode('0'))).toBe(971027396);
    expect(murmur2(enc.encode('1'))).toBe(-1993445489);
    expect(murmur2(enc.encode('128'))).toBe(-326012175);
    expect(murmur2(enc.encode('100:48069'))).toBe(1009543857);
  });

  it('looks up offsets: earliest, latest, by timestamp, committed', async () => {
    const k = new InMemoryKafka().createTopic('t', 2);
    k.append('t', 0, [10, 20, 30].map((ts) => ({ value: `v${ts}`, timestamp: ts })));
    k.deleteRecordsBefore('t', 0, 1);
    const c = await connected(k);
    const tps = await c.partitionsFor(['t']);
    expect(tps).toEqual([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    expect(await c.earliestOffsets(tps)).toEqual(new Map([['t-0', 1], ['t-1', 0]]));
    expect(await c.latestOffsets(tps)).toEqual(new Map([['t-0', 3], ['t-1', 0]]));
    expect(await c.offsetsForTimestamp(tps, 15)).toEqual(new Map([['t-0', 1], ['t-1', 0]]));
    expect(await c.offsetsForTimestamp(tps, 31)).toEqual(new Map([['t-0', 3], ['t-1', 0]]));
    await c.commitOffsets('g', [{ topic: 't', partition: 1, offset: 0 }]);
    expect(await c.committedOffsets('g', tps)).toEqual(new Map([['t-0', undefined], ['t-1', 0]]));
    await expect(c.partitionsFor(['nope'])).rejects.toMatchObject({ kind: 'configuration' });
  });

  it('fetchers wait for data, read from their positions and never return more than their buffer', async () => {
    const k = new InMemoryKafka().createTopic('t', 2);
    const c = await connected(k);
    const f = c.createFetcher({ maxBufferedRecords: 3 });
    f.assign([{ topic: 't', partition: 0, offset: 1 }, { topic: 't', partition: 1, offset: 0 }]);
    const waiting = f.poll(100, 5_000);
    setTimeout(() => k.appendValues('t', 0, ['a', 'b', 'c', 'd', 'e']), 10);
    const batches = await waiting;
    expect(batches.flatMap((b) => b.records.map((r) => [b.partition, r.offset, text(r.value)]))).toEqual([
      [0, 1, 'b'],
      [0, 2, 'c'],
      [0, 3, 'd'],
    ]);
    expect(batches[0]!.highWatermark).toBe(5);
    const rest = await f.poll(100, 100);
    expect(rest.flatMap((b) => b.records.map((r) => r.offset))).toEqual([4]);
    expect(await f.poll(100, 20)).toEqual([]);
    f.unassign([{ topic: 't', partition: 0 }]);
    k.appendValues('t', 0, ['f']);
    expect(await f.poll(100, 20)).toEqual([]);
    await f.close();
    expect(k.stats.fetchersOpen).toBe(0);
  });

  it('producers partition by key (murmur2) and transactions become visible only when committed', async () => {
    const k = new InMemoryKafka().createTopic('t', 4);
    const c = await connected(k);
    const plain = c.createProducer({ idempotent: true });
    await plain.connect();
    await plain.send([{ topic: 't', key: '100:48069', value: 'x' }]);
    expect(k.records('t', (1009543857 & 0x7fffffff) % 4)).toHaveLength(1);

    const tx = c.createProducer({ idempotent: true, transactionalId: 'tx-1' });
    expect(plain.beginTransaction).toBeUndefined();
    await tx.connect();
    await tx.beginTransaction!();
    await tx.send([{ topic: 't', partition: 0, key: null, value: 'in-tx' }]);
    expect(k.valuesOf('t', 0)).not.toContain('in-tx');
    expect(k.openTransactions()).toEqual(['tx-1']);
    await tx.commitTransaction!();
    expect(k.valuesOf('t', 0)).toContain('in-tx');

    // A lingering transaction is aborted by the next producer with the same id, and the old producer is fenced.
    await tx.beginTransaction!();
    await tx.send([{ topic: 't', partition: 0, key: null, value: 'lost' }]);
    const next = c.createProducer({ idempotent: true, transactionalId: 'tx-1' });
    await next.connect();
    expect(k.openTransactions()).toEqual([]);
    await expect(tx.commitTransaction!()).rejects.toBeInstanceOf(KafkaClientError);
    expect(k.valuesOf('t', 0)).not.toContain('lost');
  });

  it('finds clusters by bootstrap server, injects faults and counts open clients', async () => {
    const k = new InMemoryKafka().createTopic('t');
    const c = inMemoryKafkaClientFactory({ brokers: [k.bootstrap], clientId: 'x', properties: {} });
    await expect(c.listTopics()).rejects.toThrow(/before connect/);
    await c.connect();
    expect(k.stats.clientsOpen).toBe(1);
    k.failNext('listTopics');
    await expect(c.listTopics()).rejects.toMatchObject({ kind: 'retriable' });
    expect(await c.listTopics()).toEqual(['t']);
    await c.close();
    await c.close();
    expect(k.stats.clientsOpen).toBe(0);
    expect(() => inMemoryKafkaClientFactory({ brokers: ['nowhere:9092'], clientId: 'x', properties: {} })).toThrow(/no in-memory Kafka cluster/);
    k.dispose();
  });
});
