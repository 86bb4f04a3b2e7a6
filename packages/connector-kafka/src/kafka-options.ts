// The options of the `kafka` connector, declared as data with Flink's keys, defaults and value syntax (Flink's
// `KafkaConnectorOptions`), so that a Flink DDL ports unchanged and one declaration set validates a table whether it
// is read, written or both: the scan options, the sink options (`sink.partitioner`, `sink.delivery-guarantee` and
// its deprecated spelling `sink.semantic`, `sink.transactional-id-prefix`, `sink.parallelism`, the upsert
// `sink.buffer-flush.*`) and `properties.*`, handed to the Kafka client. `parseKafkaTableOptions` reads what source
// and sink share (topics, servers, formats, key fields); each side checks its own options.
import { ConfigurationError, defineOption, parseOptions, type OptionSet, type ParsedOptions } from '@runnel/api/config';

/**
 * The option declarations of the `kafka` connector (Flink's keys).
 *
 * @public
 */
export const KafkaOptions = {
  topic: defineOption({
    key: 'topic',
    type: 'list',
    description:
      'Topic(s) to read from, separated by `;` (`topic-1;topic-2`); the topic to write to (with several, the `topic` ' +
      'metadata column picks one of them). Exactly one of `topic` and `topic-pattern` is set for a source.',
  }),
  topicPattern: defineOption({
    key: 'topic-pattern',
    type: 'string',
    description:
      'A regular expression of the topics to read: every topic whose whole name matches it, including topics created ' +
      'later when partition discovery is on.',
  }),
  bootstrapServers: defineOption({
    key: 'properties.bootstrap.servers',
    type: 'string',
    required: true,
    description: 'The Kafka brokers to connect to, `host:port` separated by commas.',
  }),
  groupId: defineOption({
    key: 'properties.group.id',
    type: 'string',
    description:
      'The consumer group of the source: its committed offsets are where `group-offsets` starts, and the source commits ' +
      'the offsets of each completed checkpoint to it (for monitoring; positions live in checkpoints).',
  }),
  autoOffsetReset: defineOption({
    key: 'properties.auto.offset.reset',
    type: 'enum',
    values: ['earliest', 'latest', 'none'],
    defaultValue: 'none',
    description:
      'With `scan.startup.mode` = `group-offsets`: where a partition without a committed offset starts (`none`: the ' +
      'job fails naming the partition).',
  }),
  valueFormat: defineOption({
    key: 'value.format',
    type: 'string',
    fallbackKeys: ['format'],
    required: true,
    description:
      'The format of the record values (`json`, `csv`, `raw`, `debezium-json`, `canal-json`, ...); `format` is the ' +
      'same option. The format\'s options go under its name (`json.fail-on-missing-field`, or ' +
      '`value.json.fail-on-missing-field` with `value.format`).',
  }),
  keyFormat: defineOption({
    key: 'key.format',
    type: 'string',
    description: 'The format of the record keys; needs `key.fields`. Its options go under `key.<format>.`.',
  }),
  keyFields: defineOption({
    key: 'key.fields',
    type: 'list',
    defaultValue: [],
    description: 'The physical columns (`a;b`) that make up the record key, in the key format; empty: no key.',
  }),
  keyFieldsPrefix: defineOption({
    key: 'key.fields-prefix',
    type: 'string',
    defaultValue: '',
    description:
      'A prefix of the key columns\' names that the key format does not see (`k_id` is `id` in the key), to avoid ' +
      'clashes with value fields; needs `value.fields-include` = `EXCEPT_KEY`.',
  }),
  valueFieldsInclude: defineOption({
    key: 'value.fields-include',
    type: 'enum',
    values: ['ALL', 'EXCEPT_KEY'],
    defaultValue: 'ALL',
    description: '`ALL`: the value holds every physical column; `EXCEPT_KEY`: the value holds the columns that are not key fields.',
  }),
  startupMode: defineOption({
    key: 'scan.startup.mode',
    type: 'enum',
    values: ['earliest-offset', 'latest-offset', 'group-offsets', 'timestamp', 'specific-offsets'],
    defaultValue: 'group-offsets',
    description:
      'Where the source starts in each partition: the earliest retained offset, the end, the group\'s committed offset ' +
      '(see `properties.auto.offset.reset`), the first record at `scan.startup.timestamp-millis`, or ' +
      '`scan.startup.specific-offsets`. Partitions found later by discovery start at their earliest offset.',
  }),
  startupSpecificOffsets: defineOption({
    key: 'scan.startup.specific-offsets',
    type: 'string',
    description:
      'With `specific-offsets` (one topic): `partition:0,offset:42;partition:1,offset:300`. Partitions not listed start ' +
      'at the group\'s committed offset, else at the earliest.',
  }),
  startupTimestampMillis: defineOption({
    key: 'scan.startup.timestamp-millis',
    type: 'long',
    min: 0,
    description: 'With `timestamp`: milliseconds since the epoch.',
  }),
  boundedMode: defineOption({
    key: 'scan.bounded.mode',
    type: 'enum',
    values: ['unbounded', 'latest-offset', 'group-offsets', 'timestamp', 'specific-offsets'],
    defaultValue: 'unbounded',
    description:
      'Where a bounded source stops in each partition (it ends when all partitions are read to there): the end ' +
      'offset or the group\'s committed offset when the partition is discovered, the first record at ' +
      '`scan.bounded.timestamp-millis`, or `scan.bounded.specific-offsets` (partitions not listed are not read).',
  }),
  boundedSpecificOffsets: defineOption({
    key: 'scan.bounded.specific-offsets',
    type: 'string',
    description: 'With bounded mode `specific-offsets` (one topic): `partition:0,offset:42;partition:1,offset:300` (exclusive).',
  }),
  boundedTimestampMillis: defineOption({
    key: 'scan.bounded.timestamp-millis',
    type: 'long',
    min: 0,
    description: 'With bounded mode `timestamp`: milliseconds since the epoch (records from then on are not read).',
  }),
  partitionDiscoveryInterval: defineOption({
    key: 'scan.topic-partition-discovery.interval',
    type: 'duration',
    defaultValue: 5 * 60_000,
    description:
      'How often the source looks for new partitions (and, with `topic-pattern`, new topics); `0` disables it. ' +
      'A bounded source discovers once.',
  }),
  scanParallelism: defineOption({
    key: 'scan.parallelism',
    type: 'int',
    min: 1,
    defaultDescription: 'the job\'s parallelism',
    description: 'The parallelism of the source.',
  }),
  sinkPartitioner: defineOption({
    key: 'sink.partitioner',
    type: 'string',
    defaultValue: 'default',
    description:
      'How rows go to partitions: `default` (the key\'s hash, or spread when there is no key), `fixed` (each sink ' +
      'subtask writes to one partition), `round-robin` (without `key.fields`), or the name of a custom partitioner.',
  }),
  deliveryGuarantee: defineOption({
    key: 'sink.delivery-guarantee',
    type: 'enum',
    values: ['none', 'at-least-once', 'exactly-once'],
    defaultValue: 'at-least-once',
    deprecatedKeys: ['sink.semantic'],
    description:
      '`none`: records may be lost or duplicated; `at-least-once`: flushed at every checkpoint; `exactly-once`: ' +
      'written in transactions committed when the checkpoint completes (needs `sink.transactional-id-prefix`).',
  }),
  transactionalIdPrefix: defineOption({
    key: 'sink.transactional-id-prefix',
    type: 'string',
    description: 'With `exactly-once`: the prefix of the sink\'s transactional ids, unique per job on the cluster.',
  }),
  sinkParallelism: defineOption({
    key: 'sink.parallelism',
    type: 'int',
    min: 1,
    defaultDescription: 'the parallelism of the sink\'s input',
    description: 'The parallelism of the sink.',
  }),
  sinkBufferFlushMaxRows: defineOption({
    key: 'sink.buffer-flush.max-rows',
    type: 'int',
    defaultValue: 0,
    min: 0,
    description:
      'upsert-kafka: rows buffered (the last one per key) before a flush; `0` disables buffering. Buffering needs ' +
      'both this and `sink.buffer-flush.interval` above zero.',
  }),
  sinkBufferFlushInterval: defineOption({
    key: 'sink.buffer-flush.interval',
    type: 'duration',
    defaultValue: 0,
    description: 'upsert-kafka: the longest time rows stay buffered; `0` disables buffering.',
  }),
} as const;

