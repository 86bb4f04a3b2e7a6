// Shared pieces of the sink tests: a cluster with a topic, a JSON serializer keyed by an id, and what a topic holds.
import type { KafkaClientFactory, KafkaProducer, OutgoingRecord } from '../../src/client/kafka-client.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';

export interface Event {
  readonly id: number;
  readonly key?: string | null;
}

/** A cluster with topic `events` of `partitions` partitions. */
export function clusterWith(partitions = 3, topic = 'events'): InMemoryKafka {
  return new InMemoryKafka().createTopic(topic, partitions);
}

/** Events as JSON values, keyed by `key` (absent: no key). */
export const jsonSerializer = (e: Event) => ({ key: e.key ?? null, value: JSON.stringify(e) });

/** The events of every partition of a topic (committed records only: the cluster appends at commit). */
export function eventsIn(cluster: InMemoryKafka, topic = 'events'): Event[] {
  const out: Event[] = [];
  for (let p = 0; p < cluster.partitionCount(topic); p++) for (const v of cluster.valuesOf(topic, p)) if (v !== null) out.push(JSON.parse(v) as Event);
  return out;
}

/** Ids of the events of a topic, sorted. */
export const idsIn = (cluster: InMemoryKafka, topic = 'events'): number[] => eventsIn(cluster, topic).map((e) => e.id).sort((a, b) => a - b);

/** `[from, to)` as events. */
export const events = (from: number, to: number, key?: (i: number) => string | null): Event[] =>
  Array.from({ length: to - from }, (_, i) => ({ id: from + i, ...(key ? { key: key(from + i) } : {}) }));

/**
 * A client factory whose producers' sends wait for `release()` (one gate for all), counting send calls and the
 * records they carried: to observe batching and back-pressure.
 */
export function gatedFactory(cluster: InMemoryKafka): {
  factory: KafkaClientFactory;
  sends: OutgoingRecord[][];
  release(): void;
  hold(): void;
} {
  let open = true;
  let waiters: (() => void)[] = [];
  const sends: OutgoingRecord[][] = [];
  const gate = (): Promise<void> => (open ? Promise.resolve() : new Promise<void>((r) => waiters.push(r)));
  const wrap = (p: KafkaProducer): KafkaProducer => {
    const send = p.send.bind(p);
    p.send = async (records) => {
      sends.push([...records]);
      await gate();
      await send(records);
    };
    return p;
  };
  return {
    factory: (config) => {
      const client = cluster.createClient(config);
      const create = client.createProducer.bind(client);
      client.createProducer = (o) => wrap(create(o));
      return client;
    },
    sends,
    release() {
      open = true;
      const w = waiters;
      waiters = [];
      for (const r of w) r();
    },
    hold() {
      open = false;
    },
  };
}
