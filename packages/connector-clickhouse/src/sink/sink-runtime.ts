// What the writers and the committer of one sink share: the cluster connection (shards of replicas with failover),
// the table's metadata loaded once at open, the INSERT statement and the settings every insert carries.
import { ClickHouseCluster } from '../client/clickhouse-cluster.js';
import { httpClickHouseNodeFactory } from '../client/clickhouse-node.js';
import { qualifiedTable, quoteIdentifier } from '../client/sql-escape.js';
import type { ClickHouseSinkSettings } from './clickhouse-sink-options.js';
import { loadTableMetadata, type TableMetadata } from './table-metadata.js';

/**
 * A connected sink component (writer or committer).
 *
 * @internal
 */
export class SinkConnection {
  readonly cluster: ClickHouseCluster;
  /** Settles with the table's metadata, or rejects with why the table does not fit. */
  readonly metadata: Promise<TableMetadata>;
  private statementCache: string | undefined;

  constructor(
    readonly settings: ClickHouseSinkSettings<unknown>,
    offset: number,
  ) {
    const s = settings;
    this.cluster = new ClickHouseCluster(
      s.shards,
      { username: s.username, password: s.password, database: s.database, requestTimeoutMs: s.requestTimeoutMs },
      s.nodeFactory ?? httpClickHouseNodeFactory,
      { maxRetries: s.maxRetries, backoffMs: 200 },
      s.password,
      offset,
      (m) => s.onWarning(m),
    );
    this.metadata = loadTableMetadata(this.cluster, s);
    this.metadata.catch(() => undefined);
  }

  /** `INSERT INTO db.t (cols) FORMAT JSONEachRow`, with the strategy's columns. */
  async statement(): Promise<string> {
    if (this.statementCache !== undefined) return this.statementCache;
    const meta = await this.metadata;
    const s = this.settings;
    const cols = [...s.rows.columns];
    if (s.updateStrategy === 'replacing' || s.updateStrategy === 'versioned-collapsing') cols.unshift(s.versionColumn);
    if (s.updateStrategy === 'replacing' && meta.hasIsDeleted) cols.push(s.isDeletedColumn);
    if (s.updateStrategy === 'collapsing' || s.updateStrategy === 'versioned-collapsing') cols.push(s.signColumn);
    this.statementCache = `INSERT INTO ${qualifiedTable(s.database, s.table)} (${cols.map(quoteIdentifier).join(', ')}) FORMAT JSONEachRow`;
    return this.statementCache;
  }

  /** Inserts a batch into a shard (with failover), naming the table and the batch in errors. */
  async insert(shard: number, body: string, batch: string, settings: Record<string, string | number> = {}): Promise<void> {
    const statement = await this.statement();
    const where = `${this.settings.where}: inserting ${batch}${this.cluster.shardCount > 1 ? ` into shard ${shard + 1} of ${this.cluster.shardCount}` : ''}`;
    // date_time_input_format=best_effort is not needed: date-times are sent as epoch seconds or plain local text.
    await this.cluster.run(shard, where, (node) => node.insert(statement, body, settings));
  }

  close(): Promise<void> {
    return this.cluster.close();
  }
}
