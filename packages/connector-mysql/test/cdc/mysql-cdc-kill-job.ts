// Job child of the mysql-cdc kill test: a SQL job reading the three source tables through `'connector' =
// 'mysql-cdc'` (initial startup: chunked snapshot, then the binlog) into the same tables of another database through
// the `jdbc` upsert sink (exactly-once: each checkpoint's changes in one transaction with a fence row), parallelism 2,
// checkpoints every 300 ms, `execution.restore-from-latest-checkpoint`, so each start resumes from the newest checkpoint. The
// connector is found as users find it (the package linked into a `node_modules` next to the script). Prints
// `{"restored": id | null}` when the job runs and `{"checkpoint": id}` per completed checkpoint. Chunk reads are
// appended to RUNNEL_MYSQL_CDC_CHUNK_LOG by the source. It never ends on its own: the test kills it.
// Usage: node --import tsx --conditions=@runnel/source mysql-cdc-kill-job.ts <port> <srcDb> <tgtDb> <checkpointDir>
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlSession } from '@runnel/sql';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [port, src, tgt, checkpointDir] = process.argv.slice(2) as [string, string, string, string];

function pluginPath(): string {
  const root = mkdtempSync(join(tmpdir(), 'runnel-mysql-cdc-kill-'));
  mkdirSync(join(root, 'node_modules', '@runnel'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@runnel', 'connector-mysql'), 'dir');
  return join(root, 'script.sql');
}

const cdc = (table: string, ids: string): string =>
  `WITH ('connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '${port}', 'username' = 'root', 'password' = '',
    'database-name' = '${src}', 'table-name' = '${table}', 'server-id' = '${ids}', 'scan.incremental.snapshot.chunk.size' = '4000')`;
const jdbc = (table: string): string =>
  `WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://127.0.0.1:${port}/${tgt}', 'table-name' = '${table}', 'username' = 'root', 'password' = '', 'sink.delivery-guarantee' = '${process.env['RUNNEL_KILL_SINK_GUARANTEE'] ?? 'exactly-once'}')`;
const cols = (key: string): string => `${key}, v INT, s STRING, d DECIMAL(12, 2), ts TIMESTAMP(3)`;

const script = `
CREATE TABLE s_orders (${cols('id BIGINT')}, PRIMARY KEY (id) NOT ENFORCED) ${cdc('orders', '5401-5404')};
CREATE TABLE s_items (${cols('id INT')}, PRIMARY KEY (id) NOT ENFORCED) ${cdc('items', '5411-5414')};
CREATE TABLE s_tags (${cols('code STRING')}, PRIMARY KEY (code) NOT ENFORCED) ${cdc('tags', '5421-5424')};
CREATE TABLE t_orders (${cols('id BIGINT')}, PRIMARY KEY (id) NOT ENFORCED) ${jdbc('orders')};
CREATE TABLE t_items (${cols('id INT')}, PRIMARY KEY (id) NOT ENFORCED) ${jdbc('items')};
CREATE TABLE t_tags (${cols('code STRING')}, PRIMARY KEY (code) NOT ENFORCED) ${jdbc('tags')};
EXECUTE STATEMENT SET BEGIN
  INSERT INTO t_orders SELECT * FROM s_orders;
  INSERT INTO t_items SELECT * FROM s_items;
  INSERT INTO t_tags SELECT * FROM s_tags;
END;`;

try {
  const session = new SqlSession({
    config: {
      'parallelism.default': '2',
      'execution.checkpointing.interval': '100 ms',
      // Source tasks unchained from the sink, so the changelog crosses task boundaries. (This was first a workaround:
      // a source task still opening when a checkpoint came declined it, which stopped checkpointing; fixed in the
      // runtime in 7189b4b. RUNNEL_KILL_JOB_CHAIN=true runs the chained job, where the sink's open re-commits the
      // restored checkpoint's changes while the task opens.)
      'pipeline.operator-chaining': process.env['RUNNEL_KILL_JOB_CHAIN'] ?? 'false',
      'state.checkpoints.dir': checkpointDir,
      'execution.restore-from-latest-checkpoint': 'true',
      'metrics.reporter.interval': '100 ms',
    },
    pluginSearchPath: [pluginPath()],
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
    if (process.env['RUNNEL_KILL_JOB_DEBUG']) {
      setInterval(() => process.stderr.write(`history ${JSON.stringify(client.checkpointHistory().slice(-1))} events ${JSON.stringify(client.events().slice(-6))}\n`), 4000).unref();
    }
    await client.getJobExecutionResult();
  });
  if (jobs !== 1) throw new Error(`the script started ${jobs} jobs, expected one`);
  process.stderr.write('the job ended on its own: the CDC source is unbounded\n');
  process.exit(2);
} catch (e) {
  process.stderr.write(`job failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
