// The exactly-once sink's fence table: what the committer consults so that a committable applied before (and
// replayed after a restore) changes nothing, kept small. Layout 2 (this one) has one row per writer — a writer is
// one sink subtask of one run or restart of the job, named by a random id, so two jobs or two sinks sharing the
// table never meet — holding the last checkpoint of that writer applied in order. It replaced layout 1 (one row per
// applied checkpoint and subtask, never deleted: a job with 1 s checkpoints and 8 subtasks added ~700 k rows a day).
//
// Why one number per writer suffices: a writer's committables are a chain (each names the checkpoint of the
// writer's previous committable that had changes), and one committer applies a writer's committables in
// checkpoint order. Only a restore at another parallelism can deal two committables of one writer to two
// committers (the runtime deals restored committables round-robin); the committer holding the later one waits for
// the earlier one to be applied (mysql-committer.ts), and when that does not happen in time, applies it anyway and
// notes it in `applied_ahead` ("checkpoint:previous" pairs) until its predecessors are in, so the check stays exact
// either way. Committables of checkpoints written before layout 2 carry no predecessor:
// they count as applied when not after the writer's last checkpoint.
//
// Rows of writers that can never commit again are deleted by the committers of the next run (mysql-committer.ts,
// mysql-writer-state.ts), so the table holds about one row per subtask of each job using it.
//
// A table of layout 1 is migrated once, under a named server lock: its rows become one row per writer (the
// writer's highest checkpoint), and the old table is kept, renamed, for the user to drop.
import { createHash } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { MySqlConnectorError } from '../jdbc/mysql-errors.js';
import { quoteIdentifier } from '../jdbc/sql-text.js';

/**
 * The layout of the fence tables this version writes.
 *
 * @internal
 */
export const FENCE_LAYOUT = 2;

/**
 * A committable applied out of order: its checkpoint and its writer's previous one.
 *
 * @internal
 */
export interface FenceAhead {
  readonly checkpointId: number;
  readonly previous: number;
}

/**
 * One writer's fence row: the last checkpoint applied in order, and those applied ahead of a missing predecessor.
 *
 * @internal
 */
export interface FenceRow {
  readonly last: number;
  readonly ahead: readonly FenceAhead[];
}

/**
 * Whether the committable of `checkpointId` was applied, given its writer's fence row (`undefined`: none).
 *
 * @internal
 */
export function fenceApplied(row: FenceRow | undefined, checkpointId: number): boolean {
  if (row === undefined) return false;
  return checkpointId <= row.last || row.ahead.some((a) => a.checkpointId === checkpointId);
}

/**
 * Whether a committable whose writer's previous batch is `previous` comes next: that batch is applied (or there is
 * none, or it is not known: committables written before layout 2).
 *
 * @internal
 */
export function fenceFollows(row: FenceRow | undefined, previous: number | undefined): boolean {
  return previous === undefined || previous === 0 || fenceApplied(row, previous);
}

/**
 * The writer's fence row once the committable of `checkpointId` (its predecessor `previous`: 0 for a writer's
 * first, `undefined` when not known — committables written before layout 2) is applied too.
 *
 * @internal
 */
export function fenceAdvance(row: FenceRow | undefined, checkpointId: number, previous: number | undefined): FenceRow {
  const last = row?.last ?? 0;
  const ahead = row?.ahead ?? [];
  if (previous === undefined) return { last: Math.max(last, checkpointId), ahead: ahead.filter((a) => a.checkpointId > Math.max(last, checkpointId)) };
  if (previous > last) return { last, ahead: [...ahead, { checkpointId, previous }].sort((a, b) => a.checkpointId - b.checkpointId) };
  // In order: then every committable applied ahead whose predecessor is now in follows.
  let next = Math.max(last, checkpointId);
  let rest = ahead;
  for (;;) {
    const follower = rest.find((a) => a.previous <= next);
    if (follower === undefined) break;
    next = Math.max(next, follower.checkpointId);
    rest = rest.filter((a) => a !== follower);
  }
  return { last: next, ahead: rest.filter((a) => a.checkpointId > next) };
}

/** `applied_ahead` as stored: "checkpoint:previous" pairs, comma-separated; NULL when none. */
function formatAhead(ahead: readonly FenceAhead[]): string | null {
  return ahead.length === 0 ? null : ahead.map((a) => `${a.checkpointId}:${a.previous}`).join(',');
}

function parseAhead(text: unknown, where: string): FenceAhead[] {
  if (text === null || text === undefined || text === '') return [];
  return String(text)
    .split(',')
    .map((pair) => {
      const m = /^(\d{1,16}):(\d{1,16})$/.exec(pair);
      if (m === null) throw new MySqlConnectorError(`${where}: the fence table's applied_ahead is not "checkpoint:previous" pairs: ${JSON.stringify(String(text).slice(0, 200))}`, 'fatal');
      return { checkpointId: Number(m[1]), previous: Number(m[2]) };
    });
}

/**
 * `CREATE TABLE IF NOT EXISTS` of a fence table of layout 2.
 *
 * @internal
 */
