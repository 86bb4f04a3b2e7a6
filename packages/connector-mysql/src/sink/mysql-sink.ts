// The MySQL sink of the DataStream API (and of the `jdbc` SQL connector): `new MySqlSink({ connection, table,
// columns, primaryKey })` writes rows (or any element, with `toRow`) into a MySQL table — appending, or upserting and
// deleting by the primary key. Exactly-once by default (a committer applies each checkpoint's changes with a fence
// row in one transaction); `deliveryGuarantee: 'at-least-once'` writes as buffers fill, as Flink's jdbc sink does.
import type { Committer, Row, Sink, SinkWriter, SinkWriterContext, VersionedSerializer } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import { mysqlCommittableSerializer, type MySqlCommittable } from './mysql-committable.js';
import { MySqlCommitter } from './mysql-committer.js';
import type { MySqlSinkSettings } from './mysql-sink-settings.js';
import { MySqlSinkWriter } from './mysql-sink-writer.js';
import { mysqlWriterStateSerializer, type MySqlWriterState } from './mysql-writer-state.js';

/**
 * A sink into a MySQL table (see the module comment and the README).
 *
 * @public
 */
export class MySqlSink<T = Row> implements Sink<T, MySqlCommittable, MySqlWriterState> {
  readonly committableSerializer: VersionedSerializer<MySqlCommittable> | undefined;
  /** Exactly-once writers keep the ids of the writers whose fence rows are to be deleted (mysql-writer-state.ts). */
  readonly writerStateSerializer: VersionedSerializer<MySqlWriterState> = mysqlWriterStateSerializer;
  readonly createCommitter: (() => Committer<MySqlCommittable>) | undefined;

  constructor(readonly settings: MySqlSinkSettings<T>) {
    const where = `mysql sink '${settings.table}'`;
    // Names are checked (and quoted) now: a bad one fails when the job is built, not at the first write.
    quoteIdentifier(settings.table);
    if (settings.columns.length === 0) throw new ConfigurationError(`${where}: no columns`);
    const names = new Set<string>();
    for (const c of settings.columns) {
      quoteIdentifier(c.name);
      if (names.has(c.name.toLowerCase())) throw new ConfigurationError(`${where}: column ${JSON.stringify(c.name)} is given twice`);
      names.add(c.name.toLowerCase());
    }
    for (const k of settings.primaryKey ?? []) {
      if (!settings.columns.some((c) => c.name === k)) throw new ConfigurationError(`${where}: primary key column ${JSON.stringify(k)} is not one of the columns`);
    }
    if ((settings.deliveryGuarantee ?? 'exactly-once') === 'exactly-once') {
      quoteIdentifier(settings.fenceTable ?? 'runnel_sink_fence');
      this.committableSerializer = mysqlCommittableSerializer;
      this.createCommitter = () => new MySqlCommitter(settings as MySqlSinkSettings<unknown>);
    } else {
      this.committableSerializer = undefined;
      this.createCommitter = undefined;
    }
  }

  createWriter(context: SinkWriterContext, restoredState?: readonly MySqlWriterState[]): SinkWriter<T, MySqlCommittable, MySqlWriterState> {
    return new MySqlSinkWriter(this.settings, context, restoredState);
  }
}
