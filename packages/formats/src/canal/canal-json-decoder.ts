// The `canal-json` decoder (Flink's `CanalJsonDeserializationSchema`): one Canal binlog event per message,
// `{"data": [{...}, ...], "old": [{...}, ...], "type": "UPDATE", "database": "db", "table": "t", "ts": ..., ...}`,
// decoded into changelog rows: INSERT gives +I of each `data` row, DELETE -D of each, UPDATE -U/+U per row, the
// -U being the `data` row with the changed fields taken from the matching `old` row (a field absent from it did not
// change). CREATE (a DDL event) holds no rows; another `type` fails. `database.include`/`table.include` drop events
// of other databases and tables before their rows are converted. Canal writes values as strings (`"id": "111"`),
// which the `json` format's converters read into the column types. The metadata Flink reads from the event
// (`database`, `table`, `pk-names`, ...) is appended after the physical fields when asked for
// (`FormatContext.metadataKeys`; see `CANAL_JSON_METADATA`).
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, FormatError, RowKind, type ChangelogMode, type LogicalType, type Row, type RowDecoder, type RowField, type RowType } from '@runnel/api/table';
import { describeValue, fail, FieldError } from '../internal/field-error.js';
import { convertMember, EnvelopeParser, isJsonObject, member, notAnObject } from '../debezium/json-envelope.js';
import type { CanalJsonDecodingSettings } from './canal-json-options.js';

const STRING: LogicalType = { root: 'VARCHAR', nullable: true, precision: 2147483647 };
const TIMESTAMP_LTZ_3: LogicalType = { root: 'TIMESTAMP_LTZ', nullable: true, precision: 3 };

/**
 * The metadata a `canal-json` event carries, by Flink's keys, with their types: `database`, `table`, the JDBC types
 * of the columns (`sqlType`), the primary key's column names (`pkNames`), the time Canal processed the event (`ts`)
 * and the time of the change in the database (`es`). Decoders append the keys asked for
 * (`FormatContext.metadataKeys`) after the physical fields; a Kafka table reads them as
 * `METADATA FROM 'value.table'` columns.
 *
 * @beta
 */
export const CANAL_JSON_METADATA: Readonly<Record<string, LogicalType>> = {
  database: STRING,
  table: STRING,
  'sql-type': { root: 'MAP', nullable: true, key: STRING, element: { root: 'INTEGER', nullable: true } },
  'pk-names': { root: 'ARRAY', nullable: true, element: STRING },
  'ingestion-timestamp': TIMESTAMP_LTZ_3,
  'event-timestamp': TIMESTAMP_LTZ_3,
};

/** The JSON member each metadata key is read from. */
const METADATA_MEMBERS: Readonly<Record<string, string>> = {
  database: 'database',
  table: 'table',
  'sql-type': 'sqlType',
  'pk-names': 'pkNames',
  'ingestion-timestamp': 'ts',
  'event-timestamp': 'es',
};

/**
 * Decodes Canal JSON events into changelog rows.
 *
 * @internal
 */
export class CanalJsonRowDecoder implements RowDecoder {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  private readonly parser = new EnvelopeParser();
  private readonly fields: readonly RowField[];
  private readonly convertRow: (value: unknown) => unknown[];
  /** Converts an `old` row, whose fields may be missing whatever their type (they are taken from `data`). */
  private readonly convertOld: (value: unknown) => unknown[];
  private readonly metadata: readonly ((root: Record<string, unknown>) => unknown)[];
  private readonly databaseInclude: RegExp | undefined;
  private readonly tableInclude: RegExp | undefined;

