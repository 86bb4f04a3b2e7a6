// The `maxwell-json` decoder (Flink's `MaxwellJsonDeserializationSchema`): one Maxwell event per message,
// `{"database": "test", "table": "e", "type": "update", "ts": 1477053217, "data": {...}, "old": {...}, ...}`,
// decoded into changelog rows: `insert` gives +I of `data`, `delete` -D of `data`, `update` -U then +U, the -U being
// `data` with the fields that `old` holds replaced by their old values (Maxwell writes only the changed columns in
// `old`). Another `type` fails (Maxwell's `bootstrap-*` and DDL events too, as in Flink). An empty message is a Kafka
// tombstone and holds no row. Rows are converted by the `json` format's converters, so values read exactly as in
// `json`. The metadata Flink reads from the event (`database`, `table`, `primary-key-columns`,
// `ingestion-timestamp`) is appended after the physical fields when asked for (`FormatContext.metadataKeys`; see
// `MAXWELL_JSON_METADATA`).
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, FormatError, RowKind, type ChangelogMode, type LogicalType, type Row, type RowDecoder, type RowField, type RowType } from '@runnel/api/table';
import { describeValue, fail, FieldError } from '../internal/field-error.js';
import { convertMember, EnvelopeParser, isJsonObject, member, notAnObject } from '../debezium/json-envelope.js';
import type { MaxwellJsonDecodingSettings } from './maxwell-json-options.js';

const STRING: LogicalType = { root: 'VARCHAR', nullable: true, precision: 2147483647 };

/**
 * The metadata a `maxwell-json` event carries, by Flink's keys, with their types: the originating `database` and
 * `table`, the primary key's column names (`primary_key_columns`) and the time Maxwell processed the change (`ts`,
 * written by Maxwell in seconds, read as an instant). Decoders append the keys asked for
 * (`FormatContext.metadataKeys`) after the physical fields; a Kafka table reads them as
 * `METADATA FROM 'value.table'` columns.
 *
 * @beta
 */
export const MAXWELL_JSON_METADATA: Readonly<Record<string, LogicalType>> = {
  database: STRING,
  table: STRING,
  'primary-key-columns': { root: 'ARRAY', nullable: true, element: STRING },
  'ingestion-timestamp': { root: 'TIMESTAMP_LTZ', nullable: true, precision: 3 },
};

/** The JSON member each metadata key is read from. */
const METADATA_MEMBERS: Readonly<Record<string, string>> = {
  database: 'database',
  table: 'table',
  'primary-key-columns': 'primary_key_columns',
  'ingestion-timestamp': 'ts',
};

const TYPES = 'expected "insert", "update" or "delete"';

/**
 * Decodes Maxwell JSON events into changelog rows.
 *
 * @internal
 */
export class MaxwellJsonRowDecoder implements RowDecoder {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  private readonly parser = new EnvelopeParser();
  private readonly fields: readonly RowField[];
  private readonly convertRow: (value: unknown) => unknown[];
  /** Converts `old`, whose fields may be missing whatever their type (they are taken from `data`). */
  private readonly convertOld: (value: unknown) => unknown[];
  private readonly metadata: readonly ((root: Record<string, unknown>) => unknown)[];

  /**
   * @param metadataKeys - keys of {@link MAXWELL_JSON_METADATA} to append after the physical fields, in this order
   * @throws ConfigurationError for an unknown metadata key or a type JSON cannot carry
   */
  constructor(rowType: RowType, settings: MaxwellJsonDecodingSettings, metadataKeys: readonly string[] = []) {
    this.fields = rowType.fields;
    this.convertRow = this.parser.rowConverter(rowType.fields, settings.timestampStandard);
    this.convertOld = this.parser.rowConverter(
      rowType.fields.map((f) => ({ ...f, type: { ...f.type, nullable: true } })),
      settings.timestampStandard,
    );
    this.metadata = metadataKeys.map((key) => {
      const type = MAXWELL_JSON_METADATA[key];
      const name = METADATA_MEMBERS[key];
      if (type === undefined || name === undefined) {
        throw new ConfigurationError(`format 'maxwell-json' has no metadata '${key}' (it has ${Object.keys(MAXWELL_JSON_METADATA).join(', ')})`);
      }
      // Maxwell's `ts` is epoch seconds: read as BIGINT, then an instant in milliseconds (as Flink multiplies).
      const seconds = type.root === 'TIMESTAMP_LTZ';
      const convert = this.parser.valueConverter(seconds ? { root: 'BIGINT', nullable: true } : type, settings.timestampStandard);
      return (root: Record<string, unknown>) => {
        const v = convertMember((x) => [convert(x)], member(root, name) ?? null, name)[0];
        return seconds && v !== null ? Number(v as bigint) * 1000 : v;
      };
    });
  }

  decode(message: Uint8Array | string, emit: (row: Row) => void): void {
    const text = this.parser.text(message);
    // An empty message (a Kafka tombstone) carries no change.
    if (text.trim() === '') return;
    const rows = this.parser.parse(text, (root) => this.rowsOf(root));
    for (const r of rows) emit(r);
  }

  /** The rows of one event, all converted before any is emitted. */
  private rowsOf(root: unknown): Row[] {
    if (!isJsonObject(root)) notAnObject('Maxwell JSON', root);
    const type = member(root, 'type');
    switch (type) {
      case 'insert':
        return [this.row(RowKind.INSERT, root, type)];
      case 'delete':
        return [this.row(RowKind.DELETE, root, type)];
      case 'update': {
        const after = this.row(RowKind.UPDATE_AFTER, root, type);
        return [this.before(member(root, 'old') ?? null, after), after];
      }
      default:
        throw new FormatError(
          type === undefined || type === null ? `the event has no "type" (${TYPES})` : `unknown "type" value ${describeValue(type)} (${TYPES})`,
        );
    }
  }

  /** The row of `data`, metadata appended. */
  private row(kind: RowKind, root: Record<string, unknown>, type: string): Row {
    const data = member(root, 'data') ?? null;
    if (!isJsonObject(data)) fail(`an "${type}" event needs "data" (an object), got ${describeValue(data)}`);
    const fields = convertMember(this.convertRow, data, 'data');
    for (const read of this.metadata) fields.push(read(root));
    return { kind, fields };
  }

  /**
   * The -U row of an update: the +U row (metadata included) with the fields present in `old` replaced by their old
   * values. Maxwell leaves `old` out when no column changed; then the -U equals the +U.
   */
  private before(old: unknown, after: Row): Row {
    const fields = after.fields.slice();
    if (old === null) return { kind: RowKind.UPDATE_BEFORE, fields };
    if (!isJsonObject(old)) fail(`an "update" event needs "old" to be an object of the changed columns, got ${describeValue(old)}`);
    const values = convertMember(this.convertOld, old, 'old');
    this.fields.forEach((f, j) => {
      // Flink looks for the name anywhere in `old` (in nested objects too); a field is taken as changed only when
      // `old` itself has it.
      if (!Object.hasOwn(old, f.name)) return;
      if (values[j] === null && !f.type.nullable) throw new FieldError('null is not allowed').within(f.name).within('old');
      fields[j] = values[j];
    });
    return { kind: RowKind.UPDATE_BEFORE, fields };
  }
}
