// The `kafka` connector as a SQL table sink (Flink's `KafkaDynamicSink`): each row becomes one record of the
// table's topic, its key encoded by `key.format` from the `key.fields` columns (named without `key.fields-prefix`),
// its value by the value format (`value.format` or `format`) from every physical column or, with
// `value.fields-include` = `EXCEPT_KEY`, from the others. Writable metadata columns give the record's `headers`
// (MAP<STRING, BYTES>), `timestamp` (TIMESTAMP_LTZ(3); otherwise the time of sending) and `topic` (with several
// topics in `topic`, it picks one of them; with one topic it is ignored, as in Flink). The sink accepts the
// changelog its value format writes, as Flink's sink asks its format: a CDC format (`debezium-json`, `canal-json`,
// `maxwell-json`) writes every row kind as an event, a plain one (`json`, `csv`) inserts only, so that the planner
// refuses a query with updates into it. Delivery (`sink.delivery-guarantee`), partitioning (`sink.partitioner`) and
// transactions (`sink.transactional-id-prefix`) are the DataStream `KafkaSink`'s. The `upsert-kafka` connector uses
// the same sink in upsert mode (see `upsert-kafka-table-factory.ts`): the primary key is the record key, deletes
// are tombstones, and rows may be reduced per key before they are written.
import { ConfigurationError, type OptionSet } from '@runnel/api/config';
import type { Sink } from '@runnel/api/connector';
import {
  INSERT_ONLY,
  MAX_LENGTH,
  RowKind,
  physicalRowType,
  rowKindShortString,
  type ChangelogMode,
  type LogicalType,
  type Row,
  type RowType,
  type SinkRequest,
  type TableEncoder,
  type TableFactoryContext,
  type TableSink,
} from '@runnel/api/table';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { kafkajsClientFactory } from '../client/kafkajs-client.js';
import { KAFKA_OPTIONS, KafkaOptions, parseKafkaTableOptions, type KafkaTableOptions } from '../kafka-options.js';
import { resolvePartitioner } from '../sink/kafka-partitioner.js';
import { KafkaSink } from '../sink/kafka-sink.js';
import type { DeliveryGuarantee, KafkaSinkRecord } from '../sink/kafka-sink-options.js';
import { kafkaKeyValueFields, type KafkaKeyValueFields } from './kafka-key-value-fields.js';
import { ReducingUpsertSink } from './upsert-kafka-reducing-sink.js';

const STRING: LogicalType = { root: 'VARCHAR', nullable: true, precision: MAX_LENGTH };

/**
 * Flink's writable metadata of the Kafka sink, by key.
 *
 * @public
 */
export const KAFKA_WRITABLE_METADATA: Readonly<Record<'headers' | 'timestamp' | 'topic', LogicalType>> = Object.freeze({
  headers: { root: 'MAP', nullable: true, key: STRING, element: { root: 'VARBINARY', nullable: true, precision: MAX_LENGTH } },
  timestamp: { root: 'TIMESTAMP_LTZ', nullable: true, precision: 3 },
  topic: { ...STRING, nullable: false },
});

/**
 * How a variant of the Kafka table sink differs (`upsert-kafka`).
 *
 * @public
 */
export interface KafkaTableSinkVariant {
  /** The connector's name in messages; default `kafka`. */
  readonly connector?: string;
  /** The connector's option declarations; default the `kafka` connector's. */
  readonly options?: OptionSet;
  /**
   * Upsert mode (upsert-kafka): the key fields (the primary key), deletes written as tombstones, -U dropped, and
   * with `bufferFlush` rows reduced per key before they are written.
   */
  readonly upsert?: {
    readonly keyFields: readonly string[];
    /** `sink.buffer-flush.max-rows` and `.interval` (ms); both above zero to buffer. */
    readonly bufferFlush?: { readonly maxRows: number; readonly intervalMs: number };
  };
}

/**
 * The `kafka` (and `upsert-kafka`) table sink.
 *
 * @public
 */
export class KafkaTableSink implements TableSink {
  readonly writableMetadata: Readonly<Record<string, LogicalType>> = KAFKA_WRITABLE_METADATA;
  /**
   * `sink.parallelism`, when given. The planner reads the option itself; offered here for tools, as the filesystem
   * sink does.
   */
  readonly parallelism: number | undefined;
  private readonly table: KafkaTableOptions;
  private readonly physical: RowType;
  private readonly fields: KafkaKeyValueFields;
  /** The row kinds the value format writes (upsert mode: +I, +U, -D). */
  private readonly mode: ChangelogMode;
  private readonly guarantee: DeliveryGuarantee;
  private readonly prefix: string | undefined;