export function fenceTableDdl(name: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(name)} (` +
    'writer_id VARCHAR(100) CHARACTER SET ascii NOT NULL PRIMARY KEY, sink_table VARCHAR(255) NOT NULL, subtask INT NOT NULL, ' +
    'checkpoint_id BIGINT NOT NULL, applied_ahead TEXT CHARACTER SET ascii NULL, rows_applied BIGINT NOT NULL, ' +
    "committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB COMMENT='Runnel exactly-once sink fence, layout 2'"
  );
}

/**
 * The statements of one fence table, quoted once.
 *
 * @internal
 */
export class FenceTable {
  private readonly q: string;

  constructor(
    readonly name: string,
    private readonly where: string,
  ) {
    this.q = quoteIdentifier(name);
  }

  /**
   * Creates the table when missing and checks its layout; a table of layout 1 is migrated (see the module comment).
   * Returns the name of the kept layout-1 table when this call migrated one.
   */
  async prepare(c: Connection): Promise<string | undefined> {
    await c.query(fenceTableDdl(this.name));
    const layout = await this.layoutOf(c);
    if (layout === 2) return undefined;
    return await this.migrateLayout1(c);
  }

  /** The writer's row, locked until the transaction ends (two committers of one writer, after a rescale, queue). */
  async lock(c: Connection, writerId: string): Promise<FenceRow | undefined> {
    const [rows] = await c.execute(`SELECT CAST(checkpoint_id AS CHAR) AS cp, applied_ahead FROM ${this.q} WHERE writer_id = ? FOR UPDATE`, [writerId]);
    const r = (rows as { cp: string; applied_ahead: unknown }[])[0];
    if (r === undefined) return undefined;
    return { last: Number(r.cp), ahead: parseAhead(r.applied_ahead, `${this.where}: writer ${writerId}`) };
  }

  /** Writes the writer's row (inserted when `before` is undefined), in the caller's transaction. */
  async write(c: Connection, writerId: string, before: FenceRow | undefined, after: FenceRow, info: { sinkTable: string; subtask: number; rows: number }): Promise<void> {
    if (before === undefined) {
      await c.execute(`INSERT INTO ${this.q} (writer_id, sink_table, subtask, checkpoint_id, applied_ahead, rows_applied) VALUES (?, ?, ?, ?, ?, ?)`, [
        writerId,
        info.sinkTable,
        info.subtask,
        String(after.last),
        formatAhead(after.ahead),
        info.rows,
      ]);
    } else {
      await c.execute(`UPDATE ${this.q} SET checkpoint_id = ?, applied_ahead = ?, rows_applied = ?, committed_at = CURRENT_TIMESTAMP(3) WHERE writer_id = ?`, [
        String(after.last),
        formatAhead(after.ahead),
        info.rows,
        writerId,
      ]);
    }
  }

  /** Deletes the rows of writers that can never commit again; returns how many there were. */
  async delete(c: Connection, writerIds: readonly string[]): Promise<number> {
    if (writerIds.length === 0) return 0;
    const [r] = await c.execute(`DELETE FROM ${this.q} WHERE writer_id IN (${writerIds.map(() => '?').join(', ')})`, [...writerIds]);
    return (r as { affectedRows?: number }).affectedRows ?? 0;
  }

  private async layoutOf(c: Connection): Promise<1 | 2> {
    const [cols] = await c.query(`SHOW COLUMNS FROM ${this.q}`);
    const names = new Set((cols as { Field: string }[]).map((x) => x.Field.toLowerCase()));
    if (names.has('writer_id') && names.has('applied_ahead') && names.has('checkpoint_id')) return 2;
    if (names.has('batch_id') && names.has('checkpoint_id')) return 1;
    throw new MySqlConnectorError(
      `${this.where}: the fence table ${this.q} exists but is not a Runnel fence table (columns ${[...names].join(', ')}); ` +
        "name another table with 'sink.fence-table' (fenceTable), or drop this one if it is a leftover",
      'configuration',
    );
  }

  /**
   * Layout 1 -> 2 under a named lock (every committer of every job may try at once): a new table gets one row per
   * writer (batch ids were `<writer id>:<checkpoint>`; the highest checkpoint of each), then an atomic RENAME puts it
   * in place and keeps the old table. A crash in between leaves the old table in place, and the next try starts over.
   */
  private async migrateLayout1(c: Connection): Promise<string | undefined> {
    const [[db]] = (await c.query('SELECT DATABASE() AS d')) as unknown as [[{ d: string }]];
    const hash = createHash('sha1').update(`${db.d}.${this.name}`).digest('hex');
    const lock = `runnel_fence_${hash}`;
    const [[got]] = (await c.query('SELECT GET_LOCK(?, 120) AS l', [lock])) as unknown as [[{ l: number | null }]];
    if (Number(got.l) !== 1) throw new MySqlConnectorError(`${this.where}: timed out waiting 120 s for another committer migrating the fence table ${this.q}`, 'retriable');
    try {
      if ((await this.layoutOf(c)) === 2) return undefined;
      const tmp = quoteIdentifier(`runnel_fence_migrating_${hash.slice(0, 12)}`);
      const kept = `runnel_fence_layout1_${hash.slice(0, 8)}_${Date.now().toString(36)}`;
      await c.query(`DROP TABLE IF EXISTS ${tmp}`);
      await c.query(fenceTableDdl(`runnel_fence_migrating_${hash.slice(0, 12)}`));
      // The writer id is everything before the last ':' of a batch id.
      await c.query(
        `INSERT INTO ${tmp} (writer_id, sink_table, subtask, checkpoint_id, applied_ahead, rows_applied, committed_at) ` +
          'SELECT w, MAX(sink_table), MAX(subtask), MAX(checkpoint_id), NULL, 0, MAX(committed_at) FROM (' +
          "SELECT SUBSTRING(batch_id, 1, CHAR_LENGTH(batch_id) - CHAR_LENGTH(SUBSTRING_INDEX(batch_id, ':', -1)) - 1) AS w, sink_table, subtask, checkpoint_id, committed_at " +
          `FROM ${this.q}) x GROUP BY w`,
      );
      await c.query(`RENAME TABLE ${this.q} TO ${quoteIdentifier(kept)}, ${tmp} TO ${this.q}`);
      return kept;
    } finally {
      await c.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    }
  }
}
