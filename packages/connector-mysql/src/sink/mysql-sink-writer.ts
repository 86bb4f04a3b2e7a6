// The writer of one sink subtask. Rows are buffered in a reducing ChangeBuffer (one change per key with a primary
// key). What happens to the buffer depends on the delivery guarantee:
//  - at-least-once / none: the buffer is flushed — in one transaction, with multi-row statements — when it holds
//    `bufferFlushMaxRows` rows, every `bufferFlushIntervalMs`, and (at-least-once) at every checkpoint barrier;
//    retriable failures reconnect and retry up to `maxRetries` times (upserts are idempotent; appends may repeat).
//  - exactly-once: nothing is written by the writer. At the barrier `prepareCommit` converts the buffer into a
//    committable (the checkpoint's changes as bound values, under a batch id unique for ever); the committer applies
//    it with its fence row in one transaction when the checkpoint completes (mysql-committer.ts). The writer holds
//    no transaction open across the barrier, so no lock waits on another subtask's checkpoint.
// A background flush failure is reported by the next write or flush.
import { randomUUID } from 'node:crypto';
import type { Row, SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api';
import type { Connection } from 'mysql2/promise';
import { closeQuietly, openConnection, withRetries } from '../jdbc/mysql-connection.js';
import { toMySqlError } from '../jdbc/mysql-errors.js';
import { columnsByName, readTableMetadata } from '../jdbc/table-metadata.js';
import { ChangeBuffer } from './change-buffer.js';
import type { MySqlCommittable } from './mysql-committable.js';
import type { MySqlSinkSettings } from './mysql-sink-settings.js';
import { MySqlStatements } from './mysql-statements.js';
import { RowConverter } from './row-converter.js';

/**
 * A MySQL sink writer (see the module comment).
 *
 * @internal
 */
export class MySqlSinkWriter<T> implements SinkWriter<T, MySqlCommittable, never> {
  private readonly buffer: ChangeBuffer;
  private readonly toRow: (value: T) => Row;
  private readonly guarantee: NonNullable<MySqlSinkSettings['deliveryGuarantee']>;
  private readonly maxRows: number;
  private readonly token = randomUUID();
  private readonly where: string;
  private readonly keyIndexes: number[];
  private readonly statements: MySqlStatements;
  private connection: Connection | undefined;
  private converter: RowConverter | undefined;
  private inflight: Promise<void> | undefined;
  private failure: unknown;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly settings: MySqlSinkSettings<T>,
    private readonly context: SinkWriterContext,
  ) {
    this.where = `mysql sink '${settings.table}'`;
    const names = settings.columns.map((c) => c.name);
    this.keyIndexes = (settings.primaryKey ?? []).map((k) => names.indexOf(k));
    this.buffer = new ChangeBuffer(this.keyIndexes, this.where);
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
    if (this.guarantee !== 'exactly-once' && this.maxRows > 0 && this.buffer.size >= this.maxRows && this.inflight === undefined) this.startFlush();
  }

  isAvailable(): Promise<void> | undefined {
    // Back-pressure while a flush is running and another buffer's worth is waiting (never in exactly-once mode: the
    // barrier must get through for the buffer to be committed).
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
    if (this.guarantee !== 'exactly-once' || this.buffer.size === 0) return [];
    const converter = await this.ensureConverter();
    const { upserts, deletes } = this.buffer.drain();
    const batch = converter.batch(upserts, deletes);
    return [{ batchId: `${this.token}:${checkpointId}`, subtask: this.context.subtaskIndex, checkpointId, ...batch }];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    while (this.inflight !== undefined) await this.inflight.catch(() => undefined);
    await closeQuietly(this.connection);
    this.connection = undefined;
  }

  private startFlush(): void {
    const { upserts, deletes } = this.buffer.drain();
    const run = (async () => {
      const converter = await this.ensureConverter();
      const batch = converter.batch(upserts, deletes);
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
        this.failure = toMySqlError(e, `${this.where}: flush of ${upserts.length + deletes.length} rows failed`, [this.settings.connection.password]);
        throw this.failure;
      },
    );
    this.inflight.catch(() => undefined);
  }

  private async ensureConnection(): Promise<Connection> {
    this.connection ??= await openConnection(this.settings.connection, this.where);
    return this.connection;
  }

  /** The converter, once the table's column types are read (they also check that the columns exist). */
  private async ensureConverter(): Promise<RowConverter> {
    if (this.converter !== undefined) return this.converter;
    const c = await this.ensureConnection();
    try {
      const meta = await readTableMetadata(c, this.settings.connection.database, this.settings.table);
      const cols = columnsByName(meta, this.settings.columns.map((x) => x.name));
      this.converter = new RowConverter(this.settings.columns, cols, this.keyIndexes, this.settings.connection.timeZone);
      return this.converter;
    } catch (e) {
      throw toMySqlError(e, `${this.where}: cannot read the table's columns`, [this.settings.connection.password]);
    }
  }
}
