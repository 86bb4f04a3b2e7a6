// The Kafka connector's exactly-once proof under SIGKILL, against a real Kafka-protocol server (Mokapi in its own
// network namespace, see test/support/mokapi.ts). A producer child (kafka-kill-produce.ts) keeps producing N numbered
// JSON records, keyed, to a topic of 4 partitions at a steady rate, while a SQL job child (kafka-kill-job.ts: the
// kafka source from the earliest offset -> a projection -> the exactly-once filesystem sink, json, parallelism 2,
// checkpoints every 150 ms, `execution.restore-from-latest-checkpoint`) is killed with SIGKILL 5 times at random
// moments and restarted each time with the same checkpoint directory. Kills 1, 3 and 5 land after the run's first
// checkpoint plus a random delay, kills 2 and 4 anywhere (also before it). The final run reads on until the producer
// is done and the committed files hold N distinct ids, keeps running for a few more checkpoints (anything still to
// commit would be committed), and is then killed too. Then: every id exactly once in the committed files (0 lost,
// 0 duplicated), each at the partition and offset it was written to once, and at least 3 restarts restored from a
// checkpoint. The seed is logged (RUNNEL_KILL_SEED reproduces the kill moments).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMokapi, type Mokapi, type MokapiChild } from '../support/mokapi.js';

const PRODUCER = fileURLToPath(new URL('./kafka-kill-produce.ts', import.meta.url));
const JOB = fileURLToPath(new URL('./kafka-kill-job.ts', import.meta.url));
const TOPIC = 'kill-events';
const PARTITIONS = 4;
const N = Number(process.env['RUNNEL_KAFKA_KILL_RECORDS'] ?? 40_000);
/** Records a second: the producer runs for about N / RATE seconds, through the 5 kills. */
const RATE = 1_000;
const BATCH = 200;
const KILLS = 5;

/** A small seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface JobRun {
  readonly child: MokapiChild;
  /** The checkpoint the run restored from (null: a fresh start) once the job runs; null too if the run ended first. */
  readonly started: Promise<number | null>;
  /** Settles when the run completed its first checkpoint (or ended). */
  readonly checkpointed: Promise<void>;
  checkpoints(): number;
}

function watchLines(child: MokapiChild, onLine: (line: string) => void): void {
  let rest = '';
  child.child.stdout!.on('data', (d: Buffer) => {
    rest += d.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const l of lines) onLine(l);
  });
}

interface Line {
  readonly id: number;
  readonly k: string;
  readonly p: number;
  readonly o: number;
}

/** The records of the committed (visible) part files: in-progress and pending files start with a dot. */
function committed(dir: string): Line[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Line[] = [];
  for (const f of names) {
    if (f.startsWith('.')) continue;
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l) out.push(JSON.parse(l) as Line);
  }
  return out;
}

