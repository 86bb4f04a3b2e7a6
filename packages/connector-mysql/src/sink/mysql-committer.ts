// The committer of an exactly-once MySQL sink: applies each committable (one writer's changes of one checkpoint)
// and advances its writer's row in the fence table (mysql-fence.ts), in one transaction (the server's default
// isolation: READ COMMITTED was measured slower for these multi-row upserts on MariaDB 10.11; the writer's fence row
// is read with FOR UPDATE, so two committers holding committables of one writer after a rescale queue on it, and a
// deadlock between them is retriable). A committable the fence shows applied — a restore replays the committables
// of the restored checkpoint, some of which may have landed before the crash — is rolled back: nothing changes. A
// commit whose outcome is unknown (connection lost during COMMIT) is retried the same way, so it is applied once
// either way. Retriable failures reconnect and retry up to `maxRetries` times; then the job fails and a restore
// re-commits. A writer's batches are applied in order: after a restore at another parallelism two of them may be
// held by two committers, and the one holding the later waits (polling the fence, its other batches going on) for
// the earlier to land, up to `outOfOrderWaitMs`, then applies it ahead (mysql-fence.ts keeps that exact).
//
// Housekeeping: a committable of a restored run names the writers of the runs before (its writer's restored state,
// mysql-writer-state.ts). Once it is committed, those writers can never commit again: its checkpoint completed
// after the runtime had replayed every restored committable (they are committed before any writer starts), and
// every later checkpoint is taken after that too. Their fence rows are deleted then (also when the committable is
// itself replayed after a restore), so the table keeps about one row per subtask.
import type { CommitRequest, Committer } from '@runnel/api';
import type { Connection } from 'mysql2/promise';
import { closeQuietly, openConnection, withRetries } from '../jdbc/mysql-connection.js';
import { toMySqlError } from '../jdbc/mysql-errors.js';
import { writerIdOf, type MySqlCommittable } from './mysql-committable.js';
import { fenceAdvance, fenceApplied, fenceFollows, FenceTable } from './mysql-fence.js';
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
  /**
   * Batches applied before an earlier batch of the same writer: after a restore at another parallelism, when the
   * committer holding the earlier one did not apply it within `outOfOrderWaitMs`.
   */
  appliedAhead: number;
  /** Fence rows deleted: writers that can never commit again. */
  writersRetired: number;
}

/**
 * The committer (see the module comment).
 *
 * @internal
 */
export class MySqlCommitter implements Committer<MySqlCommittable> {
  private connection: Connection | undefined;
  private readonly statements: MySqlStatements;
  private readonly fence: FenceTable;
  private readonly where: string;
  private fenceReady = false;
  readonly stats: MySqlCommitterStats = { applied: 0, skipped: 0, appliedAhead: 0, writersRetired: 0 };
  /** The layout-1 fence table this committer migrated and kept, if it did. */
  migratedFrom: string | undefined;

  constructor(private readonly settings: MySqlSinkSettings<unknown>) {
    this.statements = new MySqlStatements(settings.table, settings.columns.map((c) => c.name), settings.primaryKey ?? [], settings.statementMaxRows);
    this.where = `mysql sink '${settings.table}'`;
    this.fence = new FenceTable(settings.fenceTable ?? 'runnel_sink_fence', this.where);
  }

  async commit(requests: readonly CommitRequest<MySqlCommittable>[]): Promise<void> {
    // Each writer's batches in order; one whose predecessor is not applied yet (another committer holds it) waits,
    // polling, while the others go on — up to outOfOrderWaitMs, then it is applied ahead.
    const queue = requests.map((r) => r.committable);
    const deadline = Date.now() + (this.settings.outOfOrderWaitMs ?? 60_000);
    let pause = 20;
    while (queue.length > 0) {
      const late = Date.now() >= deadline;
      const waiting = new Set<string>();
      let progressed = false;
      for (let i = 0; i < queue.length; ) {
        const b = queue[i]!;
        const writer = writerIdOf(b);
        if (!waiting.has(writer) && (await this.commitOne(b, late))) {
          queue.splice(i, 1);
          progressed = true;
        } else {
          waiting.add(writer);
          i++;
        }
      }
      if (!progressed) {
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 500);
      }
    }
  }

  /** Commits `b` (false: its predecessor is not applied yet and `ahead` is not allowed), then retires its writers. */
  private async commitOne(b: MySqlCommittable, ahead: boolean): Promise<boolean> {
    const reconnect = async (): Promise<void> => {
      await closeQuietly(this.connection);
      this.connection = undefined;
    };
    try {
      if (!(await withRetries(this.settings.maxRetries ?? 3, () => this.applyOnce(b, ahead), reconnect))) return false;
      if ((b.retiredWriters?.length ?? 0) > 0) await withRetries(this.settings.maxRetries ?? 3, () => this.retire(b), reconnect);
      return true;
    } catch (e) {
      throw toMySqlError(e, `${this.where}: commit of checkpoint ${b.checkpointId} (subtask ${b.subtask}, batch ${b.batchId}) failed`, [this.settings.connection.password]);
    }
  }

  private async applyOnce(b: MySqlCommittable, ahead: boolean): Promise<boolean> {
    // A committable without changes only names writers to retire.
    if (b.rowCount + b.deleteCount === 0) return true;
    const c = await this.ensureConnection();
    const writer = writerIdOf(b);
    try {
      await c.query('START TRANSACTION');
      const before = await this.fence.lock(c, writer);
      if (fenceApplied(before, b.checkpointId)) {
        await c.query('ROLLBACK');
        this.stats.skipped++;
        return true;
      }
      if (!ahead && !fenceFollows(before, b.previousCheckpointId)) {
        await c.query('ROLLBACK');
        return false;
      }
      await this.statements.apply(c, b);
      const after = fenceAdvance(before, b.checkpointId, b.previousCheckpointId);
      await this.fence.write(c, writer, before, after, { sinkTable: this.settings.table, subtask: b.subtask, rows: b.rowCount + b.deleteCount });
      await c.query('COMMIT');
      this.stats.applied++;
      if (after.last < b.checkpointId) this.stats.appliedAhead++;
      return true;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Deletes the fence rows of the writers `b` names, now that `b` is committed (module comment). */
  private async retire(b: MySqlCommittable): Promise<void> {
    const own = writerIdOf(b);
    const writers = (b.retiredWriters ?? []).filter((w) => w !== own);
    this.stats.writersRetired += await this.fence.delete(await this.ensureConnection(), writers);
  }

  private async ensureConnection(): Promise<Connection> {
    if (this.connection === undefined) {
      const c = await openConnection(this.settings.connection, `${this.where} committer`);
      if (!this.fenceReady) {
        try {
          this.migratedFrom ??= await this.fence.prepare(c);
        } catch (e) {
          await closeQuietly(c);
          throw e;
        }
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