/**
 * The prefix of the options handed to the Kafka client (`properties.bootstrap.servers`, ...).
 *
 * @public
 */
export const KAFKA_PROPERTIES_PREFIX = 'properties.';

/**
 * Every option of the `kafka` connector.
 *
 * @public
 */
export const KAFKA_OPTIONS: OptionSet = [
  ...Object.values(KafkaOptions),
  {
    prefix: KAFKA_PROPERTIES_PREFIX,
    description:
      'Kafka client settings, as in Flink (`properties.client.id.prefix`, `properties.commit.offsets.on.checkpoint`, ' +
      'security settings, ...), handed to the client without the prefix.',
  },
];

/**
 * The options of a Kafka table that its source and sink share, read and checked.
 *
 * @public
 */
export interface KafkaTableOptions {
  /** `kafka table 'name'`, the start of every message about the table. */
  readonly where: string;
  /** Every option, typed. */
  readonly options: ParsedOptions;
  /** `topic`, when given. */
  readonly topics: readonly string[] | undefined;
  /** `topic-pattern`, when given (the whole topic name must match). */
  readonly topicPattern: RegExp | undefined;
  /** The bootstrap servers, `host:port` each. */
  readonly brokers: readonly string[];
  /** `properties.group.id`, when given. */
  readonly groupId: string | undefined;
  /** `properties.*` without the prefix (bootstrap servers and group id included), as text. */
  readonly properties: Readonly<Record<string, string>>;
  /** The option that names the value format: `value.format`, or `format` when that is how it was given. */
  readonly valueFormatKey: 'value.format' | 'format';
  readonly valueFormat: string;
  readonly keyFormat: string | undefined;
  /** `key.fields`, as written (with the prefix). */
  readonly keyFields: readonly string[];
  readonly keyFieldsPrefix: string;
  readonly valueFieldsInclude: 'ALL' | 'EXCEPT_KEY';
}