describe('kafka source -> exactly-once filesystem sink under SIGKILL, against Mokapi', () => {
  let mokapi: Mokapi;
  let root: string;

  beforeAll(async () => {
    mokapi = await startMokapi({ topics: [{ name: TOPIC, partitions: PARTITIONS }] });
    root = mkdtempSync(join(tmpdir(), 'runnel-kafka-kill-'));
  });

  afterAll(async () => {
    await mokapi?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(`${N} records produced while the job is killed ${KILLS} times: each committed exactly once`, async () => {
    const seed = Number(process.env['RUNNEL_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`kafka kill test: seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
    const random = rng(seed);
    const out = join(root, 'out');
    const checkpoints = join(root, 'checkpoints');
    const t0 = Date.now();

    const producer = mokapi.spawn(PRODUCER, [TOPIC, String(PARTITIONS), String(N), String(RATE), String(BATCH)], {}, { timeoutMs: 360_000 });
    let produced = 0;
    let producerDone = false;
    watchLines(producer, (l) => {
      const m = /^\{"produced":(\d+)\}$/.exec(l);
      if (m) produced = Number(m[1]);
      if (l.startsWith('{"done":')) producerDone = true;
    });
    const producerFailed = producer.result.then((r) => {
      if (r.code !== 0) throw new Error(`the producer failed (${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}\n--- Mokapi log:\n${mokapi.log().slice(-2000)}`);
      return r;
    });
    producerFailed.catch(() => undefined);

    const startJob = (): JobRun => {
      const child = mokapi.spawn(JOB, [TOPIC, out, checkpoints], {}, { timeoutMs: 360_000 });
      let resolveStarted!: (id: number | null) => void;
      const started = new Promise<number | null>((r) => (resolveStarted = r));
      let resolveCheckpointed!: () => void;
      const checkpointed = new Promise<void>((r) => (resolveCheckpointed = r));
      let count = 0;
      watchLines(child, (l) => {
        const m = /^\{"restored":(null|\d+)\}$/.exec(l);
        if (m) resolveStarted(m[1] === 'null' ? null : Number(m[1]));
        if (l.startsWith('{"checkpoint":')) {
          count++;
          resolveCheckpointed();
        }
      });
      void child.result.then(() => {
        resolveStarted(null);
        resolveCheckpointed();
      });
      return { child, started, checkpointed, checkpoints: () => count };
    };
    const failed = async (run: JobRun, what: string): Promise<never> => {
      const r = await run.child.result;
      throw new Error(`seed ${seed}: the job ended on its own ${what} (${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}\n--- Mokapi log:\n${mokapi.log().slice(-2000)}`);
    };

    // Wait for the first records, so that the first run has something to read before its kill.
    while (produced === 0) {
      await Promise.race([sleep(20), producerFailed]);
    }

    const log: { kill: number; restoredFrom: number | null; afterMs: number; checkpoints: number; produced: number; committed: number }[] = [];
    let restores = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const run = startJob();
      const restored = await run.started;
      if (restored !== null) restores++;
      const startedAt = Date.now();
      let wait: Promise<void>;
      if (kill % 2 === 1) {
        // After this run's first checkpoint, plus a random moment.
        wait = run.checkpointed.then(() => sleep(Math.floor(random() * 2_500)));
      } else {
        // Anywhere from the job's start, before its first checkpoint too.
        wait = sleep(Math.floor(random() * 1_200));
      }
      await Promise.race([wait, run.child.result.then(() => failed(run, `before kill ${kill}`))]);
      run.child.kill('SIGKILL');
      const r = await run.child.result;
      expect(r.signal, `seed ${seed}: kill ${kill}: ${r.stderr.slice(-2000)}`).toBe('SIGKILL');
      log.push({ kill, restoredFrom: restored, afterMs: Date.now() - startedAt, checkpoints: run.checkpoints(), produced, committed: committed(out).length });
    }
    const producedDuringKills = produced;

    // The final run: on until the producer is done and every id is committed, then a few more checkpoints.
    const finalAt = Date.now();
    const final = startJob();
    const restoredFinal = await final.started;
    if (restoredFinal !== null) restores++;
    const committedBefore = committed(out).length;
    let firstCommitMs: number | undefined;
    // Generous: on a loaded machine Mokapi takes the producer's records slower than its nominal rate.
    const deadline = Date.now() + 180_000;
    const ended = final.child.result.then(() => failed(final, 'in the final run'));
    ended.catch(() => undefined);
    for (;;) {
      await Promise.race([sleep(200), ended, producerFailed]);
      const now = committed(out);
      if (firstCommitMs === undefined && now.length > committedBefore) firstCommitMs = Date.now() - finalAt;
      if (producerDone && new Set(now.map((l) => l.id)).size >= N) break;
      if (Date.now() > deadline) {
        throw new Error(`seed ${seed}: after 180 s the final run committed ${new Set(committed(out).map((l) => l.id)).size} of ${N} ids (producer done: ${producerDone})`);
      }
    }
    const settle = final.checkpoints() + 3;
    while (final.checkpoints() < settle) await Promise.race([sleep(20), ended]);
    final.child.kill('SIGKILL');
    await final.child.result;
    await producerFailed;
    const ms = Date.now() - t0;
    const finalMs = Date.now() - finalAt;

    const lines = committed(out);
    const counts = new Map<number, number>();
    for (const l of lines) counts.set(l.id, (counts.get(l.id) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    for (let i = 0; i < N; i++) {
      const c = counts.get(i) ?? 0;
      if (c === 0) lost++;
      else duplicated += c - 1;
    }
    const foreign = [...counts.keys()].filter((id) => !(Number.isInteger(id) && id >= 0 && id < N)).length;
    // Each record at one partition and offset, its key's partition; offsets distinct per partition.
    const positions = new Set(lines.map((l) => `${l.p}/${l.o}`));
    const misplaced = lines.filter((l) => l.k !== `k${l.id % 64}` || l.p !== (l.id % 64) % PARTITIONS).length;
    console.log(
      `kafka kill test: ${N} records, ${KILLS} kills + the final run, restores ${restores}, ${ms} ms (final run ${finalMs} ms, its first commit after ${firstCommitMs} ms), ` +
        `produced ${producedDuringKills} of ${N} during the kills, kills ${JSON.stringify(log)}`,
    );
    expect({ seed, lines: lines.length, lost, duplicated, foreign, positions: positions.size, misplaced }).toEqual({
      seed,
      lines: N,
      lost: 0,
      duplicated: 0,
      foreign: 0,
      positions: N,
      misplaced: 0,
    });
    expect(log).toHaveLength(KILLS);
    expect(restores, `seed ${seed}: only ${restores} of ${KILLS} restarts (runs 2 to ${KILLS} and the final run) restored from a checkpoint`).toBeGreaterThanOrEqual(3);
  }, 480_000);
});
