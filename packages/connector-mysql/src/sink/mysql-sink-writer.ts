// The writer of one sink subtask. Rows are converted to bound values as they are written and staged, packed, in a
// reducing ChangeBuffer (one change per key with a primary key). What happens to the buffer depends on the
// delivery guarantee:
//  - at-least-once / none: the buffer is flushed — in one transaction, with multi-row statements — when it holds
//    `bufferFlushMaxRows` rows, every `bufferFlushIntervalMs`, and (at-least-once) at every checkpoint barrier;
//    retriable failures reconnect and retry up to `maxRetries` times (upserts are idempotent; appends may repeat).
//  - exactly-once: nothing is written by the writer. At the barrier `prepareCommit` hands the staged values over as
//    a committable (the checkpoint's changes, under a batch id unique for ever: the writer's random id and the
//    checkpoint, with the writer's previous checkpoint with changes, which the fence needs); the committer applies
//    it and advances the writer's fence row in one transaction when the checkpoint completes (mysql-committer.ts,
//    mysql-fence.ts). The writer holds no transaction open across the barrier, so no lock waits on another
//    subtask's checkpoint. Housekeeping: its state (mysql-writer-state.ts) is its own id plus the restored writer
//    ids whose fence rows it has not seen deleted; its committables name the restored ones for the committer to
//    delete (an empty committable when no row came), and at each barrier it drops those already gone.
// The column types (which decide the conversion) are read from the server when the first row comes; rows wait
// unconverted until then, with back-pressure. A background failure (flush, reading the columns, converting a row
// that waited) is reported by the next write, flush or prepareCommit; a value that cannot be converted fails the
// write that brings it, naming the column.
import { randomUUID } from 'node:crypto';
import type { Row, SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api';
import type { Connection } from 'mysql2/promise';
import { closeQuietly, openConnection, withRetries } from '../jdbc/mysql-connection.js';
import { toMySqlError } from '../jdbc/mysql-errors.js';
import { columnsByName, readTableMetadata } from '../jdbc/table-metadata.js';
import { ChangeBuffer } from './change-buffer.js';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import type { MySqlCommittable } from './mysql-committable.js';
import type { MySqlSinkSettings } from './mysql-sink-settings.js';
import { MySqlStatements } from './mysql-statements.js';
import type { MySqlWriterState } from './mysql-writer-state.js';
import { RowConverter } from './row-converter.js';

/**
 * A MySQL sink writer (see the module comment).
 *
 * @internal
 */
export class MySqlSinkWriter<T> implements SinkWriter<T, MySqlCommittable, MySqlWriterState> {
  private readonly buffer: ChangeBuffer;
  private readonly toRow: (value: T) => Row;
  private readonly guarantee: NonNullable<MySqlSinkSettings['deliveryGuarantee']>;
  private readonly maxRows: number;
  private readonly token = randomUUID();
  private readonly where: string;
  private readonly keyIndexes: number[];
  private readonly statements: MySqlStatements;
  private connection: Connection | undefined;
  private loadingConverter: Promise<RowConverter> | undefined;
  private converting: Promise<void> | undefined;
  private inflight: Promise<void> | undefined;
  private failure: unknown;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The checkpoint of this writer's last committable with changes (0: none yet). */
  private previous = 0;
  /** Restored writer ids whose fence rows are not known to be deleted. */
  private retiring: string[];

  constructor(
    private readonly settings: MySqlSinkSettings<T>,
    private readonly context: SinkWriterContext,
    restored: readonly MySqlWriterState[] = [],
  ) {
    this.where = `mysql sink '${settings.table}'`;
    this.retiring = [...new Set(restored.map((r) => r.writerId))];
    const names = settings.columns.map((c) => c.name);
    this.keyIndexes = (settings.primaryKey ?? []).map((k) => names.indexOf(k));
    this.buffer = new ChangeBuffer(names.length, this.keyIndexes, this.where);
    this.toRow = settings.toRow ?? ((v: T) => v as unknown as Row);
    this.guarantee = settings.deliveryGuarantee ?? 'exactly-once';
    this.maxRows = settings.bufferFlushMaxRows ?? 100;
    this.statements = new MySqlStatements(settings.table, names, settings.primaryKey ?? [], settings.statementMaxRows);
    const interval = settings.bufferFlushIntervalMs ?? 1000;
    if (this.guarantee !== 'exactly-once' && interval > 0) {
      this.timer = setInterval(() => {
        if (this.buffer.size > 0 && this.inflight === undefined) this.startFlush();
      }, interval);
      this.timer.unref();
    }
  }

  write(element: T, _context: SinkRecordContext): void {
    if (this.failure !== undefined) throw this.failure;
    this.buffer.add(this.toRow(element));
    if (!this.buffer.ready) this.startConverter();
    if (this.guarantee !== 'exactly-once' && this.maxRows > 0 && this.buffer.size >= this.maxRows && this.inflight === undefined) this.startFlush();
  }

  isAvailable(): Promise<void> | undefined {
    // Back-pressure while a flush is running and another buffer's worth is waiting (never in exactly-once mode: the
    // barrier must get through for the buffer to be committed). While the column types are being read, rows wait
    // unconverted: back-pressure until they are (that settles on its own, whatever the barriers do).
    if (this.converting !== undefined) return this.converting;
    if (this.guarantee === 'exactly-once' || this.inflight === undefined) return undefined;
    return this.buffer.size >= Math.max(this.maxRows, 1) ? this.inflight.catch(() => undefined) : undefined;
  }

  async flush(endOfInput: boolean): Promise<void> {
    if (this.guarantee === 'exactly-once') return;
    if (this.guarantee === 'none' && !endOfInput) return;
    while (this.inflight !== undefined) await this.inflight.catch(() => undefined);
    if (this.failure !== undefined) throw this.failure;
    if (this.buffer.size > 0) {
      this.startFlush();
      await this.inflight!.catch(() => undefined);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  async prepareCommit(checkpointId: number): Promise<MySqlCommittable[]> {
    if (this.failure !== undefined) throw this.failure;
    if (this.guarantee !== 'exactly-once') return [];
    if (this.retiring.length > 0) await this.forgetRetired();
    const retiredWriters = this.retiring.length > 0 ? [...this.retiring] : undefined;
    const id = { batchId: `${this.token}:${checkpointId}`, subtask: this.context.subtaskIndex, checkpointId, ...(retiredWriters ? { retiredWriters } : {}) };
    if (this.buffer.size === 0) {
      // Nothing to apply, but rows to delete: an empty committable (the committer runs no transaction for it).
      if (retiredWriters === undefined) return [];
      const none = Buffer.alloc(0);
      return [{ ...id, previousCheckpointId: this.previous, width: this.statements.width, keyWidth: this.statements.keyWidth, rowCount: 0, deleteCount: 0, rows: none, deletes: none }];
    }
    await this.ensureConverter();
    const batch = this.buffer.drain();
    const previousCheckpointId = this.previous;
    // The fence chains committables with changes only (the committer applies nothing for an empty one).
    if (batch.rowCount + batch.deleteCount > 0) this.previous = checkpointId;
    else if (retiredWriters === undefined) return [];
    return [{ ...id, previousCheckpointId, ...batch }];
  }

  snapshotState(_checkpointId: number): MySqlWriterState[] {
    if (this.guarantee !== 'exactly-once') return [];
    return [this.token, ...this.retiring].map((writerId) => ({ writerId }));
  }

  /**
   * Drops the restored writer ids whose fence rows are gone (a committer deleted them, or they never had one: then
   * none can appear, their committables being only in checkpoints the job restored already).
   */
  private async forgetRetired(): Promise<void> {
    const c = await this.ensureConnection();
    const fence = quoteIdentifier(this.settings.fenceTable ?? 'runnel_sink_fence');
    try {
      const [rows] = await c.execute(`SELECT writer_id FROM ${fence} WHERE writer_id IN (${this.retiring.map(() => '?').join(', ')})`, this.retiring);
      const present = new Set((rows as { writer_id: string }[]).map((r) => r.writer_id));
      this.retiring = this.retiring.filter((w) => present.has(w));
    } catch (e) {
      // No fence table yet (nothing was ever committed): keep them.
      if ((e as { errno?: number }).errno === 1146) return;
      throw toMySqlError(e, `${this.where}: cannot read the fence table`, [this.settings.connection.password]);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    while (this.inflight !== undefined) await this.inflight.catch(() => undefined);
    await this.converting;
    await closeQuietly(this.connection);
    this.connection = undefined;
  }

  private startFlush(): void {
    let rows = this.buffer.size;
    const run = (async () => {
      // The rows present when the flush runs (flushes never overlap, so a later row of a key is never overtaken).
      await this.ensureConverter();
      const batch = this.buffer.drain();
      rows = batch.rowCount + batch.deleteCount;
      await withRetries(
        this.settings.maxRetries ?? 3,
        async () => {
          const c = await this.ensureConnection();
          try {
            await c.query('START TRANSACTION');
            await this.statements.apply(c, batch);
            await c.query('COMMIT');
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        },
        async () => {
          await closeQuietly(this.connection);
          this.connection = undefined;
        },
      );
    })();
    this.inflight = run.then(
      () => {
        this.inflight = undefined;
      },
      (e: unknown) => {
        this.inflight = undefined;
        this.failure = toMySqlError(e, `${this.where}: flush of ${rows} rows failed`, [this.settings.connection.password]);
        throw this.failure;
      },
    );
    this.inflight.catch(() => undefined);
  }

  private async ensureConnection(): Promise<Connection> {
    this.connection ??= await openConnection(this.settings.connection, this.where);
    return this.connection;
  }

  /** Starts reading the column types in the background (the first row came); a failure is reported later. */
  private startConverter(): void {
    if (this.converting !== undefined || this.failure !== undefined) return;
    this.converting = this.ensureConverter().then(
      () => {
        this.converting = undefined;
      },
      (e: unknown) => {
        this.converting = undefined;
        this.failure ??= e;
      },
    );
  }

  /**
   * The converter, once the table's column types are read (they also check that the columns exist); the buffer's
   * waiting rows are converted then. One read, whoever asks first (the background start, a flush, a barrier).
   */
  private async ensureConverter(): Promise<void> {
    this.loadingConverter ??= this.loadConverter();
    let converter: RowConverter;
    try {
      converter = await this.loadingConverter;
    } catch (e) {
      this.loadingConverter = undefined;
      throw e;
    }
    if (!this.buffer.ready) this.buffer.setConverter(converter);
  }

  private async loadConverter(): Promise<RowConverter> {
    const c = await this.ensureConnection();
    try {
      const meta = await readTableMetadata(c, this.settings.connection.database, this.settings.table);
      const cols = columnsByName(meta, this.settings.columns.map((x) => x.name));
      return new RowConverter(this.settings.columns, cols, this.settings.connection.timeZone);
    } catch (e) {
      throw toMySqlError(e, `${this.where}: cannot read the table's columns`, [this.settings.connection.password]);
    }
  }
}
