// The bounded scan source of the DataStream API (and of `jdbc` SQL tables): `new MySqlScanSource({ connection,
// table, columns })` reads a table once, optionally split into ranges of a partition column read in parallel, with
// positions in checkpoints (see mysql-scan-reader.ts).
import type { Row } from '@runnel/api';
import type { Source, SourceReader, SourceReaderContext, SplitEnumerator, SplitEnumeratorContext } from '@runnel/api/connector';
import { ConfigurationError } from '@runnel/api/config';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import { MySqlScanEnumerator } from './mysql-scan-enumerator.js';
import { MySqlScanReader } from './mysql-scan-reader.js';
import type { MySqlScanSettings } from './mysql-scan-settings.js';
import { mysqlScanEnumeratorStateSerializer, mysqlScanSplitSerializer, planScanSplits, type MySqlScanEnumeratorState, type MySqlScanSplit } from './mysql-scan-split.js';

/**
 * A bounded source reading a MySQL table.
 *
 * @public
 */
export class MySqlScanSource<T = Row> implements Source<T, MySqlScanSplit, MySqlScanEnumeratorState> {
  readonly boundedness = 'bounded' as const;
  readonly splitSerializer = mysqlScanSplitSerializer;
  readonly enumeratorStateSerializer = mysqlScanEnumeratorStateSerializer;

  constructor(readonly settings: MySqlScanSettings<T>) {
    const where = `mysql scan '${settings.table}'`;
    quoteIdentifier(settings.table);
    if (settings.columns.length === 0) throw new ConfigurationError(`${where}: no columns`);
    for (const c of settings.columns) quoteIdentifier(c.name);
    if ((settings.partitionColumn === undefined) !== (settings.partition === undefined)) {
      throw new ConfigurationError(`${where}: a partition column needs the partition count and bounds, and they need the column`);
    }
    if (settings.partitionColumn !== undefined) quoteIdentifier(settings.partitionColumn);
    if (settings.partition !== undefined && (!Number.isInteger(settings.partition.num) || settings.partition.num < 1)) {
      throw new ConfigurationError(`${where}: the partition count must be a positive integer, got ${settings.partition.num}`);
    }
  }

  createEnumerator(context: SplitEnumeratorContext<MySqlScanSplit>): SplitEnumerator<MySqlScanSplit, MySqlScanEnumeratorState> {
    return new MySqlScanEnumerator(context, planScanSplits(this.settings.partition));
  }

  restoreEnumerator(context: SplitEnumeratorContext<MySqlScanSplit>, state: MySqlScanEnumeratorState): SplitEnumerator<MySqlScanSplit, MySqlScanEnumeratorState> {
    return new MySqlScanEnumerator(context, state.pending);
  }

  createReader(context: SourceReaderContext): SourceReader<T, MySqlScanSplit> {
    return new MySqlScanReader(this.settings, context);
  }
}
