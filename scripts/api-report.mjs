#!/usr/bin/env node
// API reports (API Extractor): builds each published package's declarations and writes `etc/<name>.api.md`, the
// reviewed record of its public API. `--check` fails when a report is out of date (the API changed without the
// report being updated), which is how API changes show up in review.
//   node scripts/api-report.mjs [--check] [package-dir ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
const dirs = only.length > 0 ? only.map((d) => resolve(d)) : readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d));

let failed = 0;
for (const dir of dirs) {
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pj.private) continue;
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { cwd: dir, encoding: 'utf8' });
  if (tsc.status !== 0) {
    console.error(`${pj.name}: declaration build failed\n${tsc.stdout}${tsc.stderr}`);
    failed++;
    continue;
  }
  const unscoped = pj.name.replace(/^@runnel\//, '');
  mkdirSync(join(dir, 'etc'), { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: dir,
      mainEntryPointFilePath: join(dir, 'dist/index.d.ts'),
      compiler: { tsconfigFilePath: join(dir, 'tsconfig.build.json') },
      apiReport: { enabled: true, reportFolder: join(dir, 'etc'), reportTempFolder: join(dir, 'dist/api-temp'), reportFileName: `${unscoped}.api.md` },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: { default: { logLevel: 'none' }, 'ae-missing-release-tag': { logLevel: 'warning' } },
        compilerMessageReporting: { default: { logLevel: 'none' } },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: join(dir, 'api-extractor.json'),
    packageJsonFullPath: join(dir, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false, messageCallback: (m) => {
    if (m.logLevel === 'warning') console.warn(`${pj.name}: ${m.text}`);
    m.handled = true;
  } });
  if (check && result.apiReportChanged) {
    console.error(`${pj.name}: etc/${unscoped}.api.md is out of date — run \`pnpm api:report\` and review the change`);
    failed++;
  } else if (!result.succeeded) {
    console.error(`${pj.name}: API Extractor failed (${result.errorCount} errors)`);
    failed++;
  } else {
    console.log(`${pj.name}: etc/${unscoped}.api.md ${result.apiReportChanged ? 'updated' : 'up to date'}${result.warningCount ? ` (${result.warningCount} warnings)` : ''}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
