// The reader of the scan source: reads its splits one after another, each with one streaming SELECT (mysql2's
// `query(...).stream()`: rows arrive as the server sends them, at most `fetchSize` buffered ahead, the socket paused
// when the buffer is full — no result set is ever held whole). Rows come in primary-key order, so the position of a
// split is the key of the last row emitted, and a restored split resumes with `WHERE key > last` (a table without
// a key re-runs the query and skips the rows already emitted). `pollNext` emits what is buffered, synchronously.
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '@runnel/api/connector';
import type { Connection } from 'mysql2/promise';
import type { Readable } from 'node:stream';
import { row, RowKind, type Row } from '@runnel/api';
import { closeQuietly, openConnection } from '../jdbc/mysql-connection.js';
import { toMySqlError } from '../jdbc/mysql-errors.js';
import { columnsByName, readTableMetadata } from '../jdbc/table-metadata.js';
import { mysqlValueReader, type MySqlBindValue } from '../types/mysql-types.js';
import type { MySqlScanSettings } from './mysql-scan-settings.js';
import { scanQuery, type ScanQuery } from './scan-query.js';
import type { MySqlScanSplit } from './mysql-scan-split.js';
import { AvailabilitySignal } from './availability-signal.js';

interface Current {
  split: MySqlScanSplit;
  readonly output: ReaderOutput<unknown>;
  stream: Readable | undefined;
  ended: boolean;
  /** Rows of a key-less split still to skip after a restore. */
  skip: number;
}

/**
 * Reads scan splits (see the module comment).
 *
 * @internal
 */
export class MySqlScanReader<T> implements SourceReader<T, MySqlScanSplit> {
  private readonly queue: MySqlScanSplit[] = [];
  private current: Current | undefined;
  private noMoreSplits = false;
  private connection: Connection | undefined;
  private query: ScanQuery | undefined;
  private readers: ((v: unknown) => unknown)[] = [];
  private failure: unknown;
  private readonly signal = new AvailabilitySignal();
  private readonly where: string;
  private readonly toRecord: (r: Row) => T;
  private closed = false;

  constructor(
    private readonly settings: MySqlScanSettings<T>,
    private readonly context: SourceReaderContext,
  ) {
    this.where = `mysql scan '${settings.table}'`;
    this.toRecord = settings.toRecord ?? ((r: Row) => r as unknown as T);
  }

  start(): void {
    this.context.sendSplitRequest();
  }

  addSplits(splits: readonly MySqlScanSplit[]): void {
    this.queue.push(...splits);
    this.signal.notify();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.signal.notify();
  }

  isAvailable(): Promise<void> {
    return this.signal.promise();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.failure !== undefined) throw this.failure;
    const cur = this.current;
    if (cur === undefined) {
      const next = this.queue.shift();
      if (next === undefined) return this.noMoreSplits ? 'end-of-input' : 'nothing-available';
      this.current = { split: next, output: output.createOutputForSplit(next.splitId) as ReaderOutput<unknown>, stream: undefined, ended: false, skip: 0 };
      this.open(this.current);
      return 'nothing-available';
    }
    if (cur.stream === undefined) return 'nothing-available';
    const q = this.query!;
    const width = this.readers.length;
    let n = 0;
    let read = 0;
    let last: unknown[] | undefined;
    while (read < 2048) {
      const raw = cur.stream.read() as unknown[] | null;
      if (raw === null) break;
      read++;
      if (cur.skip > 0) {
        cur.skip--;
        continue;
      }
      n++;
      const fields = new Array<unknown>(width);
      for (let i = 0; i < width; i++) fields[i] = this.readers[i]!(raw[i]);
      cur.output.collect(this.toRecord(row(RowKind.INSERT, fields)));
      last = raw;
    }
    if (n > 0) {
      const emitted = cur.split.emitted + n;
      cur.split = {
        ...cur.split,
        emitted,
        after: last !== undefined && q.keyPositions.length > 0 ? q.keyPositions.map((i) => last[i] as MySqlBindValue) : cur.split.after,
      };
    }
    if (cur.ended && cur.stream.readableLength === 0) {
      output.releaseOutputForSplit(cur.split.splitId);
      this.current = undefined;
      if (this.queue.length === 0 && !this.noMoreSplits) this.context.sendSplitRequest();
      return 'more-available';
    }
    return read > 0 ? 'more-available' : 'nothing-available';
  }

  private open(cur: Current): void {
    void (async () => {
      try {
        if (this.connection === undefined) {
          this.connection = await openConnection(this.settings.connection, this.where);
          const meta = await readTableMetadata(this.connection, this.settings.connection.database, this.settings.table);
          const names = this.settings.columns.map((c) => c.name);
          const cols = columnsByName(meta, names);
          this.readers = this.settings.columns.map((c, i) => mysqlValueReader(c.name, c.type, cols[i]!.type, { timeZone: this.settings.connection.timeZone }));
          this.query = scanQuery(this.settings.table, names, meta.primaryKey, this.settings.partitionColumn);
        }
        const q = this.query!;
        const { sql, values } = q.forSplit(cur.split);
        // A key-less split resumes by skipping what it emitted before.
        cur.skip = q.keyPositions.length === 0 ? cur.split.emitted : 0;
        const core = (this.connection as unknown as { connection: { query(o: object): { stream(o: object): Readable } } }).connection;
        const stream = core.query({ sql, values, rowsAsArray: true }).stream({ highWaterMark: this.settings.fetchSize || 1024 });
        stream.on('readable', () => this.signal.notify());
        stream.on('end', () => {
          cur.ended = true;
          this.signal.notify();
        });
        stream.on('error', (e: unknown) => {
          this.failure = toMySqlError(e, `${this.where}: reading split ${cur.split.splitId} failed`, [this.settings.connection.password]);
          this.signal.notify();
        });
        cur.stream = stream;
      } catch (e) {
        if (!this.closed) this.failure = toMySqlError(e, `${this.where}: cannot start split ${cur.split.splitId}`, [this.settings.connection.password]);
      } finally {
        this.signal.notify();
      }
    })();
  }

  snapshotState(): MySqlScanSplit[] {
    const out: MySqlScanSplit[] = [];
    if (this.current !== undefined) {
      out.push(this.current.split);
    }
    out.push(...this.queue);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.current?.stream !== undefined && !this.current.ended) {
      // A streaming query cannot be cancelled politely: drop the connection.
      this.connection?.destroy();
      this.connection = undefined;
    }
    await closeQuietly(this.connection);
    this.connection = undefined;
  }
}
