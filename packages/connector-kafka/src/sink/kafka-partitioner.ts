// How the sink chooses a record's partition (`sink.partitioner`, Flink's `FlinkKafkaPartitioner`): `default` is
// Kafka's own (murmur2 of the key; records without a key stick to one partition per batch and move on round robin,
// as Kafka's sticky partitioner), `fixed` sends everything of a subtask to one partition (subtask index modulo the
// partitions, as Flink's `FlinkFixedPartitioner`), `round-robin` spreads records over all partitions whatever their
// key (Kafka's `RoundRobinPartitioner`), and any other name is looked up among the partitioners registered with
// `registerPartitioner`. The writer partitions records itself, so placement does not depend on the client library.
import { ConfigurationError } from '@runnel/api/config';
import type { OutgoingRecord } from '../client/kafka-client.js';
import { partitionForKey } from './murmur2.js';

/**
 * Where a partitioner runs: the sink subtask it belongs to.
 *
 * @public
 */
export interface KafkaPartitionerContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
}

/**
 * Chooses the partition of each record of one sink subtask.
 *
 * @public
 */
export interface KafkaPartitioner {
  /** A partition in `[0, numPartitions)` of the record's topic (`numPartitions` is at least 1). */
  partition(record: OutgoingRecord, numPartitions: number): number;
  /** Called before each batch the writer sends (Kafka's sticky partitioning moves on here). */
  onNewBatch?(): void;
}

/**
 * Makes the partitioner of one sink subtask; it may keep state (a counter). A plain function is a partitioner
 * without batch hook.
 *
 * @example
 * ```ts
 * registerPartitioner('by-region', () => (record, n) => regionOf(record) % n);
 * ```
 *
 * @public
 */
export type KafkaPartitionerFactory = (context: KafkaPartitionerContext) => KafkaPartitioner | KafkaPartitioner['partition'];

/** Kafka's default: murmur2 of the key; without a key, one partition per batch, moving round robin. */
const defaultPartitioner: KafkaPartitionerFactory = ({ subtaskIndex }) => {
  let sticky = subtaskIndex;
  return {
    partition: (record, n) => (record.key === null ? sticky % n : partitionForKey(record.key, n)),
    onNewBatch: () => {
      sticky++;
    },
  };
};

/** Flink's `FlinkFixedPartitioner`: subtask i writes to partition i modulo the partitions. */
const fixedPartitioner: KafkaPartitionerFactory = ({ subtaskIndex }) => (_record, n) => subtaskIndex % n;

/** Kafka's `RoundRobinPartitioner`: every record to the next partition, keys ignored. */
const roundRobinPartitioner: KafkaPartitionerFactory = ({ subtaskIndex }) => {
  let next = subtaskIndex;
  return (_record, n) => next++ % n;
};

const BUILT_IN: ReadonlyMap<string, KafkaPartitionerFactory> = new Map([
  ['default', defaultPartitioner],
  ['fixed', fixedPartitioner],
  ['round-robin', roundRobinPartitioner],
]);

// Per thread, like the job code that registers into it (workers run the job code, so they register too).
const registered = new Map<string, KafkaPartitionerFactory>();

/**
 * Registers a custom partitioner under a name, for `'sink.partitioner' = '<name>'` (Flink takes a class name there).
 * Register before the job is built; the job code runs again in every worker, so registering at its top level reaches
 * them all.
 *
 * @throws Error when the name is a built-in one (`default`, `fixed`, `round-robin`) or empty
 * @public
 */
export function registerPartitioner(name: string, factory: KafkaPartitionerFactory): void {
  if (name === '' || BUILT_IN.has(name)) throw new Error(`cannot register a partitioner named '${name}': it is ${name === '' ? 'empty' : 'built in'}`);
  if (typeof factory !== 'function') throw new TypeError(`partitioner '${name}': expected a factory function`);
  registered.set(name, factory);
}

/**
 * The names `sink.partitioner` accepts now: the built-in ones, then the registered ones.
 *
 * @public
 */
export function partitionerNames(): string[] {
  return [...BUILT_IN.keys(), ...registered.keys()];
}

/**
 * The factory of a partitioner given by name or as a factory.
 *
 * @throws ConfigurationError for an unknown name, listing the known ones
 * @internal
 */
export function resolvePartitioner(partitioner: string | KafkaPartitionerFactory | undefined): KafkaPartitionerFactory {
  if (partitioner === undefined) return defaultPartitioner;
  if (typeof partitioner === 'function') return partitioner;
  const found = BUILT_IN.get(partitioner) ?? registered.get(partitioner);
  if (found === undefined) {
    throw new ConfigurationError(
      `unknown sink.partitioner '${partitioner}' (known: ${partitionerNames().join(', ')}; register custom ones with registerPartitioner)`,
      'sink.partitioner',
    );
  }
  return found;
}

/**
 * Opens a partitioner for one subtask, normalised to the object form and checked on every call.
 *
 * @internal
 */
export function openPartitioner(factory: KafkaPartitionerFactory, context: KafkaPartitionerContext): Required<KafkaPartitioner> {
  const made = factory(context);
  const partition = typeof made === 'function' ? made : made.partition.bind(made);
  const onNewBatch = typeof made === 'function' ? () => {} : (made.onNewBatch?.bind(made) ?? (() => {}));
  return {
    partition(record, n) {
      const p = partition(record, n);
      if (!Number.isInteger(p) || p < 0 || p >= n) {
        throw new RangeError(`the partitioner chose partition ${String(p)} of topic '${record.topic}', which has ${n} partitions`);
      }
      return p;
    },
    onNewBatch,
  };
}
