// Job child of the Kafka kill test (runs inside Mokapi's network namespace): a SQL job reading the topic through
// `'connector' = 'kafka'` (earliest offset, unbounded, no group id: joining a group can crash Mokapi 0.52) into the
// exactly-once filesystem sink (json), with checkpoints every 150 ms and `execution.restore-from-latest-checkpoint`,
// so each start resumes from the newest intact checkpoint in the checkpoint directory. The connector is found as
// users find it: the package is linked into a `node_modules` folder next to the "script" and the plugin registry
// reads its manifest. Prints `{"restored": id | null}` when the job runs and `{"checkpoint": id}` per completed
// checkpoint, as the SQL kill test's child does. It never ends on its own: the test kills it.
// Usage: node --import tsx --conditions=@runnel/source kafka-kill-job.ts <topic> <outDir> <checkpointDir>
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlSession } from '@runnel/sql';

const BROKERS = process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const [topic, outDir, checkpointDir] = process.argv.slice(2) as [string, string, string];

/** A plugin search path entry whose `node_modules` holds this package, as an installation would. */
function pluginPath(): string {
  const root = mkdtempSync(join(tmpdir(), 'runnel-kafka-kill-'));
  mkdirSync(join(root, 'node_modules', '@runnel'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@runnel', 'connector-kafka'), 'dir');
  return join(root, 'script.sql');
}

const script = `
CREATE TABLE events (id BIGINT, k STRING, p INT METADATA FROM 'partition' VIRTUAL, o BIGINT METADATA FROM 'offset' VIRTUAL)
  WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${BROKERS}',
        'format' = 'json', 'scan.startup.mode' = 'earliest-offset');
CREATE TABLE out (id BIGINT, k STRING, p INT, o BIGINT)
  WITH ('connector' = 'filesystem', 'path' = '${outDir}', 'format' = 'json');
INSERT INTO out SELECT id, k, p, o FROM events;`;

try {
  const session = new SqlSession({
    config: {
      'parallelism.default': '2',
      'execution.checkpointing.interval': '150 ms',
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
    await client.getJobExecutionResult();
  });
  if (jobs !== 1) throw new Error(`the script started ${jobs} jobs, expected one`);
  process.stderr.write('the job ended on its own: it reads an unbounded topic\n');
  process.exit(2);
} catch (e) {
  process.stderr.write(`job failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
