// Job child of the ClickHouse kill test: a SQL job generating N numbered events at a steady rate (`datagen`, a
// sequence: its position is in the checkpoints) into two exactly-once `clickhouse` tables — the events themselves
// (append-only) and a retracting GROUP BY per app (`replacing`) — with checkpoints every 150 ms and
// `execution.restore-from-latest-checkpoint`, so each start resumes from the newest intact checkpoint. The connector
// is found as users find it: this package linked into a `node_modules` folder next to the "script". Prints
// `{"restored": id | null}` when the job runs, `{"checkpoint": id}` per completed checkpoint and `{"finished": true}`
// when the bounded job ended (its last rows committed with the final checkpoint).
// Usage: node --import tsx --conditions=@runnel/source clickhouse-kill-job.ts <events> <rowsPerSecond> <url> <checkpointDir>
import { dirname } from 'node:path';
import { SqlSession } from '@runnel/sql';
import { packagePluginPath } from '../support/seeds-metric.js';

const [events, rate, url, checkpointDir] = process.argv.slice(2) as [string, string, string, string];

const ch = (table: string, extra: string): string =>
  `'connector' = 'clickhouse', 'url' = '${url}', 'table-name' = '${table}', 'sink.delivery-guarantee' = 'exactly-once', 'sink.batch-size' = '700', 'sink.parallelism' = '2'${extra}`;

const script = `
CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '${rate}',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '${Number(events) - 1}');
CREATE VIEW events AS SELECT id, CONCAT('app', CAST(MOD(id, 5) AS STRING)) AS app, CAST(MOD(id * 7919, 100000) AS DECIMAL(10, 0)) AS amount FROM gen;
CREATE TABLE kill_events (id BIGINT, app STRING, amount DECIMAL(10, 0)) WITH (${ch('kill_events', '')});
CREATE TABLE kill_totals (app STRING, cnt BIGINT, total DECIMAL(38, 0), PRIMARY KEY (app) NOT ENFORCED)
  WITH (${ch('kill_totals', ", 'sink.update-strategy' = 'replacing'")});
EXECUTE STATEMENT SET BEGIN
  INSERT INTO kill_events SELECT id, app, amount FROM events;
  INSERT INTO kill_totals SELECT app, COUNT(*), SUM(amount) FROM events GROUP BY app;
END;`;

try {
  const session = new SqlSession({
    config: {
      // Two source subtasks, two subtasks per sink: the GROUP BY's rows reach the sink keyed (forward from the
      // aggregation's subtasks). With one source subtask and 'sink.parallelism' = '2' the planner connected the sink
      // round-robin, a -U (a delete row) and its +U reached different subtasks with equal versions, and the deletes
      // won: the sink now refuses that configuration for `replacing`.
      'parallelism.default': '2',
      'table.local-time-zone': 'UTC',
      'execution.checkpointing.interval': '150 ms',
      'state.checkpoints.dir': checkpointDir,
      'execution.restore-from-latest-checkpoint': 'true',
      'metrics.reporter.interval': '100 ms',
    },
    // Under the test's temp dir, which the test removes (this process dies by SIGKILL).
    pluginSearchPath: [packagePluginPath(dirname(checkpointDir))],
  });
  let jobs = 0;
  await session.executeScript(script, async (_stmt, result) => {
    if (result.kind !== 'job') return;
    jobs++;
    const client = result.client;
    process.stdout.write(JSON.stringify({ restored: client.restoredCheckpointId() ?? null }) + '\n');
    const seen = new Set<number>();
    // A stall report for debugging (RUNNEL_KILL_WATCHDOG=1): what is still pending when no checkpoint completes.
    let lastProgress = Date.now();
    if (process.env['RUNNEL_KILL_WATCHDOG'] === '1') {
      setInterval(() => {
        if (Date.now() - lastProgress > 8_000) process.stderr.write(`stalled: ${JSON.stringify(process.getActiveResourcesInfo())} ${JSON.stringify(client.checkpointHistory().slice(-3))}\n`);
      }, 4_000).unref();
    }
    client.onMetrics(() => {
      for (const c of client.checkpointHistory()) {
        if (c.status !== 'completed' || seen.has(c.id)) continue;
        seen.add(c.id);
        lastProgress = Date.now();
        process.stdout.write(JSON.stringify({ checkpoint: c.id }) + '\n');
      }
    });
    await client.getJobExecutionResult();
  });
  if (jobs !== 1) throw new Error(`the script started ${jobs} jobs, expected one`);
  process.stdout.write(JSON.stringify({ finished: true }) + '\n');
  process.exit(0);
} catch (e) {
  process.stderr.write(`job failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
