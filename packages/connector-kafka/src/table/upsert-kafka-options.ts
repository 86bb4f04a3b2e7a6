// The options of the `upsert-kafka` connector (Flink's `UpsertKafkaDynamicTableFactory`): `topic`, the servers and
// `properties.*`, the key and value formats (both required; the key is the primary key), `key.fields-prefix`,
// `value.fields-include`, the sink's parallelism, delivery guarantee, transactional id prefix and buffer flushing.
// There is no `key.fields` (the primary key is the key) and no startup mode (an upsert table is read from the
// earliest offset, since the topic's history is the table). `parseUpsertKafkaTable` checks them, with Flink's rules:
// a PRIMARY KEY is required, buffering needs both flush options above zero.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import type { TableFactoryContext } from '@runnel/api/table';
import { KAFKA_OPTIONS, KAFKA_PROPERTIES_PREFIX, KafkaOptions } from '../kafka-options.js';

/**
 * The option declarations of the `upsert-kafka` connector that differ from the `kafka` connector's.
 *
 * @public
 */
export const UpsertKafkaOptions = {
  topic: defineOption({
    key: 'topic',
    type: 'list',
    required: true,
    description: 'The topic to read from and write to (reading takes several, separated by `;`).',
  }),
  keyFormat: defineOption({
    key: 'key.format',
    type: 'string',
    required: true,
    description: 'The format of the record keys, which hold the PRIMARY KEY columns. Its options go under `key.<format>.`.',
  }),
  valueFormat: defineOption({
    key: 'value.format',
    type: 'string',
    fallbackKeys: ['format'],
    required: true,
    description: 'The format of the record values (an insert-only format: `json`, `csv`, `raw`, ...); a tombstone is a delete.',
  }),
} as const;

/**
 * Every option of the `upsert-kafka` connector (Flink's keys).
 *
 * @public
 */
export const UPSERT_KAFKA_OPTIONS: OptionSet = [
  UpsertKafkaOptions.topic,
  KafkaOptions.bootstrapServers,
  UpsertKafkaOptions.keyFormat,
  KafkaOptions.keyFieldsPrefix,
  UpsertKafkaOptions.valueFormat,
  KafkaOptions.valueFieldsInclude,
  KafkaOptions.sinkParallelism,
  KafkaOptions.sinkBufferFlushMaxRows,
  KafkaOptions.sinkBufferFlushInterval,
  KafkaOptions.deliveryGuarantee,
  KafkaOptions.transactionalIdPrefix,
  {
    prefix: KAFKA_PROPERTIES_PREFIX,
    description: 'Kafka client settings, as in Flink (security settings, `client.id`, ...), handed to the client without the prefix.',
  },
];

/**
 * The declarations the shared Kafka table source and sink read an upsert table with: the `kafka` connector's, with an
 * upsert table's fixed reading (from the earliest offset, unbounded). Options outside {@link UPSERT_KAFKA_OPTIONS}
 * are refused before these are used, so the extra declarations only supply defaults.
 *
 * @internal
 */
export const UPSERT_KAFKA_READ_OPTIONS: OptionSet = KAFKA_OPTIONS.map((o) => {
  if ('key' in o && o.key === KafkaOptions.startupMode.key) return { ...KafkaOptions.startupMode, defaultValue: 'earliest-offset' };
  if ('key' in o && o.key === KafkaOptions.keyFormat.key) return UpsertKafkaOptions.keyFormat;
  return o;
});

/**
 * What an upsert table adds to a Kafka table: its key (the primary key) and the sink's buffering.
 *
 * @internal
 */
export interface UpsertKafkaTable {
  readonly where: string;
  readonly primaryKey: readonly string[];
  /** Both above zero, or undefined (no buffering). */
  readonly bufferFlush: { readonly maxRows: number; readonly intervalMs: number } | undefined;
}

/**
 * Checks an upsert table's options against Flink's list and rules.
 *
 * @throws ConfigurationError for an unknown or missing option, a missing primary key or half-set buffer flushing
 * @internal
 */
export function parseUpsertKafkaTable(context: TableFactoryContext): UpsertKafkaTable {
  const where = `upsert-kafka table '${context.tableName}'`;
  const valueFormat = context.options['value.format'] ?? context.options['format'];
  const keyFormat = context.options['key.format'];
  const formatPrefixes = [
    valueFormat === undefined ? undefined : context.options['value.format'] !== undefined ? `value.${valueFormat}.` : `${valueFormat}.`,
    keyFormat === undefined ? undefined : `key.${keyFormat}.`,
  ].filter((p): p is string => p !== undefined);
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(context.options)) {
    if (k !== 'connector' && !formatPrefixes.some((p) => k.startsWith(p))) own[k] = v;
  }
  const o = parseOptions(UPSERT_KAFKA_OPTIONS, own, { context: where });
  const pk = context.schema.primaryKey?.columns ?? [];
  if (pk.length === 0) {
    throw new ConfigurationError(
      `${where}: 'upsert-kafka' tables require to define a PRIMARY KEY constraint. The PRIMARY KEY specifies which columns should be read from or write to the Kafka message key. The PRIMARY KEY also defines records in the 'upsert-kafka' table should update or delete on which keys.`,
    );
  }
  const prefix = o.get(KafkaOptions.keyFieldsPrefix);
  const physical = context.schema.columns.filter((c) => c.kind === 'physical').map((c) => c.name);
  for (const c of pk) {
    if (!physical.includes(c)) throw new ConfigurationError(`${where}: the PRIMARY KEY column '${c}' must be a physical column (physical columns: ${physical.join(', ')})`);
    if (!c.startsWith(prefix)) {
      throw new ConfigurationError(`${where}: the PRIMARY KEY column '${c}' must start with the prefix '${prefix}' of 'key.fields-prefix' (the key format sees the name without it)`, 'key.fields-prefix');
    }
  }
  const maxRows = o.get(KafkaOptions.sinkBufferFlushMaxRows);
  const intervalMs = o.get(KafkaOptions.sinkBufferFlushInterval);
  if ((maxRows > 0) !== (intervalMs > 0)) {
    throw new ConfigurationError(
      `${where}: 'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' must be set to be greater than zero together to enable sink buffer flushing.`,
      maxRows > 0 ? 'sink.buffer-flush.interval' : 'sink.buffer-flush.max-rows',
    );
  }
  return { where, primaryKey: pk, bufferFlush: maxRows > 0 ? { maxRows, intervalMs } : undefined };
}
