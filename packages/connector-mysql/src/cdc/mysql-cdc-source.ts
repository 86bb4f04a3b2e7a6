// The mysql-cdc source (Flink CDC's `MySqlSource`, FLIP-27): ties the enumerator, the readers and the serializers
// of their state together. It is unbounded (a snapshot, then the binlog for ever). Its records are what the
// `mapper` makes of each change; the default is a `Row` with the table's columns then the metadata columns
// `database_name`, `table_name`, `op_ts` and `row_kind` (see `defaultCdcMapper`). Build one with
// `MySqlCdcSource.builder<T>()`, from a settings object, or from SQL (`'connector' = 'mysql-cdc'`).
import type { Boundedness, Source, SourceReader, SourceReaderContext, SplitEnumerator, SplitEnumeratorContext, VersionedSerializer } from '@runnel/api';
import { row, rowKindShortString, type Row } from '@runnel/api/table';
import type { ChangeMapper } from './binlog-stream.js';
import { MySqlCdcEnumerator, mySqlCdcEnumeratorStateSerializer, type MySqlCdcEnumeratorState } from './mysql-cdc-enumerator.js';
import type { MySqlCdcSettings } from './mysql-cdc-options.js';
import { MySqlCdcReader, type ChunkReadEvent } from './mysql-cdc-reader.js';
import { mySqlCdcSplitSerializer, type MySqlCdcSplit } from './mysql-cdc-split.js';
import { MySqlCdcSourceBuilder } from './mysql-cdc-source-builder.js';

/**
 * Everything a {@link MySqlCdcSource} needs.
 *
 * @public
 */
export interface MySqlCdcSourceSettings<T> extends MySqlCdcSettings {
  /** Turns changes into records; default {@link defaultCdcMapper}. */
  readonly mapper?: ChangeMapper<T>;
  /** Records a reader queues at most; default 8 192. */
  readonly maxBufferedRecords?: number;
  /** Records a reader emits per poll at most; default 1 024. */
  readonly maxRecordsPerPoll?: number;
  /** Called when a reader starts reading a snapshot chunk (monitoring, tests). */
  readonly onChunkRead?: (event: ChunkReadEvent) => void;
}

/**
 * The default record: a {@link Row} of the table's columns (in table order) followed by `database_name`,
 * `table_name`, `op_ts` (epoch ms of the binlog event, 0 for snapshot rows) and `row_kind` (`+I`, `-U`, `+U`, `-D`).
 *
 * @public
 */
export const defaultCdcMapper: ChangeMapper<Row> = (kind, t, fields, opTs) => {
  fields.push(t.table.database, t.table.table, opTs, rowKindShortString(kind));
  return row(kind, fields);
};

/**
 * Reads MySQL / MariaDB tables as a changelog: a consistent snapshot in parallel chunks, then the binlog.
 *
 * @public
 */
export class MySqlCdcSource<T = Row> implements Source<T, MySqlCdcSplit, MySqlCdcEnumeratorState> {
  readonly boundedness: Boundedness = 'continuous-unbounded';
  readonly splitSerializer: VersionedSerializer<MySqlCdcSplit> = mySqlCdcSplitSerializer;
  readonly enumeratorStateSerializer: VersionedSerializer<MySqlCdcEnumeratorState> = mySqlCdcEnumeratorStateSerializer;

  constructor(readonly settings: MySqlCdcSourceSettings<T>) {}

  /** A builder: `MySqlCdcSource.builder().hostname('h').databaseList('app').tableList('app\\.orders').username('u').password('p').build()`. */
  static builder<T = Row>(): MySqlCdcSourceBuilder<T> {
    return new MySqlCdcSourceBuilder<T>((s) => new MySqlCdcSource<T>(s));
  }

  createEnumerator(context: SplitEnumeratorContext<MySqlCdcSplit>): SplitEnumerator<MySqlCdcSplit, MySqlCdcEnumeratorState> {
    return new MySqlCdcEnumerator(context, this.settings);
  }

  restoreEnumerator(context: SplitEnumeratorContext<MySqlCdcSplit>, state: MySqlCdcEnumeratorState): SplitEnumerator<MySqlCdcSplit, MySqlCdcEnumeratorState> {
    return new MySqlCdcEnumerator(context, this.settings, state);
  }

  createReader(context: SourceReaderContext): SourceReader<T, MySqlCdcSplit> {
    const s = this.settings;
    return new MySqlCdcReader<T>(context, {
      settings: s,
      mapper: s.mapper ?? (defaultCdcMapper as unknown as ChangeMapper<T>),
      maxBufferedRecords: s.maxBufferedRecords,
      maxRecordsPerPoll: s.maxRecordsPerPoll,
      onChunkRead: s.onChunkRead,
    });
  }
}
