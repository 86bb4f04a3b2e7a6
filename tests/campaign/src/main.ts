// `pnpm test:campaign [--minutes N] [--seed S] [--count C] [--json FILE]`: runs the randomized correctness campaign
// and prints every failure with the seed that reproduces it; exits 1 when a scenario failed.
// `pnpm test:campaign --issue [full|small] [--match TEXT]` runs the scenarios of issue 10 instead (full: the issue's
// sizes), or those whose name contains TEXT.
import { writeFileSync } from 'node:fs';
import { runCampaign } from './campaign.js';
import { issueScenarios } from './issue-scenarios.js';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

function num(name: string, fallback: number | undefined): number | undefined {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`campaign: --${name} needs a non-negative number, got '${v}'\n`);
    process.exit(2);
  }
  return n;
}

const argv = process.argv.slice(2);
const issue = argv.includes('--issue') ? (arg('issue') === 'small' ? 'small' : 'full') : undefined;
const seed = num('seed', Math.floor(Math.random() * 2 ** 31))!;
const minutes = num('minutes', undefined);
const count = issue ? undefined : num('count', minutes === undefined ? 20 : undefined);
const jsonFile = arg('json');
process.stdout.write(
  issue
    ? `campaign: the scenarios of issue 10 (${issue})\n`
    : `campaign: first seed ${seed}${minutes !== undefined ? `, ${minutes} min` : ''}${count !== undefined ? `, ${count} scenarios at most` : ''}\n`,
);
const report = await runCampaign({
  seed,
  ...(issue ? { scenarios: issueScenarios(issue).filter((s) => s.name!.includes(arg('match') ?? '')) } : {}),
  budgetMs: minutes === undefined ? Number.POSITIVE_INFINITY : minutes * 60_000,
  ...(count !== undefined ? { count } : {}),
  log: (line) => process.stdout.write(`${line}\n`),
});
const summary =
  `campaign: ${report.scenarios} scenarios (seeds ${seed}..${seed + Math.max(0, report.scenarios - 1)}) in ${(report.durationMs / 1000).toFixed(0)} s: ` +
  `${report.passed} passed, ${report.failures.length} failed; ${report.runs} runs, ${report.restores} restores, ` +
  `${report.kills} kills, ${report.savepoints} savepoints`;
process.stdout.write(`${summary}\n`);
for (const f of report.failures) process.stdout.write(`  ${f.name ?? `seed ${f.seed}`} (${f.kind}, ${f.pipeline}): ${f.problem}\n`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2));
process.exit(report.failures.length > 0 ? 1 : 0);