const FORMAT_ID = /^[a-z0-9][\w.-]*$/i;

/**
 * Reads the options of a Kafka table (all of them, `connector` and the formats' own options included: those are left
 * to the formats) and checks what source and sink share: topics, servers, formats and key fields. Unknown keys fail
 * with the valid ones listed.
 *
 * @param connector - the connector's name in messages (`kafka`, `upsert-kafka`)
 * @param declarations - the connector's option set (default {@link KAFKA_OPTIONS})
 * @throws ConfigurationError naming the table and the option
 * @public
 */
export function parseKafkaTableOptions(
  tableName: string,
  all: Readonly<Record<string, string>>,
  connector = 'kafka',
  declarations: OptionSet = KAFKA_OPTIONS,
): KafkaTableOptions {
  const where = `${connector} table '${tableName}'`;
  const valueFormatKey = all['value.format'] !== undefined ? 'value.format' : 'format';
  const valueFormat = all[valueFormatKey]?.trim();
  const keyFormat = all['key.format']?.trim();
  // A format's own options are the format's to check: `<format>.x`, `value.<format>.x`, `key.<format>.x`.
  const formatPrefixes = [
    valueFormat !== undefined && valueFormatKey === 'format' ? `${valueFormat}.` : undefined,
    valueFormat !== undefined && valueFormatKey === 'value.format' ? `value.${valueFormat}.` : undefined,
    keyFormat !== undefined ? `key.${keyFormat}.` : undefined,
  ].filter((p): p is string => p !== undefined && p.length > 1);
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key === 'connector' || formatPrefixes.some((p) => key.startsWith(p))) continue;
    own[key] = value;
  }
  const options = parseOptions(declarations, own, { context: where });

  for (const [key, format] of [[valueFormatKey, valueFormat], ['key.format', keyFormat]] as const) {
    if (format !== undefined && !FORMAT_ID.test(format)) {
      throw new ConfigurationError(`${where}: option '${key}': '${format}' is not a format identifier`, key);
    }
  }
  if (all['value.format'] !== undefined && all['format'] !== undefined) {
    throw new ConfigurationError(`${where}: options 'format' and 'value.format' are the same option; set one of them`, 'format');
  }

  const has = (o: { key: string }): boolean => declarations.some((d) => 'key' in d && d.key === o.key);
  const topics = has(KafkaOptions.topic) ? options.getOptional(KafkaOptions.topic) : undefined;
  const patternText = has(KafkaOptions.topicPattern) ? options.getOptional(KafkaOptions.topicPattern) : undefined;
  if (topics !== undefined && (topics.length === 0 || topics.some((t) => t.trim() === ''))) {
    throw new ConfigurationError(`${where}: option 'topic' must name topics ('a' or 'a;b'), got '${all['topic'] ?? ''}'`, 'topic');
  }
  if (topics !== undefined && patternText !== undefined) {
    throw new ConfigurationError(`${where}: options 'topic' and 'topic-pattern' must not both be set`, 'topic-pattern');
  }
  let topicPattern: RegExp | undefined;
  if (patternText !== undefined) {
    try {
      // Java's Pattern.matcher(topic).matches(): the whole name must match.
      topicPattern = new RegExp(`^(?:${patternText})$`, 'u');
    } catch (e) {
      throw new ConfigurationError(`${where}: option 'topic-pattern': '${patternText}' is not a regular expression: ${(e as Error).message}`, 'topic-pattern');
    }
  }

  const bootstrap = options.get(KafkaOptions.bootstrapServers) ?? '';
  const brokers = bootstrap.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (brokers.length === 0) {
    throw new ConfigurationError(`${where}: option 'properties.bootstrap.servers' must name at least one broker (host:port)`, 'properties.bootstrap.servers');
  }
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(own)) {
    if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) properties[key.slice(KAFKA_PROPERTIES_PREFIX.length)] = String(value);
  }
  const groupId = has(KafkaOptions.groupId) ? options.getOptional(KafkaOptions.groupId) : undefined;

  const keyFields = (has(KafkaOptions.keyFields) ? options.get(KafkaOptions.keyFields) : undefined) ?? [];
  const keyFieldsPrefix = (has(KafkaOptions.keyFieldsPrefix) ? options.get(KafkaOptions.keyFieldsPrefix) : undefined) ?? '';
  const valueFieldsInclude = (has(KafkaOptions.valueFieldsInclude) ? options.get(KafkaOptions.valueFieldsInclude) : undefined) ?? 'ALL';
  if (keyFormat !== undefined && keyFields.length === 0 && connector === 'kafka') {
    throw new ConfigurationError(`${where}: option 'key.format' needs 'key.fields': the physical columns that make up the key`, 'key.fields');
  }
  if (keyFields.length > 0 && keyFormat === undefined) {
    throw new ConfigurationError(`${where}: option 'key.fields' needs 'key.format': the format of the key`, 'key.format');
  }
  if (keyFieldsPrefix !== '' && valueFieldsInclude !== 'EXCEPT_KEY') {
    throw new ConfigurationError(`${where}: option 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY'`, 'value.fields-include');
  }
  return {
    where,
    options,
    topics,
    topicPattern,
    brokers,
    groupId,
    properties,
    valueFormatKey,
    valueFormat: valueFormat ?? '',
    keyFormat,
    keyFields,
    keyFieldsPrefix,
    valueFieldsInclude: valueFieldsInclude as 'ALL' | 'EXCEPT_KEY',
  };
}