  /**
   * @param metadataKeys - keys of {@link CANAL_JSON_METADATA} to append after the physical fields, in this order
   * @throws ConfigurationError for an unknown metadata key or a type JSON cannot carry
   */
  constructor(rowType: RowType, settings: CanalJsonDecodingSettings, metadataKeys: readonly string[] = []) {
    this.fields = rowType.fields;
    this.convertRow = this.parser.rowConverter(rowType.fields, settings.timestampStandard);
    this.convertOld = this.parser.rowConverter(
      rowType.fields.map((f) => ({ ...f, type: { ...f.type, nullable: true } })),
      settings.timestampStandard,
    );
    this.databaseInclude = settings.databaseInclude;
    this.tableInclude = settings.tableInclude;
    this.metadata = metadataKeys.map((key) => {
      const type = CANAL_JSON_METADATA[key];
      const name = METADATA_MEMBERS[key];
      if (type === undefined || name === undefined) {
        throw new ConfigurationError(`format 'canal-json' has no metadata '${key}' (it has ${Object.keys(CANAL_JSON_METADATA).join(', ')})`);
      }
      // Timestamps are epoch milliseconds in the event: read as BIGINT, then an instant (TIMESTAMP_LTZ is a number).
      const timestamp = type.root === 'TIMESTAMP_LTZ';
      const convert = this.parser.valueConverter(timestamp ? { root: 'BIGINT', nullable: true } : type, settings.timestampStandard);
      return (root: Record<string, unknown>) => {
        const v = convertMember((x) => [convert(x)], member(root, name) ?? null, name)[0];
        return timestamp && v !== null ? Number(v as bigint) : v;
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
    if (!isJsonObject(root)) notAnObject('Canal JSON', root);
    if (!this.included(root, 'database', this.databaseInclude) || !this.included(root, 'table', this.tableInclude)) return [];
    const type = member(root, 'type');
    const rows: Row[] = [];
    switch (type) {
      case 'INSERT':
        this.dataRows(root, type).forEach((r, i) => rows.push(this.row(RowKind.INSERT, r, root, `data[${i}]`)));
        break;
      case 'DELETE':
        this.dataRows(root, type).forEach((r, i) => rows.push(this.row(RowKind.DELETE, r, root, `data[${i}]`)));
        break;
      case 'UPDATE': {
        const data = this.dataRows(root, type);
        const old = member(root, 'old');
        if (!Array.isArray(old)) fail(`an UPDATE event needs "old" (an array of the changed fields), got ${describeValue(old ?? null)}`);
        if (old.length !== data.length) fail(`an UPDATE event has ${data.length} "data" rows but ${old.length} "old" rows`);
        data.forEach((r, i) => {
          const after = this.row(RowKind.UPDATE_AFTER, r, root, `data[${i}]`);
          rows.push(this.before(old[i], after, i), after);
        });
        break;
      }
      case 'CREATE':
        // A DDL event (`CREATE TABLE ...`): no rows change.
        break;
      default:
        throw new FormatError(
          type === undefined || type === null
            ? 'the event has no "type" (expected INSERT, UPDATE, DELETE or CREATE)'
            : `unknown "type" value ${describeValue(type)} (expected INSERT, UPDATE, DELETE or CREATE)`,
        );
    }
    return rows;
  }

  /** Whether the event's `database` (or `table`) matches the include pattern, if there is one. */
  private included(root: Record<string, unknown>, name: string, pattern: RegExp | undefined): boolean {
    if (pattern === undefined) return true;
    const v = member(root, name);
    if (typeof v !== 'string') fail(`expected "${name}" to be a string (canal-json.${name}.include is set), got ${describeValue(v ?? null)}`);
    return pattern.test(v);
  }

  private dataRows(root: Record<string, unknown>, type: string): unknown[] {
    const data = member(root, 'data');
    if (!Array.isArray(data)) fail(`an ${type} event needs "data" (an array of rows), got ${describeValue(data ?? null)}`);
    return data;
  }

  private row(kind: RowKind, value: unknown, root: Record<string, unknown>, name: string): Row {
    const fields = convertMember(this.convertRow, value, name);
    for (const read of this.metadata) fields.push(read(root));
    return { kind, fields };
  }

  /**
   * The -U row of an update: the +U row (metadata included) with the fields present in `old` replaced by their old
   * values.
   */
  private before(old: unknown, after: Row, i: number): Row {
    const name = `old[${i}]`;
    const values = convertMember(this.convertOld, old, name);
    const o = old as Record<string, unknown>;
    const fields = after.fields.slice();
    this.fields.forEach((f, j) => {
      // Flink looks for the name anywhere in `old` (in other rows, in nested objects); a field is taken as changed
      // only when this row's `old` object has it.
      if (!Object.hasOwn(o, f.name)) return;
      if (values[j] === null && !f.type.nullable) throw new FieldError('null is not allowed').within(f.name).within(name);
      fields[j] = values[j];
    });
    return { kind: RowKind.UPDATE_BEFORE, fields };
  }
}
