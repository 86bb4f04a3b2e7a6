// The exactly-once proof: a keyed event-time windowed aggregation over 1 M generated events with checkpoints every
// second and the exactly-once file sink runs as a child process that is killed with SIGKILL at random moments at
// least 5 times and restarted from its checkpoints each time; the committed output must equal the output of an
// uninterrupted run exactly — on the heap and on the LevelDB state backend, and on the heap backend with
// incremental checkpoints (chains of deltas, one retained checkpoint, a full one every third). The seed is logged (and can be set with
// RUNNEL_KILL_SEED) so that a failure reproduces.
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const child = new URL('../fixtures/kill-child.ts', import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve('tsx');
const ROWS = 1_000_000;

function committedLines(dir: string): string[] {
  const lines: string[] = [];
  for (const f of readdirSync(dir)) {
    if (f.startsWith('.')) continue; // in-progress and pending files are not output
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l) lines.push(l);
  }
  return lines.sort();
}

function run(args: object, options: object): { proc: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const proc = spawn(process.execPath, ['--import', tsx, '--conditions=@runnel/source', child, JSON.stringify(args), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.on('exit', (code) => resolve({ code, out, err })));
  return { proc, done };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The variants of the kill test: backend plus extra options. */
const VARIANTS: { name: string; options: Record<string, unknown> }[] = [
  { name: 'heap', options: { 'state.backend.type': 'heap' } },
  { name: 'level', options: { 'state.backend.type': 'level' } },
  {
    name: 'heap, incremental',
    options: {
      'state.backend.type': 'heap',
      'execution.checkpointing.incremental': true,
      'execution.checkpointing.incremental.max-chain-length': 3,
      'state.checkpoints.num-retained': 1,
    },
  },
];

async function killedRun(variant: (typeof VARIANTS)[number], seed: number, reference: string[]): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), `runnel-kill-`));
  const out = join(root, 'out');
  const args = { rows: ROWS, rowsPerSecond: 200_000, keys: 100, out, parallelism: 2 };
  const options = {
    'execution.checkpointing.interval': '1 s',
    'state.checkpoints.dir': join(root, 'checkpoints'),
    'execution.restore-from-latest-checkpoint': true,
    ...variant.options,
  };
  const random = rng(seed);
  try {
    let kills = 0;
    for (;;) {
      const { proc, done } = run(args, options);
      if (kills < 5) {
        // Kill somewhere between just after start-up and a few checkpoints in.
        const after = 700 + Math.floor(random() * 2600);
        const timer = setTimeout(() => proc.kill('SIGKILL'), after);
        const r = await done;
        clearTimeout(timer);
        if (r.code === 0) throw new Error(`seed ${seed}: the job finished before kill ${kills + 1} (after ${after} ms); make it longer`);
        expect(r.code, `seed ${seed}: child failed on its own: ${r.err}`).toBeNull();
        kills++;
        continue;
      }
      const r = await done;
      expect(r.code, `seed ${seed}: final run failed: ${r.err}`).toBe(0);
      break;
    }
    const got = committedLines(out);
    const missing = reference.filter((l) => !got.includes(l));
    expect({ seed, kills, rows: got.length, missing: missing.length, duplicated: got.length - new Set(got).size }).toEqual({
      seed,
      kills: 5,
      rows: reference.length,
      missing: 0,
      duplicated: 0,
    });
    expect(got).toEqual(reference);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('exactly-once under SIGKILL', () => {
  let reference: string[] = [];

  it('uninterrupted reference run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-kill-ref-'));
    try {
      const out = join(root, 'out');
      const { done } = run({ rows: ROWS, rowsPerSecond: 0, keys: 100, out, parallelism: 2 }, {});
      const r = await done;
      expect(r.code, r.err).toBe(0);
      reference = committedLines(out);
      // Rows are 1 ms of event time apart, shifted back by up to 300 ms: 5 s windows from -5 s to 1000 s, 100 keys.
      const pairs = new Set<string>();
      for (let seq = 0; seq < ROWS; seq++) pairs.add(`${seq % 100}/${Math.floor((seq - ((seq * 7919) % 300)) / 5000)}`);
      expect(reference.length).toBe(pairs.size);
      const total = reference.reduce((n, l) => n + (JSON.parse(l) as { count: number }).count, 0);
      expect(total).toBe(ROWS);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  for (const variant of VARIANTS) {
    it(`killed 5 times and restarted from checkpoints, ${variant.name}: committed output equals the reference`, async () => {
      const seed = Number(process.env.RUNNEL_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
      console.log(`kill test (${variant.name}): seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
      await killedRun(variant, seed, reference);
    }, 300_000);
  }
});
