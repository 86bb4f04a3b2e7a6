// The short run of the randomized correctness campaign in `npm test`: random scenarios (a new first seed every run,
// printed, and settable with RUNNEL_CAMPAIGN_SEED) for about three minutes, then the scenarios of issue 10 at a
// small scale. Every failure names the seed or scenario that reproduces it (`pnpm test:campaign --seed S --count 1`).
import { describe, expect, it } from 'vitest';
import { runCampaign, type CampaignReport } from '../src/campaign.js';
import { issueScenarios } from '../src/issue-scenarios.js';

const BUDGET_MS = Number(process.env.RUNNEL_CAMPAIGN_BUDGET_MS ?? 180_000);

function explain(r: CampaignReport): string {
  return r.failures.map((f) => `${f.name ?? `seed ${f.seed}`} (${f.kind}, ${f.pipeline}): ${f.problem}\n  reproduce: pnpm test:campaign --seed ${f.seed} --count 1`).join('\n');
}

/**
 * Seeds that found bugs, kept as regression scenarios (the failures were timing-dependent: a seed reproduces its bug
 * only some of the time, so these widen the net rather than pin the bug; each fix has its own deterministic test).
 */
const KEPT_SEEDS: readonly { seed: number; found: string }[] = [
  { seed: 100004, found: "main before issue 10: a final checkpoint's sink writer state with checkpointId -1 could not be restored" },
  { seed: 100085, found: 'a checkpoint aborted while its metadata was written: completed without its state files' },
  { seed: 100136, found: 'a late barrier of an aborted checkpoint started an alignment that never ended: the job hung' },
  { seed: 100180, found: "a checkpoint taken during a sink commit dropped that commit's files after a kill" },
  { seed: 300058, found: 'a periodic checkpoint overtook a stop-with-savepoint: barriers out of id order, the job hung' },
];

describe('randomized correctness campaign', () => {
  it('seeds that found bugs still pass', async () => {
    const failures: string[] = [];
    for (const k of KEPT_SEEDS) {
      const r = await runCampaign({ seed: k.seed, count: 1, budgetMs: Number.POSITIVE_INFINITY, log: (l) => console.log(l) });
      if (r.failures.length > 0) failures.push(`seed ${k.seed} (found: ${k.found}):\n${explain(r)}`);
    }
    expect(failures.join('\n')).toBe('');
  }, 900_000);

  it('random scenarios: committed output equals the reference, every run ends, restores restore what they should', async () => {
    const seed = Number(process.env.RUNNEL_CAMPAIGN_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`campaign: first seed ${seed} (reproduce with RUNNEL_CAMPAIGN_SEED=${seed} or pnpm test:campaign --seed ${seed})`);
    const r = await runCampaign({ seed, budgetMs: BUDGET_MS, log: (l) => console.log(l) });
    console.log(`campaign: ${r.scenarios} scenarios, ${r.passed} passed, ${r.runs} runs, ${r.restores} restores, ${r.kills} kills, ${r.savepoints} savepoints`);
    expect(explain(r)).toBe('');
    expect(r.scenarios).toBeGreaterThanOrEqual(5);
  }, BUDGET_MS + 600_000);

  it("issue 10's scenarios (small): savepoints restored at another parallelism, 5 kills and one after the final checkpoint", async () => {
    const r = await runCampaign({ seed: 0, budgetMs: Number.POSITIVE_INFINITY, scenarios: issueScenarios('small'), log: (l) => console.log(l) });
    expect(explain(r)).toBe('');
    expect(r.scenarios).toBe(issueScenarios('small').length);
  }, 900_000);
});
