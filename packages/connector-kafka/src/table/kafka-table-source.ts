// The `kafka` connector as a SQL table source (Flink's `KafkaDynamicSource`): reads the table's topics (`topic`
// or `topic-pattern`, with partition discovery) through the Kafka source, from where `scan.startup.mode` says and,
// with `scan.bounded.mode`, to where it says (then the scan ends). Values are decoded by the value format
// (`value.format` or `format`), keys by `key.format` for the `key.fields` columns; the planner's decoders apply the
// format's error policy, so a malformed record fails the job, is skipped or is dead-lettered with its position
// (`topic/partition, offset n`). The changelog is the value format's: a CDC format (`debezium-json`, `canal-json`)
// gives updates and deletes. Metadata columns read Flink's keys (`topic`, `partition`, `offset`, `timestamp`,
// `timestamp-type`, `headers`, `leader-epoch`) and, prefixed `value.`, the value format's metadata (a
// `debezium-json` value's `value.source.table`, `value.ingestion-timestamp`, as in Flink). A table's options serve
// reading and writing alike: the sink's are accepted here and not used.
import { ConfigurationError, closestKey, type OptionSet } from '@runnel/api/config';
import type { Source } from '@runnel/api/connector';
import {
  physicalRowType,
  UPSERT,
  type ChangelogMode,
  type DeadLetter,
  type LogicalType,
  type Row,
  type RowType,
  type ScanRequest,
  type TableFactoryContext,
  type TableSource,
} from '@runnel/api/table';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { KAFKA_OPTIONS, KafkaOptions, parseKafkaTableOptions, type KafkaTableOptions } from '../kafka-options.js';
import type { KafkaEnumeratorState } from '../source/kafka-enumerator-state.js';
import type { KafkaPartitionSplit } from '../source/kafka-partition-split.js';
import { KafkaSource } from '../source/kafka-source.js';
import type { KafkaSubscription } from '../source/kafka-source-enumerator.js';
import { describeOffsetsInitializer, type OffsetsInitializer } from '../source/offsets-initializer.js';
import { kafkaKeyValueFields, type KafkaKeyValueFields } from './kafka-key-value-fields.js';
import { KafkaTableSourceDecoder, type KafkaColumnSource, type KafkaMetadataSource } from './kafka-table-source-decoder.js';
import { isKafkaReadableMetadataKey, KAFKA_READABLE_METADATA } from './kafka-table-source-metadata.js';
import { kafkaTableOffsets } from './kafka-table-source-offsets.js';

/** The prefix of the value format's metadata keys (Flink's). */
const VALUE_METADATA_PREFIX = 'value.';

/**
 * How a variant of the Kafka table source differs (`upsert-kafka` reuses the source with its own options).
 *
 * @public
 */
export interface KafkaTableSourceVariant {
  /** The connector's name in messages; default `kafka`. */
  readonly connector?: string;
  /** The connector's option declarations; default the `kafka` connector's. */
  readonly options?: OptionSet;
  /** The key fields when they do not come from `key.fields` (upsert-kafka: the primary key). */
  readonly keyFields?: readonly string[];
  /** Tombstones are deletes of their key and the changelog is an upsert one. */
  readonly upsert?: boolean;
}

/**
 * The `kafka` table source.
 *
 * @public
 */
export class KafkaTableSource implements TableSource {
  readonly changelogMode: ChangelogMode;
  /** The connector's metadata and the value format's, prefixed `value.`. */
  readonly readableMetadata: Readonly<Record<string, LogicalType>>;
  readonly bounded: boolean;
  /**
   * `scan.parallelism`, when given. The table-source contract has no field for it yet, so it is offered here for a
   * planner that looks for it; without one the source runs at the job's parallelism.
   */
  readonly parallelism: number | undefined;
  private readonly table: KafkaTableOptions;
  private readonly physical: RowType;
  private readonly fields: KafkaKeyValueFields;
  private readonly starting: OffsetsInitializer;
  private readonly stopping: OffsetsInitializer | undefined;
  private readonly subscription: KafkaSubscription;
  private readonly upsert: boolean;

