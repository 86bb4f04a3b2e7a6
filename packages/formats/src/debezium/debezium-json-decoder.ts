// The `debezium-json` decoder (Flink's `DebeziumJsonDeserializationSchema`): one Debezium change event per message,
// `{"before": {...}, "after": {...}, "op": "u", "source": {...}, "ts_ms": ...}` (or that object as the `payload` of
// a Kafka Connect envelope with `schema-include`), decoded into changelog rows: `c` (create) and `r` (snapshot read)
// give +I of `after`, `u` gives -U of `before` then +U of `after`, `d` gives -D of `before`. An empty message is a
// Kafka tombstone and holds no row. An update or delete without `before` fails with Flink's hint (a Postgres table
// needs REPLICA IDENTITY FULL). The rows are converted by the `json` format's converters, so values read exactly as
// in `json`. The metadata Flink reads from the event (`source.table`, `ingestion-timestamp`, ...) is appended after
// the physical fields when asked for (`FormatContext.metadataKeys`; see `DEBEZIUM_JSON_METADATA`).
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, FormatError, RowKind, type ChangelogMode, type LogicalType, type Row, type RowDecoder, type RowType } from '@runnel/api/table';
import { describeValue, fail } from '../internal/field-error.js';
import type { DebeziumJsonDecodingSettings } from './debezium-json-options.js';
import { convertMember, EnvelopeParser, isJsonObject, member, notAnObject } from './json-envelope.js';

const STRING: LogicalType = { root: 'VARCHAR', nullable: true, precision: 2147483647 };
const TIMESTAMP_LTZ_3: LogicalType = { root: 'TIMESTAMP_LTZ', nullable: true, precision: 3 };
const BIGINT: LogicalType = { root: 'BIGINT', nullable: true };
const SOURCE_PROPERTIES: LogicalType = { root: 'MAP', nullable: true, key: STRING, element: STRING };

/**
 * The metadata a `debezium-json` event carries, by Flink's keys, with their types: the Kafka Connect `schema` (JSON
 * text; with `schema-include`), the time the connector processed the event (`ts_ms`), and the `source` block's
 * time, database, schema, table and all its properties (values as text). Decoders append the keys asked for
 * (`FormatContext.metadataKeys`) after the physical fields; a Kafka table reads them as `METADATA FROM
 * 'value.source.table'` columns.
 *
 * @beta
 */
export const DEBEZIUM_JSON_METADATA: Readonly<Record<string, LogicalType>> = {
  schema: STRING,
  'ingestion-timestamp': TIMESTAMP_LTZ_3,
  'source.timestamp': TIMESTAMP_LTZ_3,
  'source.database': STRING,
  'source.schema': STRING,
  'source.table': STRING,
  'source.properties': SOURCE_PROPERTIES,
};

/** Reads one metadata value of an event: from the root object (`schema`) or the payload (the rest). */
type MetadataReader = (root: Record<string, unknown>, payload: Record<string, unknown>) => unknown;

const REPLICA_IDENTITY =
  "has no \"before\" row: with Debezium's Postgres connector, set the table's REPLICA IDENTITY to FULL (ALTER TABLE <table> REPLICA IDENTITY FULL) so that updates and deletes carry the previous row";

/**
 * Decodes Debezium JSON change events into changelog rows.
 *
 * @internal
 */
export class DebeziumJsonRowDecoder implements RowDecoder {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  private readonly parser = new EnvelopeParser();
  private readonly convertRow: (value: unknown) => unknown[];
  private readonly metadata: readonly MetadataReader[];
  private readonly schemaInclude: boolean;

  /**
   * @param metadataKeys - keys of {@link DEBEZIUM_JSON_METADATA} to append after the physical fields, in this order
   * @throws ConfigurationError for an unknown metadata key or a type JSON cannot carry
   */
  constructor(rowType: RowType, settings: DebeziumJsonDecodingSettings, metadataKeys: readonly string[] = []) {
    this.schemaInclude = settings.schemaInclude;
    this.convertRow = this.parser.rowConverter(rowType.fields, settings.timestampStandard);
    this.metadata = metadataKeys.map((k) => this.metadataReader(k, settings));
  }

  decode(message: Uint8Array | string, emit: (row: Row) => void): void {
    const text = this.parser.text(message);
    // A Kafka tombstone (the value of a deleted key after compaction) carries no change.
    if (text.trim() === '') return;
    const rows = this.parser.parse(text, (root) => this.rowsOf(root));
    for (const r of rows) emit(r);
  }

