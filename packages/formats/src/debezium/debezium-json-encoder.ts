// The `debezium-json` encoder (Flink's `DebeziumJsonSerializationSchema`): each changelog row becomes one Debezium
// event. Flink does not merge an update's two rows into one `u` event, and neither does this encoder: +I and +U are
// written as `{"before":null,"after":{...},"op":"c"}`, -U and -D as `{"before":{...},"after":null,"op":"d"}`, so
// that a reader applying the events in order (create adds, delete removes) rebuilds the table. The row inside is
// written by the `json` encoder with the same options.
import { ALL_KINDS, RowKind, type ChangelogMode, type Row, type RowEncoder, type RowType } from '@runnel/api/table';
import type { JsonEncodingSettings } from '../json/json-options.js';
import { JsonRowEncoder } from '../json/json-encoder.js';

/**
 * Encodes changelog rows as Debezium JSON events.
 *
 * @internal
 */
export class DebeziumJsonRowEncoder implements RowEncoder {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  private readonly inner: JsonRowEncoder;
  private readonly ignoreNullFields: boolean;

  constructor(rowType: RowType, settings: JsonEncodingSettings) {
    this.inner = new JsonRowEncoder(rowType, settings);
    this.ignoreNullFields = settings.ignoreNullFields;
  }

  encode(row: Row): string {
    const body = this.inner.encode(row);
    // `encode.ignore-null-fields` leaves out the null side too, as Flink's JSON writer does for the envelope row.
    if (row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER) {
      return this.ignoreNullFields ? `{"after":${body},"op":"c"}` : `{"before":null,"after":${body},"op":"c"}`;
    }
    return this.ignoreNullFields ? `{"before":${body},"op":"d"}` : `{"before":${body},"after":null,"op":"d"}`;
  }
}
