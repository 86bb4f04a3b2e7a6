// Turns Kafka records into a table's rows (Flink's `DynamicKafkaDeserializationSchema`): the key through the key
// format (when the table has `key.fields`), the value through the value format, each with the table's error policy
// applied by the planner's decoder; then the requested physical columns are taken from the key row or the value row
// (with `value.fields-include` = `ALL` a key column is in both, and the value's wins, as in Flink) and the
// requested metadata appended. A value decoding into several rows (a CDC update: -U and +U) gives several rows of
// the same record. A record the key or value format cannot decode yields the format's DeadLetter (the planner fails,
// counts or routes it), named by `topic/partition, offset n`. A tombstone (null value) has no row in a `kafka`
// table; in upsert mode it is a DELETE of its key.
import { DeadLetter, RowKind, type Row, type TableDecoder } from '@runnel/api/table';
import type { KafkaRecord, TopicPartition } from '../client/kafka-client.js';
import type { KafkaRecordDeserializer } from '../source/kafka-record-deserializer.js';
import { kafkaMetadataExtractor, type KafkaMetadataExtractor, type KafkaReadableMetadataKey } from './kafka-table-source-metadata.js';

/**
 * Where a requested column is in the value row and in the key row (-1: not there). The value's wins; the key's
 * serves a delete, which has no value.
 *
 * @internal
 */
export interface KafkaColumnSource {
  readonly value: number;
  readonly key: number;
}

/**
 * Where a requested metadata value comes from: the record (a Kafka metadata key) or a field of the value row that
 * the value format appended (its own metadata, asked for as `value.<key>`).
 *
 * @internal
 */
export type KafkaMetadataSource = KafkaReadableMetadataKey | { readonly valueField: number };

/**
 * What a {@link KafkaTableSourceDecoder} needs.
 *
 * @internal
 */
export interface KafkaTableSourceDecoderSettings {
  readonly keyDecoder: TableDecoder | undefined;
  readonly valueDecoder: TableDecoder;
  /** Per requested physical column, in order. */
  readonly columns: readonly KafkaColumnSource[];
  /** The value decoder's row holds exactly the requested columns in order, and the key is not read. */
  readonly valueIsOutput: boolean;
  /** Per requested metadata column, in order. */
  readonly metadata: readonly KafkaMetadataSource[];
  /** Tombstones are deletes of their key (upsert-kafka) rather than skipped. */
  readonly upsert: boolean;
}

/**
 * Decodes one reader's records into rows (one instance per reader: it keeps the record being decoded).
 *
 * @internal
 */
export class KafkaTableSourceDecoder {
  /** Per requested metadata column: the record's extractor, or undefined for a value-row field. */
  private readonly metadata: readonly (KafkaMetadataExtractor | undefined)[];
  /** Per requested metadata column: the value row's field, or -1 for record metadata. */
  private readonly metadataFields: readonly number[];
  /** `topic/partition` texts, made once per partition rather than once per record. */
  private readonly sources = new Map<string, string[]>();
  private keyRow: Row | undefined;
  private keyFailed = false;
  private record: KafkaRecord | undefined;
  private partition: TopicPartition | undefined;
  private metadataValues: unknown[] | undefined;
  private emit: (row: Row | DeadLetter) => void = () => {};
  private readonly onKey = (row: Row | DeadLetter): void => {
    if (row instanceof DeadLetter) {
      this.keyFailed = true;
      this.emit(row);
      return;
    }
    this.keyRow = row;
  };
  private readonly onValue = (row: Row | DeadLetter): void => {
    if (row instanceof DeadLetter) {
      this.emit(row);
      return;
    }
    this.emit(this.output(row.kind, row.fields));
  };

  constructor(private readonly settings: KafkaTableSourceDecoderSettings) {
    this.metadata = settings.metadata.map((m) => (typeof m === 'string' ? kafkaMetadataExtractor(m) : undefined));
    this.metadataFields = settings.metadata.map((m) => (typeof m === 'string' ? -1 : m.valueField));
  }

  /** The record deserializer of the source. */
  readonly deserialize: KafkaRecordDeserializer<Row | DeadLetter> = (record, partition, emit) => {
    const s = this.settings;
    const source = this.sourceOf(partition);
    if (s.valueIsOutput && this.metadata.length === 0 && !s.upsert) {
      // Only the value, as the format decodes it: no row is rebuilt.
      if (record.value !== null) s.valueDecoder.decode(record.value, emit, source, BigInt(record.offset));
      return;
    }
    this.emit = emit;
    this.record = record;
    this.partition = partition;
    this.metadataValues = undefined;
    this.keyRow = undefined;
    this.keyFailed = false;
    if (s.keyDecoder !== undefined && record.key !== null) {
      s.keyDecoder.decode(record.key, this.onKey, source, BigInt(record.offset));
      if (this.keyFailed) return;
    }
    if (record.value === null) {
      if (s.upsert) this.emit(this.output(RowKind.DELETE, undefined));
      return;
    }
    s.valueDecoder.decode(record.value, this.onValue, source, BigInt(record.offset));
  };

  private sourceOf(tp: TopicPartition): string {
    let byPartition = this.sources.get(tp.topic);
    if (byPartition === undefined) this.sources.set(tp.topic, (byPartition = []));
    return (byPartition[tp.partition] ??= `${tp.topic}/${tp.partition}`);
  }

  /** A row of the requested columns and metadata from the key row and a value row (undefined: a delete's). */
  private output(kind: RowKind, value: readonly unknown[] | undefined): Row {
    const columns = this.settings.columns;
    const key = this.keyRow?.fields;
    const metadata = (this.metadataValues ??= this.metadata.map((m) => (m === undefined ? null : m(this.record!, this.partition!))));
    const fields = new Array<unknown>(columns.length + metadata.length);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const v = value !== undefined && c.value >= 0 ? value[c.value] : key !== undefined && c.key >= 0 ? key[c.key] : null;
      fields[i] = v ?? null;
    }
    const valueFields = this.metadataFields;
    for (let i = 0; i < metadata.length; i++) {
      const f = valueFields[i]!;
      fields[columns.length + i] = f < 0 ? metadata[i] : (value?.[f] ?? null);
    }
    return { kind, fields };
  }
}