  /** Validates the table's options, key fields and formats (the encoders are made once, to check them). */
  constructor(
    private readonly context: TableFactoryContext,
    private readonly clientFactory: KafkaClientFactory = kafkajsClientFactory,
    private readonly variant: KafkaTableSinkVariant = {},
  ) {
    const t = parseKafkaTableOptions(context.tableName, context.options, variant.connector ?? 'kafka', variant.options ?? KAFKA_OPTIONS);
    this.table = t;
    if (t.topicPattern !== undefined) {
      throw new ConfigurationError(`${t.where}: a sink cannot write to 'topic-pattern'; set 'topic' (one topic, or several picked by the 'topic' metadata column)`, 'topic-pattern');
    }
    if (t.topics === undefined) throw new ConfigurationError(`${t.where}: option 'topic' is required to write`, 'topic');
    this.physical = physicalRowType(context.schema);
    this.fields = kafkaKeyValueFields(t.where, this.physical, variant.upsert?.keyFields ?? t.keyFields, t.keyFieldsPrefix, t.valueFieldsInclude);
    const value = context.encoder(this.fields.valueType, t.valueFormatKey);
    const key = this.fields.keyIndexes.length > 0 ? context.encoder(this.fields.keyType, 'key.format') : undefined;
    if (variant.upsert !== undefined) {
      // Flink: upsert-kafka writes its rows through insert-only formats (a tombstone is the delete).
      for (const [role, encoder, format] of [['value', value, t.valueFormat], ['key', key, t.keyFormat]] as const) {
        if (encoder?.changelogMode !== undefined && !(encoder.changelogMode.kinds.length === 1 && encoder.changelogMode.kinds[0] === RowKind.INSERT)) {
          throw new ConfigurationError(`${t.where}: '${variant.connector ?? 'upsert-kafka'}' doesn't support '${format}' as ${role} format, because '${format}' is not in insert-only mode`, `${role}.format`);
        }
      }
      this.mode = { kinds: [RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE], keyOnlyDeletes: true };
    } else {
      this.mode = value.changelogMode ?? INSERT_ONLY;
    }
    this.guarantee = t.options.get(KafkaOptions.deliveryGuarantee) as DeliveryGuarantee;
    this.prefix = t.options.getOptional(KafkaOptions.transactionalIdPrefix);
    if (this.guarantee === 'exactly-once' && (this.prefix ?? '').trim() === '') {
      throw new ConfigurationError(
        `${t.where}: option 'sink.transactional-id-prefix' is required with 'sink.delivery-guarantee' = 'exactly-once' (unique per job writing to the cluster)`,
        'sink.transactional-id-prefix',
      );
    }
    this.parallelism = t.options.getOptional(KafkaOptions.sinkParallelism);
    try {
      resolvePartitioner(t.options.get(KafkaOptions.sinkPartitioner));
    } catch (e) {
      throw new ConfigurationError(`${t.where}: ${(e as Error).message}`, KafkaOptions.sinkPartitioner.key);
    }
  }

  /** What the value format writes (upsert mode: +I, +U and -D), whatever the query produces. */
  changelogMode(_requested: ChangelogMode): ChangelogMode {
    return this.mode;
  }

  createSink(request: SinkRequest): Sink<Row, any, any> {
    const t = this.table;
    const serializer = this.serializer(request);
    const sink = new KafkaSink<Row>({
      bootstrapServers: t.brokers,
      topic: t.topics!.length === 1 ? t.topics![0] : undefined,
      serializer,
      deliveryGuarantee: this.guarantee,
      transactionalIdPrefix: this.prefix,
      partitioner: t.options.get(KafkaOptions.sinkPartitioner),
      properties: t.properties,
      clientFactory: this.clientFactory,
    });
    const upsert = this.variant.upsert;
    if (upsert === undefined) return sink;
    const keyIndexes = this.fields.keyIndexes.map((i) => this.consumedIndex(request.consumedType, this.physical.fields[i]!.name));
    return new ReducingUpsertSink(sink, keyIndexes, upsert.bufferFlush);
  }

  summary(): string {
    const t = this.table;
    const key = t.keyFormat === undefined ? '' : `, key.format=${t.keyFormat}, key.fields=[${this.fields.keyType.fields.map((f) => f.name).join(', ')}]`;
    return `${this.variant.upsert ? 'UpsertKafka' : 'Kafka'}(topic=[${t.topics!.join(', ')}], format=${t.valueFormat}${key}, delivery=${this.guarantee})`;
  }

  /** Where a column is in the rows the sink receives. */
  private consumedIndex(consumed: RowType, name: string): number {
    const i = consumed.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new ConfigurationError(`${this.table.where}: the rows to write have no column '${name}' (they have ${consumed.fields.map((f) => f.name).join(', ')})`);
    return i;
  }

