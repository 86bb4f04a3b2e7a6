// One run of a campaign job, in a child process of the driver (so that the driver can SIGKILL it). Usage:
//   child.ts <json JobSpec> <json runtime options>
// It reports over the IPC channel: `started` (with the checkpoint or savepoint it restored from), `savepoint`,
// `finished` (restarts, late records dropped) or `failed`; the driver sends `stop` (stop-with-savepoint, with or
// without drain) and `cancel`. With `holdAtEnd` in the options the process stays alive after the job finished, so
// that the driver can kill it after its final checkpoint.
import { submitJob, type JobClient } from '@runnel/runtime';

/** Driver → child. */
export type ToChild = { t: 'stop'; dir: string; drain: boolean } | { t: 'cancel' } | { t: 'diagnose' };

/** Child → driver. */
export type FromChild =
  | { t: 'started'; restoredCheckpointId: number | null }
  | { t: 'savepoint'; path: string }
  | { t: 'finished'; restarts: number; lateDropped: number; checkpoints: number; restoredIds: number[] }
  | { t: 'canceled' }
  | { t: 'failed'; error: string }
  | { t: 'diagnosis'; text: string }
  | { t: 'progress'; records: number };

const send = (m: FromChild): Promise<void> => new Promise((resolve) => process.send!(m, undefined, undefined, () => resolve()));

/** What a hung job looks like from its client: status, per-operator counts and watermarks, buffers, checkpoints. */
function diagnose(client: JobClient): string {
  const lines = [`status ${client.getStatus()}`];
  const ops = new Map<string, string[]>();
  for (const m of client.operatorMetrics()) {
    if (!/^(numRecordsIn|numRecordsOut|currentInputWatermark|currentOutputWatermark)$/.test(m.name)) continue;
    const op = m.variables['<operator_name>'] ?? JSON.stringify(m.variables);
    const v = m.name.includes('Watermark') ? `${m.min}..${m.max}` : String(m.sum);
    (ops.get(op) ?? ops.set(op, []).get(op)!).push(`${m.name}=${v}`);
  }
  for (const [op, vs] of ops) lines.push(`  ${op}: ${vs.join(' ')}`);
  for (const b of client.bufferStats()) lines.push(`  task ${b.task}: buffered ${b.bufferedRecords}, queued input ${b.queuedInputBuffers}, busy ${Math.round(b.busyMs)} ms${b.state ? `; ${b.state}` : ''}`);
  for (const c of client.checkpointHistory().slice(-4)) lines.push(`  checkpoint ${c.id} ${c.kind} ${c.status}${c.failure ? `: ${c.failure}` : ''}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const [specText, optionsText, flagsText] = process.argv.slice(2);
  const spec = JSON.parse(specText!) as unknown;
  const options = JSON.parse(optionsText!) as Record<string, unknown>;
  const flags = JSON.parse(flagsText ?? '{}') as { holdAtEnd?: boolean };
  const job = new URL('./job.ts', import.meta.url).pathname;
  let client: JobClient;
  try {
    client = await submitJob(job, { exportName: 'campaignJob', args: spec, options });
  } catch (e) {
    await send({ t: 'failed', error: `submit: ${(e as Error).message}` });
    process.exit(1);
  }
  await send({ t: 'started', restoredCheckpointId: client.restoredCheckpointId() ?? null });
  // Records the keyed operator took in this run (behind the slow operator, unlike what sources emit into buffers),
  // for actions timed by progress.
  client.onMetrics(() => {
    let records = 0;
    for (const m of client.operatorMetrics()) {
      const op = m.variables['<operator_id>'];
      if (m.name === 'numRecordsIn' && (op === 'windows' || op === 'buckets')) records += m.sum;
    }
    if (process.connected) process.send!({ t: 'progress', records } satisfies FromChild);
  });
  let canceling = false;
  process.on('message', (m: ToChild) => {
    if (m.t === 'diagnose') {
      void send({ t: 'diagnosis', text: diagnose(client) });
    } else if (m.t === 'cancel') {
      canceling = true;
      void client.cancel();
    } else if (m.t === 'stop') {
      client.stopWithSavepoint(m.dir, { drain: m.drain }).then(
        (path) => void send({ t: 'savepoint', path }),
        (e: unknown) => void send({ t: 'failed', error: `stop-with-savepoint: ${(e as Error).message}` }),
      );
    }
  });
  try {
    const r = await client.getJobExecutionResult();
    const lateDropped = client
      .operatorMetrics()
      .filter((m) => m.name === 'numLateRecordsDropped')
      .reduce((n, m) => n + m.sum, 0);
    const restoredIds = r.events.filter((e) => e.type === 'restored' && e.checkpointId !== undefined).map((e) => e.checkpointId!);
    await send({ t: 'finished', restarts: r.restarts, lateDropped, checkpoints: r.checkpoints.filter((c) => c.status === 'completed').length, restoredIds });
    if (flags.holdAtEnd) await new Promise(() => setInterval(() => {}, 1000));
    process.exit(0);
  } catch (e) {
    if (canceling) {
      await send({ t: 'canceled' });
      process.exit(3);
    }
    await send({ t: 'failed', error: (e as Error).message });
    process.exit(1);
  }
}

void main();
