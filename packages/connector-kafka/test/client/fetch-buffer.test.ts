// The fetcher's bounded buffer: capacity, splitting takes, dropping a partition, and the half-drain hysteresis.
import { describe, expect, it } from 'vitest';
import type { FetchedBatch, KafkaRecord } from '../../src/client/kafka-client.js';
import { FetchBuffer } from '../../src/client/fetch-buffer.js';

function batch(partition: number, from: number, count: number): FetchedBatch {
  const records: KafkaRecord[] = Array.from({ length: count }, (_, i) => ({
    offset: from + i,
    timestamp: 0,
    timestampType: 'CreateTime',
    key: null,
    value: null,
    headers: [],
  }));
  return { topic: 't', partition, highWatermark: from + count, records };
}

const offsets = (batches: readonly FetchedBatch[]) => batches.map((b) => [b.partition, b.records.map((r) => r.offset)]);

describe('FetchBuffer', () => {
  it('takes at most maxRecords, splitting a batch', () => {
    const buffer = new FetchBuffer(10);
    buffer.push(batch(0, 0, 3));
    buffer.push(batch(1, 0, 4));
    expect(buffer.size).toBe(7);
    expect(buffer.room).toBe(3);
    expect(offsets(buffer.take(5))).toEqual([
      [0, [0, 1, 2]],
      [1, [0, 1]],
    ]);
    expect(offsets(buffer.take(5))).toEqual([[1, [2, 3]]]);
    expect(buffer.size).toBe(0);
  });

  it('drops the records of one partition', () => {
    const buffer = new FetchBuffer(10);
    buffer.push(batch(0, 0, 2));
    buffer.push(batch(1, 0, 2));
    buffer.push(batch(0, 2, 2));
    buffer.drop('t-0');
    expect(buffer.size).toBe(2);
    expect(offsets(buffer.take(10))).toEqual([[1, [0, 1]]]);
  });

  it('holds fetches once full until drained to half', async () => {
    const buffer = new FetchBuffer(10);
    await buffer.waitForRoom();
    buffer.push(batch(0, 0, 10));
    let room = false;
    void buffer.waitForRoom().then(() => (room = true));
    buffer.take(4);
    await Promise.resolve();
    expect(room).toBe(false);
    buffer.take(1);
    await Promise.resolve();
    expect(room).toBe(true);
  });

  it('waits for records until pushed, timed out or interrupted', async () => {
    const buffer = new FetchBuffer(10);
    const started = Date.now();
    await buffer.waitForRecords(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    const waiting = buffer.waitForRecords(10_000);
    buffer.push(batch(0, 0, 1));
    await waiting;
    buffer.take(1);
    const interrupted = buffer.waitForRecords(10_000);
    buffer.interrupt();
    await interrupted;
  });

  it('rejects a capacity below 1', () => {
    expect(() => new FetchBuffer(0)).toThrow(RangeError);
  });
});