  /** Turns a consumed row into a record: key and value by their formats, metadata into headers, timestamp, topic. */
  private serializer(request: SinkRequest): (row: Row) => KafkaSinkRecord {
    const t = this.table;
    const where = t.where;
    const { keyIndexes, valueIndexes, keyType, valueType } = this.fields;
    const consumed = request.consumedType;
    // The rows hold the physical columns and the writable metadata; they are found by name, whatever their order.
    const metadataColumns = new Map<string, string>();
    for (const c of this.context.schema.columns) if (c.kind === 'metadata' && !c.virtual) metadataColumns.set(c.name, c.metadataKey);
    const metadataAt = (key: string): number => {
      const column = [...metadataColumns].find(([, k]) => k === key)?.[0];
      return column === undefined ? -1 : consumed.fields.findIndex((f) => f.name === column);
    };
    for (const k of request.metadataKeys) {
      if (!Object.hasOwn(KAFKA_WRITABLE_METADATA, k)) {
        throw new ConfigurationError(`${where}: metadata '${k}' cannot be written; the sink writes ${Object.keys(KAFKA_WRITABLE_METADATA).join(', ')} (declare it VIRTUAL to read it only)`);
      }
    }
    const headersAt = metadataAt('headers');
    const timestampAt = metadataAt('timestamp');
    const topics = t.topics!;
    const topicAt = topics.length > 1 ? metadataAt('topic') : -1;
    const singleTopic = topics.length === 1 ? topics[0] : undefined;
    if (topics.length > 1 && topicAt < 0) {
      throw new ConfigurationError(`${where}: with several topics in 'topic', the rows need a writable 'topic' metadata column that picks one of them`, 'topic');
    }
    const keyAt = keyIndexes.map((i) => this.consumedIndex(consumed, this.physical.fields[i]!.name));
    const valueAt = valueIndexes.map((i) => this.consumedIndex(consumed, this.physical.fields[i]!.name));
    const keyEncoder: TableEncoder | undefined = keyAt.length > 0 ? this.context.encoder(keyType, 'key.format') : undefined;
    const valueEncoder = this.context.encoder(valueType, t.valueFormatKey);
    const upsert = this.variant.upsert !== undefined;
    const writes = [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE].map((k) => this.mode.kinds.includes(k));
    const format = t.valueFormat;
    const project = (row: Row, at: readonly number[]): unknown[] => {
      const out = new Array<unknown>(at.length);
      for (let i = 0; i < at.length; i++) out[i] = row.fields[at[i]!];
      return out;
    };
    return (row) => {
      if (!writes[row.kind]) {
        throw new Error(
          this.mode.kinds.length === 1
            ? `${where}: format '${format}' writes inserts only, got a ${rowKindShortString(row.kind)} row`
            : `${where}: format '${format}' cannot write a ${rowKindShortString(row.kind)} row`,
        );
      }
      const key = keyEncoder === undefined ? null : keyEncoder.encode({ kind: RowKind.INSERT, fields: project(row, keyAt) });
      // Upsert mode: a delete is a tombstone; other rows are written as inserts of their insert-only format.
      const value = upsert
        ? row.kind === RowKind.DELETE
          ? null
          : valueEncoder.encode({ kind: RowKind.INSERT, fields: project(row, valueAt) })
        : valueEncoder.encode({ kind: row.kind, fields: project(row, valueAt) });
      // With the topic and key set, the sink takes the record as it is (no copy per record).
      const record: { -readonly [K in keyof KafkaSinkRecord]: KafkaSinkRecord[K] } = { topic: singleTopic, key, value };
      if (headersAt >= 0) {
        const h = row.fields[headersAt] as Map<string | null, Uint8Array | null> | null;
        if (h !== null && h !== undefined) record.headers = headersOf(h);
      }
      if (timestampAt >= 0) {
        const ts = row.fields[timestampAt] as number | null;
        if (ts !== null && ts !== undefined) record.timestamp = ts;
      }
      if (topicAt >= 0) record.topic = checkedTopic(where, topics, row.fields[topicAt]);
      return record;
    };
  }
}

/** Kafka headers from the `headers` column: entries with a null key or value are left out (the record cannot hold them). */
function headersOf(map: Map<string | null, Uint8Array | null>): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (const [k, v] of map) if (k !== null && v !== null) out.push([k, v]);
  return out;
}

function checkedTopic(where: string, topics: readonly string[], value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${where}: the topic of the sink record is not valid: expected one of ${topics.join(', ')}, but no topic is set`);
  if (!topics.includes(value)) throw new Error(`${where}: the topic of the sink record is not valid: expected one of ${topics.join(', ')}, but it was '${value}'`);
  return value;
}

/**
 * The `kafka` table sink of a table (called by the `kafka` connector factory).
 *
 * @throws ConfigurationError for invalid options, key fields or formats
 * @public
 */
export function createKafkaTableSink(context: TableFactoryContext, clientFactory?: KafkaClientFactory): TableSink {
  return new KafkaTableSink(context, clientFactory);
}
