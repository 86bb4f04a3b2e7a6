// The exactly-once Kafka sink against the contract, with the in-memory cluster's transactional producers as the test
// double (no broker with transactions runs here): a transaction per checkpoint, invisible until the checkpoint
// completes; idempotent re-commits; a failure and restore in the same thread (the producer of a pre-committed
// transaction outlives the attempt) and in a new process or worker thread (a client that can resume transactions commits from the
// committable's producer id and epoch; one that cannot says that the transaction's fate is unknown); lingering
// transactions of a failed run aborted on restore, at the same and at a lower parallelism; the sink conformance
// suite of @runnel/testing.
import { describeConformance, recordContext, sinkConformance, SinkDriver, testSinkWriterContext } from '@runnel/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KafkaClientFactory } from '../../src/client/kafka-client.js';
import { KafkaCommitter } from '../../src/sink/kafka-committer.js';
import { KafkaSink } from '../../src/sink/kafka-sink.js';
import type { KafkaSinkOptions } from '../../src/sink/kafka-sink-options.js';
import { kafkaCommittableSerializer, kafkaWriterStateSerializer, type KafkaCommittable } from '../../src/sink/kafka-sink-state.js';
import { liveTransactions } from '../../src/sink/live-transactions.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { ResumableTransactions } from './resumable-transactions.js';
import { clusterWith, events, idsIn, jsonSerializer, type Event } from './sink-fixtures.js';

let cluster: InMemoryKafka;
let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((m: string) => void warnings.push(m));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await liveTransactions.clear();
  cluster?.dispose();
});

const eos = (options: Partial<KafkaSinkOptions<Event>> = {}, clientFactory: KafkaClientFactory = cluster.clientFactory): KafkaSink<Event> =>
  new KafkaSink<Event>({
    bootstrapServers: cluster.bootstrap,
    topic: 'events',
    serializer: jsonSerializer,
    deliveryGuarantee: 'exactly-once',
    transactionalIdPrefix: 'job-a',
    clientFactory,
    ...options,
  });

const ids = (from: number, to: number) => events(from, to).map((e) => e.id);

/** A process death: the thread's live producers are gone (their transactions stay open on the "broker"). */
const processDies = () => liveTransactions.clear();

/**
 * What a process killed in the middle of a transaction leaves: a transaction with records, open on the "broker"
 * (a writer that is closed aborts its open transaction; a killed one cannot).
 */
async function leaveOpenTransaction(c: InMemoryKafka, transactionalId: string, values: string[]): Promise<void> {
  const p = c.createClient().createProducer({ idempotent: true, transactionalId });
  await p.connect();
  await p.beginTransaction!();
  await p.send(values.map((value) => ({ topic: 'events', key: null, value })));
  await p.close();
}

