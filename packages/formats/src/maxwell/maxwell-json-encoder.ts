// The `maxwell-json` encoder (Flink's `MaxwellJsonSerializationSchema`): each changelog row becomes one Maxwell event
// `{"data":{...},"type":"insert"}`. As in Flink there is no update event (it would need the changed columns' old
// values in `old`, which a -U/+U pair carries in two rows): +I and +U are written as `insert`, -U and -D as
// `delete`, so that a reader applying the events in order rebuilds the table. The row is written by the `json`
// encoder with the same options; no `database`, `table`, `ts` or `primary_key_columns` are written.
import { ALL_KINDS, RowKind, type ChangelogMode, type Row, type RowEncoder, type RowType } from '@runnel/api/table';
import type { JsonEncodingSettings } from '../json/json-options.js';
import { JsonRowEncoder } from '../json/json-encoder.js';

/**
 * Encodes changelog rows as Maxwell JSON events.
 *
 * @internal
 */
export class MaxwellJsonRowEncoder implements RowEncoder {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  private readonly inner: JsonRowEncoder;

  constructor(rowType: RowType, settings: JsonEncodingSettings) {
    this.inner = new JsonRowEncoder(rowType, settings);
  }

  encode(row: Row): string {
    const type = row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER ? 'insert' : 'delete';
    return `{"data":${this.inner.encode(row)},"type":"${type}"}`;
  }
}
