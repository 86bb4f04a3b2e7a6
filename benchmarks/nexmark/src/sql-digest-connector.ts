// The SQL runs' sink: a table connector `nexmark-digest` that, like Flink's `blackhole`, takes every changelog kind
// and drops the rows, after adding each row's hash to its subtask's digest (result-digest.ts), which it sends to the
// client at end of input like the DataStream runs' DigestSink. A changelog is digested as applied: +I/+U add,
// -U/-D subtract, so an updating query's digest is that of its final result table; `changes` counts the messages.
// It is registered with `registerPlugin` by the job module (sql-queries.ts), so every worker thread finds it.
import type { Sink, SinkWriter, SinkWriterContext } from '@runnel/api';
import type { ConnectorFactory } from '@runnel/api/connector';
import { RowKind, type ChangelogMode, type Row, type SinkRequest, type TableSink } from '@runnel/api/table';
import { DIGEST_CHANNEL, sqlRowHash, type SubtaskDigest } from './result-digest.js';

/** Digests the rows of a SQL changelog (see the module comment). */
export class SqlDigestSink implements Sink<Row> {
  /** `fits64[i]`: column i's bigints fit in 64 bits (not a DECIMAL wider than 18 digits): hashed without range checks. */
  constructor(private readonly fits64?: readonly boolean[]) {}

  createWriter(ctx: SinkWriterContext): SinkWriter<Row> {
    let rows = 0;
    let sum = 0;
    let changes = 0;
    const fits64 = this.fits64;
    return {
      write(row: Row): void {
        const h = sqlRowHash(row.fields, fits64);
        changes++;
        if (row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER) {
          rows++;
          sum = (sum + h) >>> 0;
        } else {
          rows--;
          sum = (sum - h) >>> 0;
        }
      },
      flush(endOfInput: boolean): void {
        if (!endOfInput) return;
        const d: SubtaskDigest = { subtask: ctx.subtaskIndex, parallelism: ctx.parallelism, rows, sum, changes };
        ctx.sendToClient(DIGEST_CHANNEL, [d]);
      },
      close(): void {},
    };
  }
}

/** The `nexmark-digest` connector: a SQL table sink only, without options. */
export const digestConnectorFactory: ConnectorFactory = {
  identifier: 'nexmark-digest',
  apiVersion: '^0.1.0',
  options: [],
  createTableSink(): TableSink {
    return {
      // Every kind is taken (the requested mode as is), as the blackhole does.
      changelogMode: (requested: ChangelogMode) => requested,
      // The row type bounds the bigints, per column: BIGINT is 64-bit, a DECIMAL's unscaled value is when its precision
      // is <= 18 (q1's DECIMAL(23, 3) price is not, its BIGINT ids are).
      createSink: (request: SinkRequest) =>
        new SqlDigestSink(request.consumedType.fields.map((f) => f.type.root !== 'DECIMAL' || (f.type.precision ?? 38) <= 18)),
      summary: () => 'NexmarkDigest',
    };
  },
};
