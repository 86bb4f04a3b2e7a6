// Child process of the jdbc sink's kill test: a SQL job reading a rate-limited `datagen` sequence (bounded, so the job
// cannot run through its whole input between two kills however late a checkpoint comes) into two exactly-once
// `jdbc` tables of a MariaDB — a retracting aggregation (`totals`: count and sum per key, -U/+U) and a nested one
// whose changelog deletes rows (`hist`: how many keys have each count) — with checkpoints every 150 ms and
// `execution.restore-from-latest-checkpoint`, so each start resumes from the newest intact checkpoint. The
// connectors are found through the packages' manifests (linked node_modules, as installed). Prints
// `{"restored": id | null}` when the job runs, `{"checkpoint": id}` per completed checkpoint and `{"finished": true}`
// at the end. Keys and values are pure functions of the sequence number (the test's oracle computes the same).
// Usage: node --import tsx --conditions=@runnel/source jdbc-kill-job.ts <json {rows, keys, rate, url, checkpoints}>
import { SqlSession } from '@runnel/sql';
import { pluginPath } from '../support/plugin-path.js';

interface Args {
  readonly rows: number;
  readonly keys: number;
  readonly rate: number;
  readonly url: string;
  readonly checkpoints: string;
}

const args = JSON.parse(process.argv[2]!) as Args;
const jdbc = (table: string): string =>
  `'connector' = 'jdbc', 'url' = '${args.url}', 'table-name' = '${table}', 'username' = 'root', 'password' = '', 'sink.delivery-guarantee' = 'exactly-once'`;

const script = `
CREATE TABLE gen (i BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '${args.rate}',
  'fields.i.kind' = 'sequence', 'fields.i.start' = '0', 'fields.i.end' = '${args.rows - 1}');
CREATE TEMPORARY VIEW events AS
  SELECT CONCAT('k', CAST(MOD(i * i + i / 3, ${args.keys}) AS STRING)) AS k, MOD(i * 131 + i / 7, 1000) AS v FROM gen;
CREATE TABLE totals (k STRING, c BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (${jdbc('totals')});
CREATE TABLE hist (c BIGINT, n BIGINT, PRIMARY KEY (c) NOT ENFORCED) WITH (${jdbc('hist')});
EXECUTE STATEMENT SET BEGIN
  INSERT INTO totals SELECT k, COUNT(*), SUM(v) FROM events GROUP BY k;
  INSERT INTO hist SELECT c, COUNT(*) FROM (SELECT k, COUNT(*) AS c FROM events GROUP BY k) GROUP BY c;
END;`;

try {
  const session = new SqlSession({
    config: {
      'parallelism.default': '2',
      'execution.checkpointing.interval': '150 ms',
      'state.checkpoints.dir': args.checkpoints,
      'execution.restore-from-latest-checkpoint': 'true',
      'metrics.reporter.interval': '100 ms',
    },
    pluginSearchPath: [pluginPath(['connector-datagen'])],
  });
  let jobs = 0;
  await session.executeScript(script, async (_stmt, result) => {
    if (result.kind !== 'job') return;
    jobs++;
    const client = result.client;
    process.stdout.write(JSON.stringify({ restored: client.restoredCheckpointId() ?? null }) + '\n');
    const seen = new Set<number>();
    client.onMetrics(() => {
      for (const c of client.checkpointHistory()) {
        if (c.status !== 'completed' || seen.has(c.id)) continue;
        seen.add(c.id);
        process.stdout.write(JSON.stringify({ checkpoint: c.id }) + '\n');
      }
    });
    await client.getJobExecutionResult();
    process.stdout.write(JSON.stringify({ finished: true }) + '\n');
  });
  if (jobs !== 1) throw new Error(`the script started ${jobs} jobs, expected one`);
  process.exit(0);
} catch (e) {
  process.stderr.write(`job failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
