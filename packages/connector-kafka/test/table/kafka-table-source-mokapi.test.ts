// The Kafka table source end to end against a real Kafka-protocol server (Mokapi in its own network namespace, see
// test/support/mokapi.ts), with the package's kafkajs client and SQL jobs on worker threads; the Kafka code runs in
// kafka-table-source-mokapi-job.ts inside the namespace, and these tests check what it wrote and printed:
//  - JSON events produced to a topic with 4 partitions -> CREATE TABLE ... WITH ('connector' = 'kafka') -> a window
//    aggregation -> the exactly-once filesystem sink: the files equal the oracle;
//  - debezium-json and canal-json topics into a retracting aggregation;
//  - one partition receives nothing: windows still fire (idleness); a partition added while running (Mokapi reloads
//    its spec with more partitions) is picked up and its windows close.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMokapi, type Mokapi } from '../support/mokapi.js';
import { BASE_TS, CDC_RESULT, windowEvents, windowOracle } from './kafka-table-source-mokapi-events.js';
import { waitFor } from '../source/source-fixtures.js';

const JOB = fileURLToPath(new URL('./kafka-table-source-mokapi-job.ts', import.meta.url));
const TOPICS = [
  { name: 'e2e-events', partitions: 4 },
  { name: 'e2e-debezium', partitions: 1 },
  { name: 'e2e-canal', partitions: 1 },
  { name: 'e2e-sparse', partitions: 2 },
];

let mokapi: Mokapi;

beforeAll(async () => {
  mokapi = await startMokapi({ topics: TOPICS });
});

afterAll(async () => {
  await mokapi?.stop();
});

async function step<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const result = await mokapi.run(JOB, args, {}, { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`${args.join(' ')} failed (${result.code ?? result.signal}):\n${result.stderr.slice(-4000)}\n--- Mokapi log:\n${mokapi.log().slice(-2000)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as T;
}

/**
 * Grows a topic by rewriting the AsyncAPI spec Mokapi watches (it reloads the file and adds the partitions, keeping
 * the records). The harness writes the spec to `<dir>/spec/asyncapi.json` next to the namespace file `<dir>/netns`.
 */
function growTopic(name: string, partitions: number): void {
  const spec = join(dirname(mokapi.netns), 'spec', 'asyncapi.json');
  const doc = JSON.parse(readFileSync(spec, 'utf8')) as { channels: Record<string, { address: string; bindings: { kafka: { partitions: number } } }> };
  const channel = Object.values(doc.channels).find((c) => c.address === name);
  if (channel === undefined) throw new Error(`no channel for topic '${name}' in ${spec}`);
  channel.bindings.kafka.partitions = partitions;
  writeFileSync(spec, JSON.stringify(doc, null, 2));
}

// The jobs run in child processes inside Mokapi's namespace and wait for windows and partitions themselves (up to
// 60 s for the first window alone): the test allows them that on a loaded 2-core CI machine.
describe('kafka table source against Mokapi', { timeout: 240_000 }, () => {
  it('4 partitions of JSON events -> a window aggregation -> the exactly-once filesystem sink equals the oracle', async () => {
    const count = 3_000;
    expect(await step(['produce-windows', 'e2e-events', '4', String(count)])).toEqual({ produced: count });
    const dir = mkdtempSync(join(tmpdir(), 'runnel-kafka-e2e-out-'));
    const out = join(dir, 'out');
    const r = await step<{ checkpoints: number; restarts: number }>(['windows-to-files', 'e2e-events', out, join(dir, 'checkpoints')]);
    expect(r.restarts).toBe(0);
    const rows = readdirSync(out)
      .filter((f) => !f.startsWith('.'))
      .flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as { uid: string; window_start: string; n: number; total: number })
      .map((l) => `${l.uid}|${Date.parse(l.window_start.replace(' ', 'T'))}|${l.n}|${l.total}`)
      .sort();
    expect(rows).toEqual(windowOracle(windowEvents(count, 4)));
  });

  it.each([
    ['debezium-json', 'e2e-debezium', 'debezium'],
    ['canal-json', 'e2e-canal', 'canal'],
  ])('a %s changelog topic into a retracting aggregation', async (format, topic, kind) => {
    await step(['produce-cdc', topic, kind]);
    expect(await step(['changelog', topic, format])).toEqual({ rows: CDC_RESULT });
  });

  it('a silent partition does not stop windows (idleness)', async () => {
    // Partition 0: events over 3 s; partition 1: nothing.
    await step(['produce-sparse', 'e2e-sparse', '0', '0', '2900', '100']);
    const state = mkdtempSync(join(tmpdir(), 'runnel-kafka-e2e-state-'));
    const watch = mokapi.spawn(JOB, ['watch', 'e2e-sparse', state], {}, { timeoutMs: 400_000 });
    const fired = join(state, 'windows-fired');
    await Promise.race([
      waitFor(() => existsSync(fired), 60_000, 'the first window'),
      watch.result.then((r) => {
        throw new Error(`watch ended early (${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}`);
      }),
    ]);
    growTopic('e2e-sparse', 3);
    writeFileSync(join(state, 'grown'), '');
    // Mokapi reloads the spec within a second or two. A produce request that lands while it reloads is acknowledged
    // but not stored (seen in 1 of 5 runs: the producer got its acks, and a plain kafkajs consumer and ListOffsets
    // showed the new partition empty); so the test checks the partition's latest offset and produces again only when
    // nothing arrived.
    const records = 31;
    let stored = 0;
    let attempts = 0;
    for (; attempts < 20 && stored < records; attempts++) {
      const result = await mokapi.run(JOB, ['produce-sparse', 'e2e-sparse', '2', '10000', '13000', '100'], {}, { timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (result.code === 0) stored = (await step<{ offset: number | null }>(['latest-offset', 'e2e-sparse', '2'])).offset ?? 0;
    }
    console.log(`added partition: its ${stored} records stored after ${attempts} produce attempt(s)`);
    expect(stored).toBe(records);
    const result = await watch.result;
    if (result.code !== 0) throw new Error(`watch failed (${result.code ?? result.signal}):\n${result.stderr.slice(-4000)}`);
    const r = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as { firedAfterMs: number; rows: string[]; grown: boolean };
    expect(r.grown).toBe(true);
    // Partition 0's first windows closed by its own watermark while partition 1 stays idle.
    expect(r.rows).toContain(`0|${BASE_TS}|10`);
    expect(r.rows.some((row) => row.startsWith('1|'))).toBe(false);
    // The partition added while running (2) was discovered and its first window closed by its own watermark.
    expect(r.rows).toContain(`2|${BASE_TS + 10_000}|10`);
  }, 420_000);
});
