// The data of the Kafka end-to-end tests, shared by the test (which computes the oracle) and the script that runs
// inside Mokapi's network namespace (which produces it): deterministic JSON events with Kafka timestamps, and CDC
// messages whose final state is known.

/** Epoch milliseconds of the first event (a whole second, so windows start there). */
export const BASE_TS = 1_700_000_000_000;

/** One event: its partition, Kafka timestamp and JSON value. */
export interface WindowEvent {
  readonly partition: number;
  readonly timestamp: number;
  readonly uid: string;
  readonly amount: number;
}

/** `count` events spread round robin over `partitions`, 37 ms apart. */
export function windowEvents(count: number, partitions: number): WindowEvent[] {
  return Array.from({ length: count }, (_, i) => ({ partition: i % partitions, timestamp: BASE_TS + i * 37, uid: `u${i % 5}`, amount: (i * 7) % 11 }));
}

/** The rows of a 1 s tumbling window count and sum per uid: `uid|window start ms|count|sum`, sorted. */
export function windowOracle(events: readonly WindowEvent[]): string[] {
  const per = new Map<string, [number, number]>();
  for (const e of events) {
    const key = `${e.uid}|${e.timestamp - (e.timestamp % 1000)}`;
    const agg = per.get(key) ?? [0, 0];
    per.set(key, [agg[0] + 1, agg[1] + e.amount]);
  }
  return [...per].map(([key, [c, s]]) => `${key}|${c}|${s}`).sort();
}

/** debezium-json messages: id 1 inserted then updated to (y, 12), id 2 inserted then deleted, id 3 read (snapshot). */
export const DEBEZIUM_MESSAGES: readonly unknown[] = [
  { op: 'c', after: { id: 1, name: 'x', amount: 10 } },
  { op: 'c', after: { id: 2, name: 'y', amount: 5 } },
  { op: 'u', before: { id: 1, name: 'x', amount: 10 }, after: { id: 1, name: 'y', amount: 12 } },
  { op: 'd', before: { id: 2, name: 'y', amount: 5 } },
  { op: 'r', after: { id: 3, name: 'x', amount: 1 } },
];

/** canal-json messages with the same outcome. */
export const CANAL_MESSAGES: readonly unknown[] = [
  { type: 'INSERT', database: 'db', table: 't', data: [{ id: 1, name: 'x', amount: 10 }, { id: 2, name: 'y', amount: 5 }] },
  { type: 'UPDATE', database: 'db', table: 't', data: [{ id: 1, name: 'y', amount: 12 }], old: [{ name: 'x', amount: 10 }] },
  { type: 'DELETE', database: 'db', table: 't', data: [{ id: 2, name: 'y', amount: 5 }] },
  { type: 'INSERT', database: 'db', table: 't', data: [{ id: 3, name: 'x', amount: 1 }] },
];

/** `name|count|sum` per name after the CDC messages, sorted. */
export const CDC_RESULT: readonly string[] = ['x|1|1', 'y|1|12'];
