// Child process of the SQL kill test: runs a SQL script in a session whose configuration enables checkpoints and
// `execution.restore-from-latest-checkpoint`, so each start resumes from the newest intact checkpoint in
// `state.checkpoints.dir`. Prints one JSON line when the job runs (`{"restored": id | null}`), one per checkpoint it
// completes (`{"checkpoint": id}`), the job's event-time progress whenever it moves (`{"watermark": ms}`: the most
// advanced operator watermark, the minimum over its subtasks) and one line when it finished (`{"finished": ...}`), as
// the runtime's kill-test child.
// Usage: node --import tsx --conditions=@runnel/source run-sql-job.ts <json {script, config}>
import { SqlSession } from '../../src/index.js';

interface Args {
  /** The statements; the last one starts the job (an INSERT or a statement set). */
  readonly script: string;
  /** The session configuration (`execution.checkpointing.interval`, `state.checkpoints.dir`, ...). */
  readonly config: Record<string, string>;
}

const args = JSON.parse(process.argv[2]!) as Args;
try {
  const session = new SqlSession({ config: args.config });
  let jobs = 0;
  await session.executeScript(args.script, async (_stmt, result) => {
    if (result.kind !== 'job') return;
    jobs++;
    const client = result.client;
    process.stdout.write(JSON.stringify({ restored: client.restoredCheckpointId() ?? null }) + '\n');
    const seen = new Set<number>();
    let watermark = -Infinity;
    client.onMetrics(() => {
      for (const c of client.checkpointHistory()) {
        if (c.status !== 'completed' || seen.has(c.id)) continue;
        seen.add(c.id);
        process.stdout.write(JSON.stringify({ checkpoint: c.id }) + '\n');
      }
      // No watermark yet is a huge negative number, the end of input a huge positive one: neither is progress.
      let w = -Infinity;
      for (const m of client.operatorMetrics()) if (m.name === 'currentInputWatermark' && Math.abs(m.min) < 8.64e15) w = Math.max(w, m.min);
      if (w > watermark) {
        watermark = w;
        process.stdout.write(JSON.stringify({ watermark: w }) + '\n');
      }
    });
    const r = await client.getJobExecutionResult();
    process.stdout.write(JSON.stringify({ finished: { restarts: r.restarts, checkpoints: r.checkpoints.filter((c) => c.status === 'completed').length } }) + '\n');
  });
  if (jobs !== 1) throw new Error(`the script started ${jobs} jobs, expected one`);
  process.exit(0);
} catch (e) {
  process.stderr.write(`child failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
