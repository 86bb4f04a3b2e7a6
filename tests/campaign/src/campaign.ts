// The campaign loop: runs scenarios of consecutive seeds until a time budget or a count is used up, one at a time
// (the machine has few cores, and the scenarios' own CPU contention is part of what is tested), and tallies what
// they found. Used by `pnpm test:campaign` and by the short run in `npm test`.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, runScenarioOf, type ScenarioResult } from './run-scenario.js';
import type { Scenario } from './scenario.js';

export interface CampaignOptions {
  /** The first seed; scenario i runs seed `seed + i`. */
  readonly seed: number;
  /** Stop starting scenarios after this many ms. */
  readonly budgetMs: number;
  /** Stop after this many scenarios. */
  readonly count?: number;
  /** Where scenarios write (kept for failed ones). */
  readonly root?: string;
  readonly log?: (line: string) => void;
  /** Run these scenarios instead of seeded ones. */
  readonly scenarios?: readonly Scenario[];
}

export interface CampaignReport {
  readonly firstSeed: number;
  readonly scenarios: number;
  readonly passed: number;
  readonly failures: ScenarioResult[];
  readonly runs: number;
  readonly restores: number;
  readonly kills: number;
  readonly savepoints: number;
  readonly durationMs: number;
  readonly byPipeline: Record<string, number>;
}

/** Runs the campaign. */
export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const log = o.log ?? (() => {});
  const root = o.root ?? join(tmpdir(), 'runnel-campaign');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'run-'));
  const t0 = Date.now();
  const results: ScenarioResult[] = [];
  for (let i = 0; ; i++) {
    if (o.scenarios !== undefined && i >= o.scenarios.length) break;
    if (o.count !== undefined && i >= o.count) break;
    if (Date.now() - t0 >= o.budgetMs) break;
    const fixed = o.scenarios?.[i];
    const seed = fixed?.seed ?? (o.seed + i) >>> 0;
    let r: ScenarioResult;
    try {
      r = fixed ? await runScenarioOf(fixed, dir, log) : await runScenario(seed, dir, log);
    } catch (e) {
      r = { seed, ok: false, kind: 'failure', problem: `driver: ${(e as Error).stack ?? String(e)}`, pipeline: '?', runs: 0, restores: 0, kills: 0, savepoints: 0, durationMs: 0, dir };
    }
    results.push(r);
    if (!r.ok) {
      const again = fixed ? 'pnpm test:campaign --issue' : `pnpm test:campaign --seed ${seed} --count 1`;
      log(`${fixed?.name ?? `seed ${seed}`}: FAILED (${r.kind}, ${r.pipeline}): ${r.problem}\n  reproduce: ${again}   (files kept in ${r.dir})`);
    }
  }
  const byPipeline: Record<string, number> = {};
  for (const r of results) byPipeline[r.pipeline] = (byPipeline[r.pipeline] ?? 0) + 1;
  return {
    firstSeed: o.seed,
    scenarios: results.length,
    passed: results.filter((r) => r.ok).length,
    failures: results.filter((r) => !r.ok),
    runs: results.reduce((n, r) => n + r.runs, 0),
    restores: results.reduce((n, r) => n + r.restores, 0),
    kills: results.reduce((n, r) => n + r.kills, 0),
    savepoints: results.reduce((n, r) => n + r.savepoints, 0),
    durationMs: Date.now() - t0,
    byPipeline,
  };
}