describe('exactly-once KafkaSink', () => {
  it('writes a transaction per checkpoint, named <prefix>-<subtask>-<checkpoint>, visible when the checkpoint completes', async () => {
    cluster = clusterWith(2);
    const d = await SinkDriver.start(eos(), { parallelism: 2 });
    await d.write(0, events(0, 3));
    await d.write(1, events(3, 5));
    await d.checkpoint(1);
    expect(cluster.openTransactions()).toEqual(['job-a-0-1', 'job-a-1-1']);
    await d.write(0, events(5, 7));
    expect(idsIn(cluster)).toEqual([]);
    await d.complete(1);
    expect(idsIn(cluster)).toEqual(ids(0, 5));
    // Records after barrier 1 go (after linger.ms) into the transaction that checkpoint 2 ends; subtask 1 wrote
    // nothing: no transaction.
    await vi.waitFor(() => expect(cluster.openTransactions()).toEqual(['job-a-0-2']));
    await d.checkpoint(2);
    await d.complete(2);
    expect(idsIn(cluster)).toEqual(ids(0, 7));
    await d.finish();
    expect(cluster.openTransactions()).toEqual([]);
    expect(cluster.stats.producersOpen).toBe(0);
    expect(cluster.stats.clientsOpen).toBe(0);
  });

  it('commits the end-of-input transaction at the end (without a final checkpoint)', async () => {
    cluster = clusterWith(1);
    const d = await SinkDriver.start(eos());
    await d.write(0, events(0, 4));
    await d.finish();
    expect(idsIn(cluster)).toEqual(ids(0, 4));
  });

  it('re-commits idempotently: the same committables again change nothing', async () => {
    cluster = clusterWith(1);
    const sink = eos();
    const writer = sink.createWriter(testSinkWriterContext());
    for (const e of events(0, 3)) writer.write(e, recordContext());
    await writer.flush(false);
    const committables = await writer.prepareCommit!(1);
    expect(committables).toEqual([{ transactionalId: 'job-a-0-1' }]);
    const committer = sink.createCommitter!();
    const requests = committables.map((committable) => ({ checkpointId: 1, committable }));
    await committer.commit(requests);
    await committer.commit(requests);
    expect(idsIn(cluster)).toEqual(ids(0, 3));
    expect(warnings).toEqual([]);
    await writer.close();
    await committer.close();
  });

  it('a failure after the checkpoint completed but before the commit landed: the restored committer commits (same thread)', async () => {
    cluster = clusterWith(2);
    const sink = eos();
    const d = await SinkDriver.start(sink, { parallelism: 2 });
    await d.write(0, events(0, 4));
    await d.write(1, events(4, 6));
    const cp1 = await d.checkpoint(1);
    await d.write(0, events(6, 8)); // after the barrier: replayed after the restore
    await d.crash(); // checkpoint 1 completed (its state is what we restore) but no commit ran
    expect(idsIn(cluster)).toEqual([]);
    const r = await SinkDriver.start(sink, { parallelism: 2, restore: cp1 });
    expect(idsIn(cluster)).toEqual(ids(0, 6));
    // The transaction the failed attempt had open (records 6 and 7, id job-a-0-2) was aborted.
    await r.write(0, events(6, 8));
    await r.checkpoint(2);
    await r.complete(2);
    expect(idsIn(cluster)).toEqual(ids(0, 8));
    expect(warnings).toEqual([]);
    await r.close();
  });

  it('a failure before the checkpoint completed: restored from the previous one, no duplicate becomes visible and lingering transactions are aborted', async () => {
    cluster = clusterWith(2);
    const sink = eos();
    const d = await SinkDriver.start(sink, { parallelism: 2 });
    await d.write(0, events(0, 2));
    const cp1 = await d.checkpoint(1);
    await d.complete(1);
    await d.write(0, events(2, 4));
    await d.write(1, events(4, 6));
    await d.checkpoint(2); // pre-committed, never completed
    await d.crash();
    await processDies();
    // The process was killed while subtask 1 had records 6.. in transaction job-a-1-3.
    await leaveOpenTransaction(cluster, 'job-a-1-3', ['{"id":6}']);
    expect(cluster.openTransactions()).toEqual(['job-a-0-2', 'job-a-1-2', 'job-a-1-3']);
    // The restart restores checkpoint 1 and the source replays records 2..6 into new transactions.
    const r = await SinkDriver.start(sink, { parallelism: 2, restore: cp1 });
    await r.write(0, events(0, 0)); // opening the writers aborted every lingering transaction
    await vi.waitFor(() => expect(cluster.openTransactions()).toEqual([]));
    await r.write(0, events(2, 4));
    await r.write(1, events(4, 7));
    await r.checkpoint(2);
    await r.complete(2);
    expect(idsIn(cluster)).toEqual(ids(0, 7));
    await r.close();
  });

  it('a restore at a lower parallelism aborts the lingering transactions of the subtasks that are gone', async () => {
    cluster = clusterWith(3);
    const sink = eos();
    const d = await SinkDriver.start(sink, { parallelism: 3 });
    const cp1 = await d.checkpoint(1);
    await d.complete(1);
    for (let s = 0; s < 3; s++) await d.write(s, events(s * 10, s * 10 + 2));
    await d.checkpoint(2); // never completes
    await d.crash();
    await processDies();
    expect(cluster.openTransactions()).toEqual(['job-a-0-2', 'job-a-1-2', 'job-a-2-2']);
    const r = await SinkDriver.start(sink, { parallelism: 1, restore: cp1 });
    await r.write(0, events(100, 101));
    await r.checkpoint(2);
    expect(cluster.openTransactions()).toEqual(['job-a-0-2']); // the new run's own, pre-committed
    await r.complete(2);
    expect(idsIn(cluster)).toEqual([100]);
    await r.close();
  });

  it('a fresh start with the prefix of an earlier job aborts that job\'s lingering transactions', async () => {
    cluster = clusterWith(1);
    await leaveOpenTransaction(cluster, 'job-a-0-1', ['{"id":0}']);
    await leaveOpenTransaction(cluster, 'job-a-0-4', ['{"id":1}']);
    expect(cluster.openTransactions()).toEqual(['job-a-0-1', 'job-a-0-4']);
    const fresh = await SinkDriver.start(eos(), { attemptNumber: 0 });
    await fresh.write(0, events(10, 11));
    await fresh.checkpoint(1);
    await fresh.complete(1);
    expect(idsIn(cluster)).toEqual([10]);
    // Without epochs from the client, the first `lingeringTransactionsToAbort` (5) ids are aborted.
    expect(cluster.openTransactions()).toEqual([]);
    await fresh.close();
  });

  describe('restored in a new process (or worker thread)', () => {
    it('with a client that resumes transactions: committed from the producer id and epoch of the committable', async () => {
      cluster = clusterWith(2);
      const coordinator = new ResumableTransactions(cluster);
      const sink = eos({}, coordinator.factory);
      const d = await SinkDriver.start(sink, { parallelism: 2 });
      await d.write(0, events(0, 3));
      await d.write(1, events(3, 5));
      const cp1 = await d.checkpoint(1);
      await d.crash();
      await processDies();
      expect(cluster.openTransactions()).toEqual(['job-a-0-1', 'job-a-1-1']);
      const r = await SinkDriver.start(eos({}, coordinator.factory), { parallelism: 2, restore: cp1 });
      expect(idsIn(cluster)).toEqual(ids(0, 5));
      expect(coordinator.committedAfterResume).toBe(2);
      // A second failure and restore re-commits the same committables: already committed, nothing changes.
      await r.crash();
      await processDies();
      const again = await SinkDriver.start(eos({}, coordinator.factory), { parallelism: 2, restore: cp1, attemptNumber: 2 });
      expect(idsIn(cluster)).toEqual(ids(0, 5));
      expect(coordinator.resumed).toBe(4);
      expect(warnings).toEqual([]);
      await again.close();
    });

    it('with a client that resumes: epochs bound the search for lingering transactions (Flink stops at epoch 0)', async () => {
      cluster = clusterWith(1);
      const coordinator = new ResumableTransactions(cluster);
      const d = await SinkDriver.start(eos({ lingeringTransactionsToAbort: 1 }, coordinator.factory));
      const cp1 = await d.checkpoint(1);
      await d.complete(1);
      // Five checkpoints that never complete, each with a transaction, then a crash.
      for (let c = 2; c <= 6; c++) {
        await d.write(0, events(c, c + 1));
        await d.checkpoint(c);
      }
      await d.crash();
      await processDies();
      expect(cluster.openTransactions()).toHaveLength(5);
      const r = await SinkDriver.start(eos({ lingeringTransactionsToAbort: 1 }, coordinator.factory), { restore: cp1 });
      await r.write(0, []);
      await vi.waitFor(() => expect(cluster.openTransactions()).toEqual([]));
      // Probed up to the first id never used (job-a-0-7), not beyond.
      expect(coordinator.epochOf('job-a-0-7')).toBe(0);
      expect(coordinator.epochOf('job-a-0-8')).toBeUndefined();
      await r.close();
    });

    it('a transaction fenced before the restored commit is reported lost, and the job goes on', async () => {
      cluster = clusterWith(1);
      const coordinator = new ResumableTransactions(cluster);
      const d = await SinkDriver.start(eos({}, coordinator.factory));
      await d.write(0, events(0, 2));
      const cp1 = await d.checkpoint(1);
      await d.crash();
      await processDies();
      // Someone else initialises the same transactional id (a copy of the job with the same prefix).
      const intruder = coordinator.factory({ brokers: [cluster.bootstrap], clientId: 'x', properties: {} }).createProducer({ idempotent: true, transactionalId: 'job-a-0-1' });
      await intruder.connect();
      await intruder.close();
      const r = await SinkDriver.start(eos({}, coordinator.factory), { restore: cp1 });
      expect(idsIn(cluster)).toEqual([]);
      expect(warnings.join('\n')).toMatch(/transaction 'job-a-0-1' of checkpoint 1 could not be committed after the restore, its records are lost/);
      await r.close();
    });

    it("with a client that cannot resume (kafkajs): the committable's fate is reported unknown", async () => {
      cluster = clusterWith(1);
      const d = await SinkDriver.start(eos());
      await d.write(0, events(0, 2));
      const cp1 = await d.checkpoint(1);
      await d.crash();
      await processDies();
      const r = await SinkDriver.start(eos(), { restore: cp1 });
      expect(idsIn(cluster)).toEqual([]);
      expect(warnings.join('\n')).toMatch(/transaction 'job-a-0-1' of checkpoint 1 was restored, but the Kafka client cannot resume transactions/);
      await r.close();
    });
  });

  it('retries a retriable commit failure, and fails the commit on a fatal one (kept for a restore in the same thread)', async () => {
    cluster = clusterWith(1);
    const sink = eos();
    const writer = sink.createWriter(testSinkWriterContext());
    writer.write({ id: 1 }, recordContext());
    await writer.flush(false);
    const committer = sink.createCommitter!() as KafkaCommitter;
    cluster.failNext('commitTransaction', undefined, 2);
    await committer.commit((await writer.prepareCommit!(1)).map((committable) => ({ checkpointId: 1, committable })));
    expect(idsIn(cluster)).toEqual([1]);
    writer.write({ id: 2 }, recordContext());
    await writer.flush(false);
    const second = (await writer.prepareCommit!(2)).map((committable) => ({ checkpointId: 2, committable }));
    cluster.failNext('commitTransaction', new Error('coordinator gone'));
    await expect(committer.commit(second)).rejects.toThrow("cannot commit transaction 'job-a-0-2' of checkpoint 2: coordinator gone");
    expect(liveTransactions.keys()).toEqual([`${cluster.bootstrap}|job-a-0-2`]);
    await committer.commit(second);
    expect(idsIn(cluster)).toEqual([1, 2]);
    await writer.close();
    await committer.close();
  });

  it('closing the committer waits for a commit in flight (a teardown right after a checkpoint completed)', async () => {
    cluster = clusterWith(1);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slowCommits: KafkaClientFactory = (config) => {
      const client = cluster.createClient(config);
      const create = client.createProducer.bind(client);
      client.createProducer = (o) => {
        const p = create(o);
        const commit = p.commitTransaction?.bind(p);
        if (commit !== undefined) Object.assign(p, { commitTransaction: async () => { await gate; await commit(); } });
        return p;
      };
      return client;
    };
    const sink = eos({}, slowCommits);
    const writer = sink.createWriter(testSinkWriterContext());
    writer.write({ id: 1 }, recordContext());
    await writer.flush(false);
    const committer = sink.createCommitter!();
    const commit = committer.commit((await writer.prepareCommit!(1)).map((committable) => ({ checkpointId: 1, committable })));
    let closed = false;
    const closing = Promise.resolve(committer.close()).then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    release();
    await commit;
    await closing;
    expect(idsIn(cluster)).toEqual([1]);
    await writer.close();
  });

  it('committables and writer state go through their serializers (and bad payloads are refused)', () => {
    const c: KafkaCommittable = { transactionalId: 'p-0-3', producerId: 7, epoch: 2 };
    expect(kafkaCommittableSerializer.deserialize(kafkaCommittableSerializer.serialize(c), 1)).toEqual(c);
    expect(kafkaCommittableSerializer.deserialize(kafkaCommittableSerializer.serialize({ transactionalId: 'x' }), 1)).toEqual({ transactionalId: 'x' });
    expect(() => kafkaCommittableSerializer.deserialize(new TextEncoder().encode('{"transactionalId":""}'), 1)).toThrow('invalid payload');
    expect(() => kafkaCommittableSerializer.deserialize(new TextEncoder().encode('{"transactionalId":"a","epoch":1}'), 1)).toThrow('go together');
    const s = { transactionalIdPrefix: 'p', subtask: 1, parallelism: 2 };
    expect(kafkaWriterStateSerializer.deserialize(kafkaWriterStateSerializer.serialize(s), 1)).toEqual(s);
    expect(() => kafkaWriterStateSerializer.deserialize(kafkaWriterStateSerializer.serialize(s), 2)).toThrow('cannot read version 2');
  });
});

