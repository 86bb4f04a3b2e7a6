// The committer of an exactly-once MySQL sink: applies each committable (one writer's changes of one checkpoint)
// and inserts its batch id into the fence table, in one transaction (the server's default isolation: READ COMMITTED
// was measured slower for these multi-row upserts on MariaDB 10.11, and the fence check is a plain, non-locking
// read either way; a deadlock with another subtask's commit is retriable). A batch id already in the fence means the batch was
// applied before — a restore replays the committables of the restored checkpoint, some of which may have landed
// before the crash — and the transaction is rolled back: nothing changes. A commit whose outcome is unknown
// (connection lost during COMMIT) is retried the same way, so it is applied once either way. Retriable failures
// reconnect and retry up to `maxRetries` times; then the job fails and a restore re-commits.
import type { CommitRequest, Committer } from '@runnel/api';
import type { Connection } from 'mysql2/promise';
import { closeQuietly, openConnection, withRetries } from '../jdbc/mysql-connection.js';
import { toMySqlError } from '../jdbc/mysql-errors.js';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import type { MySqlCommittable } from './mysql-committable.js';
import type { MySqlSinkSettings } from './mysql-sink-settings.js';
import { MySqlStatements } from './mysql-statements.js';

/**
 * What a committer did (for tests and metrics).
 *
 * @public
 */
export interface MySqlCommitterStats {
  /** Batches applied. */
  applied: number;
  /** Batches found in the fence table (applied before) and skipped. */
  skipped: number;
}

/**
 * `CREATE TABLE IF NOT EXISTS` of a fence table.
 *
 * @internal
 */
export function fenceTableDdl(name: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(name)} (` +
    'batch_id VARCHAR(100) CHARACTER SET ascii NOT NULL PRIMARY KEY, sink_table VARCHAR(255) NOT NULL, subtask INT NOT NULL, ' +
    'checkpoint_id BIGINT NOT NULL, rows_applied BIGINT NOT NULL, committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB'
  );
}

/**
 * The committer (see the module comment).
 *
 * @internal
 */
export class MySqlCommitter implements Committer<MySqlCommittable> {
  private connection: Connection | undefined;
  private readonly statements: MySqlStatements;
  private readonly fence: string;
  private readonly where: string;
  private fenceReady = false;
  readonly stats: MySqlCommitterStats = { applied: 0, skipped: 0 };

  constructor(private readonly settings: MySqlSinkSettings<unknown>) {
    this.statements = new MySqlStatements(settings.table, settings.columns.map((c) => c.name), settings.primaryKey ?? [], settings.statementMaxRows);
    this.fence = quoteIdentifier(settings.fenceTable ?? 'runnel_sink_fence');
    this.where = `mysql sink '${settings.table}'`;
  }

  async commit(requests: readonly CommitRequest<MySqlCommittable>[]): Promise<void> {
    for (const { committable } of requests) {
      try {
        await withRetries(this.settings.maxRetries ?? 3, () => this.applyOnce(committable), async () => {
          await closeQuietly(this.connection);
          this.connection = undefined;
        });
      } catch (e) {
        throw toMySqlError(e, `${this.where}: commit of checkpoint ${committable.checkpointId} (subtask ${committable.subtask}, batch ${committable.batchId}) failed`, [this.settings.connection.password]);
      }
    }
  }

  private async applyOnce(b: MySqlCommittable): Promise<void> {
    const c = await this.ensureConnection();
    try {
      await c.query('START TRANSACTION');
      const [seen] = await c.execute(`SELECT 1 FROM ${this.fence} WHERE batch_id = ?`, [b.batchId]);
      if ((seen as unknown[]).length > 0) {
        await c.query('ROLLBACK');
        this.stats.skipped++;
        return;
      }
      await this.statements.apply(c, b);
      await c.execute(`INSERT INTO ${this.fence} (batch_id, sink_table, subtask, checkpoint_id, rows_applied) VALUES (?, ?, ?, ?, ?)`, [
        b.batchId,
        this.settings.table,
        b.subtask,
        String(b.checkpointId),
        b.rowCount + b.deleteCount,
      ]);
      await c.query('COMMIT');
      this.stats.applied++;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  private async ensureConnection(): Promise<Connection> {
    if (this.connection === undefined) {
      const c = await openConnection(this.settings.connection, `${this.where} committer`);
      if (!this.fenceReady) {
        await c.query(fenceTableDdl(this.settings.fenceTable ?? 'runnel_sink_fence'));
        this.fenceReady = true;
      }
      this.connection = c;
    }
    return this.connection;
  }

  async close(): Promise<void> {
    await closeQuietly(this.connection);
    this.connection = undefined;
  }
}
