// The sink benchmark: upserts into the local MariaDB through the MySQL sink, writer and committer driven as the
// runtime's sink operator drives them (sink-operator.ts, task.ts): rows written, a checkpoint every `checkpointRows`
// rows — flush, prepareCommit, the committables serialized as into a checkpoint — and the committer's commit (with
// its fence row) started when the checkpoint completes and run in the background while the writer takes the next
// checkpoint's rows, commits one after another in checkpoint order; the round ends when the last commit landed.
// Against plain mysql2 doing the same statements (multi-row INSERT ... ON DUPLICATE KEY UPDATE of 1000 rows through
// execute, one transaction per checkpoint's rows, each awaited). Every round updates every row of the table (the
// first round inserts them), so rows/s are rows applied, not rows reduced away by the buffer.
import type { Sink } from '@runnel/api';
import { testSinkWriterContext } from '@runnel/testing';
import { createConnection } from 'mysql2/promise';
import { MySqlSink } from '../src/sink/mysql-sink.js';
import { mysqlCommittableSerializer, type MySqlCommittable } from '../src/sink/mysql-committable.js';
import type { MySqlConnectionSettings } from '../src/jdbc/mysql-connection.js';
import { benchRow, COLUMNS, measure, plainRow, type Measured } from './common.js';

export interface SinkBenchOptions {
  readonly connection: MySqlConnectionSettings;
  readonly rows: number;
  readonly checkpointRows: number;
}

/** One round of the Runnel sink (exactly-once or at-least-once) into `table`. */
export async function runnelSinkRound(o: SinkBenchOptions, table: string, round: number, guarantee: 'exactly-once' | 'at-least-once'): Promise<Measured> {
  const sink = new MySqlSink({ connection: o.connection, table, columns: COLUMNS, primaryKey: ['id'], deliveryGuarantee: guarantee, bufferFlushMaxRows: 1000, bufferFlushIntervalMs: 0 });
  const writer = (sink as Sink<unknown, unknown, never>).createWriter(testSinkWriterContext());
  const committer = sink.createCommitter?.();
  const ctx = { timestamp: 0, currentWatermark: 0 };
  try {
    return await measure(o.rows, async () => {
      let cp = 0;
      let committing: Promise<void> = Promise.resolve();
      for (let i = 0; i < o.rows; i++) {
        writer.write(benchRow(i, round), ctx);
        const wait = writer.isAvailable?.();
        if (wait !== undefined) await wait;
        if ((i + 1) % o.checkpointRows === 0 || i === o.rows - 1) {
          const id = ++cp;
          await writer.flush(i === o.rows - 1);
          const committables = (await writer.prepareCommit?.(id)) ?? [];
          // The runtime puts committables into the checkpoint: their serialization is part of the cost.
          for (const c of committables) mysqlCommittableSerializer.serialize(c as MySqlCommittable);
          if (committer !== undefined && committables.length > 0) {
            // As the sink operator: the commit runs when the checkpoint completes, after the previous commit, while
            // the task goes on feeding the writer.
            committing = committing.then(async () => await committer.commit(committables.map((c) => ({ checkpointId: id, committable: c }))));
            committing.catch(() => undefined);
          }
        }
      }
      await committing;
    });
  } finally {
    await writer.close();
    await committer?.close();
  }
}

/** One round of plain mysql2 into `table`. */
export async function plainSinkRound(o: SinkBenchOptions, table: string, round: number): Promise<Measured> {
  const c = await createConnection({ host: o.connection.host, port: o.connection.port, user: o.connection.user, password: o.connection.password ?? '', database: o.connection.database });
  const cols = COLUMNS.map((x) => `\`${x.name}\``);
  const one = `(${cols.map(() => '?').join(', ')})`;
  const sqlFor = (n: number): string =>
    `INSERT INTO \`${table}\` (${cols.join(', ')}) VALUES ${new Array<string>(n).fill(one).join(', ')} ON DUPLICATE KEY UPDATE ${cols.slice(1).map((x) => `${x} = VALUES(${x})`).join(', ')}`;
  try {
    return await measure(o.rows, async () => {
      for (let start = 0; start < o.rows; start += o.checkpointRows) {
        const end = Math.min(o.rows, start + o.checkpointRows);
        await c.query('START TRANSACTION');
        for (let s = start; s < end; s += 1000) {
          const n = Math.min(1000, end - s);
          const values: (string | number)[] = [];
          for (let i = s; i < s + n; i++) values.push(...plainRow(i, round));
          await c.execute(sqlFor(n), values);
        }
        await c.query('COMMIT');
      }
    });
  } finally {
    await c.end();
  }
}
