// The scan source of a `jdbc` SQL table: bounded, inserts only, the requested physical columns; `scan.partition.*`
// (all four or none, as Flink requires) splits it into ranges read in parallel, `scan.fetch-size` bounds the rows
// buffered ahead per split.
import { INSERT_ONLY, type ScanRequest, type TableFactoryContext, type TableSource } from '@runnel/api/table';
import type { DeadLetter, Row, Source } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { JdbcOptions } from '../jdbc/jdbc-options.js';
import { MySqlScanSource } from '../scan/mysql-scan-source.js';
import { parseJdbcTableOptions, type JdbcTableOptions } from './jdbc-table-options.js';

/**
 * The scan source of a `jdbc` table.
 *
 * @public
 */
export class JdbcTableSource implements TableSource {
  readonly changelogMode = INSERT_ONLY;
  readonly bounded = true;
  /** The scan SELECTs only the columns the job reads (and the primary key, for its position). */
  readonly projectionPushDown = 'columns';
  private readonly parsed: JdbcTableOptions;
  private readonly partition: { column: string; num: number; lower: bigint; upper: bigint } | undefined;

  constructor(context: TableFactoryContext) {
    this.parsed = parseJdbcTableOptions(context.tableName, context.options);
    const o = this.parsed.options;
    const keys = [JdbcOptions.scanPartitionColumn, JdbcOptions.scanPartitionNum, JdbcOptions.scanPartitionLowerBound, JdbcOptions.scanPartitionUpperBound];
    const set = keys.filter((k) => o.isSet(k));
    if (set.length > 0 && set.length < keys.length) {
      throw new ConfigurationError(`${this.parsed.where}: the 'scan.partition.*' options must be given all together (column, num, lower-bound, upper-bound); missing: ${keys.filter((k) => !o.isSet(k)).map((k) => `'${k.key}'`).join(', ')}`, 'scan.partition.column');
    }
    if (set.length === keys.length) {
      const bound = (k: typeof JdbcOptions.scanPartitionLowerBound): bigint => {
        const text = o.get(k)!.trim();
        if (!/^-?\d+$/.test(text)) throw new ConfigurationError(`${this.parsed.where}: option '${k.key}' must be an integer, got '${text}'`, k.key);
        return BigInt(text);
      };
      const lower = bound(JdbcOptions.scanPartitionLowerBound);
      const upper = bound(JdbcOptions.scanPartitionUpperBound);
      if (upper < lower) throw new ConfigurationError(`${this.parsed.where}: 'scan.partition.upper-bound' (${upper}) is below 'scan.partition.lower-bound' (${lower})`, 'scan.partition.upper-bound');
      this.partition = { column: o.get(JdbcOptions.scanPartitionColumn)!, num: o.get(JdbcOptions.scanPartitionNum)!, lower, upper };
    }
  }

  createSource(request: ScanRequest): Source<Row | DeadLetter, any, any> {
    return new MySqlScanSource<Row>({
      connection: this.parsed.connection,
      table: this.parsed.table,
      columns: request.physicalType.fields.map((f) => ({ name: f.name, type: f.type })),
      partitionColumn: this.partition?.column,
      partition: this.partition === undefined ? undefined : { num: this.partition.num, lower: this.partition.lower, upper: this.partition.upper },
      fetchSize: this.parsed.options.get(JdbcOptions.scanFetchSize),
    });
  }

  summary(): string {
    const p = this.partition === undefined ? '' : `, partitioned by ${this.partition.column} into ${this.partition.num} ranges ${this.partition.lower}..${this.partition.upper}`;
    return `jdbc(url=${this.parsed.describedUrl}, table=${this.parsed.table}${p})`;
  }
}