describe('exactly-once KafkaSink conformance (in-memory transactions)', () => {
  let conformanceCluster: InMemoryKafka;
  describeConformance(
    sinkConformance<Event>({
      name: 'sink conformance',
      createSink: () => {
        conformanceCluster?.dispose();
        conformanceCluster = new InMemoryKafka().createTopic('events', 3);
        return new KafkaSink<Event>({
          bootstrapServers: conformanceCluster.bootstrap,
          topic: 'events',
          serializer: (e) => ({ key: null, value: JSON.stringify(e) }),
          deliveryGuarantee: 'exactly-once',
          transactionalIdPrefix: 'conformance',
          clientFactory: conformanceCluster.clientFactory,
        });
      },
      readCommitted: () => idsIn(conformanceCluster).map((id) => ({ id })),
      record: (i) => ({ id: i }),
      cleanup: () => liveTransactions.clear(),
    }),
    { describe, it },
  );
});

describe('at-least-once KafkaSink conformance', () => {
  let conformanceCluster: InMemoryKafka;
  describeConformance(
    sinkConformance<Event>({
      name: 'sink conformance',
      twoPhaseCommit: false,
      createSink: () => {
        conformanceCluster?.dispose();
        conformanceCluster = new InMemoryKafka().createTopic('events', 3);
        return new KafkaSink<Event>({ bootstrapServers: conformanceCluster.bootstrap, topic: 'events', serializer: jsonSerializer, clientFactory: conformanceCluster.clientFactory });
      },
      readCommitted: () => idsIn(conformanceCluster).map((id) => ({ id })),
      record: (i) => ({ id: i }),
    }),
    { describe, it },
  );
});
