// From what a serializer returns to the record the client sends: the sink's topic when the serializer names none,
// no key when it gives none, and the element's event timestamp offered to the serializer only when it has one.
import type { SinkRecordContext } from '@runnel/api/connector';
import type { OutgoingRecord } from '../client/kafka-client.js';
import type { KafkaRecordSerializer } from './kafka-sink-options.js';

/**
 * Serializes one element into the record to send.
 *
 * @throws Error when neither the record nor the sink names a topic
 * @internal
 */
export function outgoingRecord<T>(serializer: KafkaRecordSerializer<T>, defaultTopic: string | undefined, element: T, context: SinkRecordContext | undefined): OutgoingRecord {
  const ts = context?.timestamp;
  const r = serializer(element, ts !== undefined && Number.isFinite(ts) ? ts : undefined);
  const topic = r.topic ?? defaultTopic;
  if (topic === undefined) throw new Error('kafka sink: the serializer returned a record without a topic and the sink has no default topic');
  if (r.topic === topic && r.key !== undefined) return r as OutgoingRecord;
  // Built field by field: an object spread with extra properties takes V8's slow path (microseconds per record).
  return { topic, partition: r.partition, key: r.key ?? null, value: r.value, headers: r.headers, timestamp: r.timestamp };
}