  /** The rows of one event, all converted before any is emitted. */
  private rowsOf(root: unknown): Row[] {
    if (!isJsonObject(root)) notAnObject('Debezium JSON', root);
    const payload = this.payloadOf(root);
    const op = member(payload, 'op');
    const before = member(payload, 'before') ?? null;
    const after = member(payload, 'after') ?? null;
    const rows: Row[] = [];
    switch (op) {
      case 'c':
      case 'r':
        if (after === null) fail(`a "${op}" event has no "after" row`);
        rows.push(this.row(RowKind.INSERT, after, 'after', root, payload));
        break;
      case 'u':
        if (before === null) fail(`an update ("u") event ${REPLICA_IDENTITY}`);
        if (after === null) fail('an update ("u") event has no "after" row');
        rows.push(this.row(RowKind.UPDATE_BEFORE, before, 'before', root, payload), this.row(RowKind.UPDATE_AFTER, after, 'after', root, payload));
        break;
      case 'd':
        if (before === null) fail(`a delete ("d") event ${REPLICA_IDENTITY}`);
        rows.push(this.row(RowKind.DELETE, before, 'before', root, payload));
        break;
      default:
        throw new FormatError(
          op === undefined || op === null
            ? 'the event has no "op" (expected "c", "r", "u" or "d")'
            : `unknown "op" value ${describeValue(op)} (expected "c", "r", "u" or "d")`,
        );
    }
    return rows;
  }

  /** The event itself, or the `payload` of a Kafka Connect envelope; the wrong setting fails with a hint. */
  private payloadOf(root: Record<string, unknown>): Record<string, unknown> {
    if (this.schemaInclude) {
      const payload = member(root, 'payload');
      if (isJsonObject(payload)) return payload;
      throw new FormatError(
        `expected the Kafka Connect envelope {"schema": ..., "payload": ...} ('debezium-json.schema-include' is true), got ${payload === undefined ? 'no "payload"' : `"payload": ${describeValue(payload)}`}`,
      );
    }
    if (member(root, 'op') === undefined && member(root, 'schema') !== undefined && isJsonObject(member(root, 'payload'))) {
      throw new FormatError(
        "the message is a Kafka Connect envelope {\"schema\": ..., \"payload\": ...}: set 'debezium-json.schema-include' = 'true' to read it",
      );
    }
    return root;
  }

  private row(kind: RowKind, value: unknown, name: string, root: Record<string, unknown>, payload: Record<string, unknown>): Row {
    const fields = convertMember(this.convertRow, value, name);
    for (const read of this.metadata) fields.push(read(root, payload));
    return { kind, fields };
  }

  private metadataReader(key: string, settings: DebeziumJsonDecodingSettings): MetadataReader {
    const standard = settings.timestampStandard;
    const text = this.parser.valueConverter(STRING, standard);
    const bigint = this.parser.valueConverter(BIGINT, standard);
    const sourceMap = this.parser.valueConverter(SOURCE_PROPERTIES, standard);
    // Each reader converts its member on every row it is appended to; events hold one or two rows.
    const source = (payload: Record<string, unknown>): Map<unknown, unknown> | null =>
      convertMember((v) => [sourceMap(v)], member(payload, 'source') ?? null, 'source')[0] as Map<unknown, unknown> | null;
    const sourceProperty = (name: string) => (_root: Record<string, unknown>, payload: Record<string, unknown>) =>
      (source(payload)?.get(name) as string | null | undefined) ?? null;
    switch (key) {
      case 'schema':
        return (root) => convertMember((v) => [text(v)], member(root, 'schema') ?? null, 'schema')[0];
      case 'ingestion-timestamp':
        return (_root, payload) => {
          const ms = convertMember((v) => [bigint(v)], member(payload, 'ts_ms') ?? null, 'ts_ms')[0] as bigint | null;
          return ms === null ? null : Number(ms);
        };
      case 'source.timestamp':
        return (root, payload) => {
          const ms = sourceProperty('ts_ms')(root, payload);
          if (ms === null) return null;
          if (!/^[+-]?\d+$/.test(ms)) fail(`field 'source.ts_ms': expected epoch milliseconds, got ${describeValue(ms)}`);
          return Number(ms);
        };
      case 'source.database':
        return sourceProperty('db');
      case 'source.schema':
        return sourceProperty('schema');
      case 'source.table':
        return sourceProperty('table');
      case 'source.properties':
        return (_root, payload) => source(payload);
      default:
        throw new ConfigurationError(
          `format 'debezium-json' has no metadata '${key}' (it has ${Object.keys(DEBEZIUM_JSON_METADATA).join(', ')})`,
        );
    }
  }
}