  /** Validates the table's options, key fields and formats (the decoders are made once, to check them). */
  constructor(
    private readonly context: TableFactoryContext,
    private readonly clientFactory: KafkaClientFactory,
    variant: KafkaTableSourceVariant = {},
  ) {
    const t = parseKafkaTableOptions(context.tableName, context.options, variant.connector ?? 'kafka', variant.options ?? KAFKA_OPTIONS);
    this.table = t;
    this.upsert = variant.upsert ?? false;
    if (t.topicPattern !== undefined) this.subscription = { topicPattern: t.topicPattern };
    else if (t.topics !== undefined) this.subscription = { topics: t.topics };
    else throw new ConfigurationError(`${t.where}: either 'topic' or 'topic-pattern' must be set`, 'topic');
    const offsets = kafkaTableOffsets(t);
    this.starting = offsets.starting;
    this.stopping = offsets.stopping;
    this.bounded = this.stopping !== undefined;
    this.parallelism = t.options.getOptional(KafkaOptions.scanParallelism);
    this.physical = physicalRowType(context.schema);
    this.fields = kafkaKeyValueFields(t.where, this.physical, variant.keyFields ?? t.keyFields, t.keyFieldsPrefix, t.valueFieldsInclude);
    const value = context.decoder(this.fields.valueType, t.valueFormatKey);
    const formatMetadata = context.formatMetadata?.(t.valueFormatKey) ?? {};
    this.readableMetadata = {
      ...KAFKA_READABLE_METADATA,
      ...Object.fromEntries(Object.entries(formatMetadata).map(([k, type]) => [`${VALUE_METADATA_PREFIX}${k}`, type])),
    };
    if (this.fields.keyIndexes.length > 0) context.decoder(this.fields.keyType, 'key.format');
    this.changelogMode = this.upsert ? UPSERT : value.changelogMode;
  }

  createSource(request: ScanRequest): Source<Row | DeadLetter, KafkaPartitionSplit, KafkaEnumeratorState> {
    const { table: t, context, physical, fields } = this;
    const names = physical.fields.map((f) => f.name);
    const columns: KafkaColumnSource[] = request.physicalType.fields.map((f) => {
      const i = names.indexOf(f.name);
      if (i < 0) {
        const near = closestKey(f.name, names);
        throw new ConfigurationError(`${t.where}: no physical column '${f.name}'${near === undefined ? '' : ` (did you mean '${near}'?)`}`);
      }
      return { value: fields.valueIndexes.indexOf(i), key: fields.keyIndexes.indexOf(i) };
    });
    // Record metadata comes from the record; the value format's comes after the value row's fields, in the order
    // asked for here.
    const valueMetadataKeys: string[] = [];
    const metadata = request.metadataKeys.map((k): KafkaMetadataSource => {
      if (isKafkaReadableMetadataKey(k)) return k;
      if (k.startsWith(VALUE_METADATA_PREFIX) && Object.hasOwn(this.readableMetadata, k)) {
        valueMetadataKeys.push(k.slice(VALUE_METADATA_PREFIX.length));
        return { valueField: fields.valueType.fields.length + valueMetadataKeys.length - 1 };
      }
      throw new ConfigurationError(`${t.where}: no metadata '${k}'; the table has ${Object.keys(this.readableMetadata).join(', ')}`);
    });
    // The value row is the output when the key is not read and the value holds the requested columns in order.
    const valueIsOutput =
      fields.keyIndexes.length === 0 && columns.length === fields.valueIndexes.length && columns.every((c, i) => c.value === i);
    // As in Flink, the key is decoded whenever the table has key fields (its format's error policy applies to it).
    const hasKey = fields.keyIndexes.length > 0;
    const upsert = this.upsert;
    const properties = t.properties;
    const commit = properties['commit.offsets.on.checkpoint'];
    return new KafkaSource<Row | DeadLetter>({
      clientFactory: this.clientFactory,
      brokers: t.brokers,
      properties,
      subscription: this.subscription,
      groupId: t.groupId,
      startingOffsets: this.starting,
      stoppingOffsets: this.stopping,
      partitionDiscoveryIntervalMs: t.options.get(KafkaOptions.partitionDiscoveryInterval),
      commitOffsetsOnCheckpoint: commit === undefined ? undefined : commit.trim().toLowerCase() === 'true',
      // One decoder per reader: formats may keep state, which is never shared between subtasks.
      createDeserializer: () =>
        new KafkaTableSourceDecoder({
          keyDecoder: hasKey ? context.decoder(fields.keyType, 'key.format') : undefined,
          valueDecoder: context.decoder(fields.valueType, t.valueFormatKey, valueMetadataKeys.length === 0 ? undefined : valueMetadataKeys),
          columns,
          valueIsOutput,
          metadata,
          upsert,
        }).deserialize,
    });
  }

  summary(): string {
    const t = this.table;
    const topics = t.topics !== undefined ? `topic=[${t.topics.join(', ')}]` : `topic-pattern=${t.options.get(KafkaOptions.topicPattern)}`;
    const key = t.keyFormat === undefined ? '' : `, key.format=${t.keyFormat}, key.fields=[${this.fields.keyType.fields.map((f) => f.name).join(', ')}]`;
    const bounded = this.stopping === undefined ? '' : `, bounded=${describeOffsetsInitializer(this.stopping)}`;
    return `Kafka(${topics}, format=${t.valueFormat}${key}, startup=${describeOffsetsInitializer(this.starting)}${bounded})`;
  }
}
