// The `canal-json` encoder (Flink's `CanalJsonSerializationSchema`): each changelog row becomes one Canal event
// with the row as its only `data` element. As in Flink there is no UPDATE event (it would need the old values in
// `old`, which a -U/+U pair carries in two rows): +I and +U are written as INSERT, -U and -D as DELETE, so that a
// reader applying the events in order rebuilds the table. The row is written by the `json` encoder with the same
// options.
import { ALL_KINDS, RowKind, type ChangelogMode, type Row, type RowEncoder, type RowType } from '@runnel/api/table';
import type { JsonEncodingSettings } from '../json/json-options.js';
import { JsonRowEncoder } from '../json/json-encoder.js';

/**
 * Encodes changelog rows as Canal JSON events.
 *
 * @internal
 */
export class CanalJsonRowEncoder implements RowEncoder {
  readonly changelogMode: ChangelogMode = ALL_KINDS;
  private readonly inner: JsonRowEncoder;

  constructor(rowType: RowType, settings: JsonEncodingSettings) {
    this.inner = new JsonRowEncoder(rowType, settings);
  }

  encode(row: Row): string {
    const type = row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER ? 'INSERT' : 'DELETE';
    return `{"data":[${this.inner.encode(row)}],"type":"${type}"}`;
  }
}
