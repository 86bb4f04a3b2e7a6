#!/usr/bin/env node
// Tarball smoke test (`pnpm test:tarballs`, run by .ci/run after `pnpm build`): packs every published package as
// `pnpm publish` would, installs the tarballs into a fresh project outside the workspace, and there, with plain
// `node` (no tsx, no `@runnel/source` condition):
//  1. imports every exported entry point of every package (and checks it resolves to dist/, not src/);
//  2. typechecks the job and the entry points against the published declarations (tsc, checkJs, skipLibCheck off);
//  3. runs a tiny job — datagen → keyBy → tumbling event-time window → collect — on two worker threads (runJob,
//     so the workers load the built runtime and the .mjs job module as JavaScript) and in the calling thread
//     (env.execute), and compares both outputs with the counts computed without Runnel;
//  4. (the plugin kit's acceptance) writes a third-party plugin package outside the workspace — a state backend
//     (`acme-mem`) and a connector (`acme-seq`) in plain JavaScript, scripts/smoke-plugin/ — that depends only on the
//     packed @runnel/api (peer) and @runnel/testing (dev), runs @runnel/testing's conformance suites on both under
//     `node --test`, packs it, installs it into the project and runs a job that selects both by identifier.
// Third-party dependencies (tsx, level, ...) come from pnpm's store: `pnpm install --offline` first; only when the
// store or its metadata cache lacks something does it retry with `--prefer-offline` (which may use the registry),
// and it says so. `--npm` installs with npm instead (npm's cache is usually cold: it downloads).
//   node scripts/smoke-tarballs.mjs [--keep] [--npm]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack, publishablePackages } from './packaging.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const useNpm = args.includes('--npm');
const started = Date.now();
const step = (msg) => console.log(`smoke: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

function main() {
  const pkgs = publishablePackages(root);
  for (const p of pkgs) {
    if (!existsSync(join(p.dir, 'dist', 'index.js'))) die(`${relative(root, p.dir)}/dist/index.js is missing — run \`pnpm build\` first`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'runnel-smoke-'));
  let ok = false;
  try {
    const tarballs = join(tmp, 'tarballs');
    const project = join(tmp, 'project');
    mkdirSync(tarballs);
    mkdirSync(project);
    const packed = pkgs.map((p) => pack(p.dir, tarballs));
    step(`packed ${packed.map((p) => `${p.name} (${(p.size / 1024).toFixed(1)} KiB)`).join(', ')}`);

    // Every @runnel/* dependency (also the runtime's own, and peers) resolves to the tarballs, never to a registry.
    const local = Object.fromEntries(packed.map((p) => [p.name, `file:../tarballs/${basename(p.filename)}`]));
    const workspaceYaml = [
      'overrides:', ...Object.entries(local).map(([n, s]) => `  '${n}': '${s}'`),
      'allowBuilds:', '  esbuild: false', '  classic-level: false', '',
    ].join('\n');

    const plugin = pluginPackage(join(tmp, 'acme-plugins'), tarballs, local, workspaceYaml);

    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'runnel-smoke', private: true, type: 'module', dependencies: { ...local, [plugin.name]: plugin.spec }, overrides: local }, null, 2) + '\n');
    writeFileSync(join(project, 'pnpm-workspace.yaml'), workspaceYaml);
    install(project);
    step('installed');

    writeFileSync(join(project, 'job.mjs'), JOB);
    writeFileSync(join(project, 'run.mjs'), RUN);
    writeFileSync(join(project, 'entries.mjs'), ENTRIES);
    const entries = nodeRun(project, 'entries.mjs');
    step(`imported ${entries.trim().split('\n').length} entry points from dist/:\n  ${entries.trim().split('\n').join('\n  ')}`);

    // The job and every entry point against the published declarations.
    writeFileSync(join(project, 'entries-types.mts'), packed.flatMap((p, i) => {
      const pj = JSON.parse(readFileSync(join(project, 'node_modules', p.name, 'package.json'), 'utf8'));
      return Object.keys(pj.exports).map((sub, j) => `export * as e${i}_${j} from '${p.name}${sub === '.' ? '' : sub.slice(1)}';`);
    }).join('\n') + '\n');
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, allowJs: true, checkJs: true,
        skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
      },
      files: ['job.mjs', 'run.mjs', 'entries-types.mts'],
    }, null, 2));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    if (tsc.status !== 0) die(`the job does not typecheck against the published declarations:\n${tsc.stdout}${tsc.stderr}`);
    step('typechecked the job and all entry points against dist/*.d.ts');

    const out = JSON.parse(nodeRun(project, 'run.mjs'));
    if (out.problems.length > 0) die(`the job's output is wrong:\n  ${out.problems.join('\n  ')}`);
    step(`ran the job: ${out.summary}`);

    writeFileSync(join(project, 'plugin-job.mjs'), PLUGIN_JOB);
    writeFileSync(join(project, 'run-plugin-job.mjs'), PLUGIN_RUN);
    const pluginOut = JSON.parse(nodeRun(project, 'run-plugin-job.mjs'));
    if (pluginOut.problems.length > 0) die(`the job on the third-party plugins is wrong:\n  ${pluginOut.problems.join('\n  ')}`);
    step(`ran a job on the third-party plugins, selected by identifier: ${pluginOut.summary}`);

    writeFileSync(join(project, 'sql-job.mjs'), SQL_JOB);
    writeFileSync(join(project, 'run-sql-job.mjs'), SQL_RUN);
    const sqlOut = JSON.parse(nodeRun(project, 'run-sql-job.mjs'));
    if (sqlOut.problems.length > 0) die(`the SQL job on the third-party connector is wrong:\n  ${sqlOut.problems.join('\n  ')}`);
    step(`ran a SQL job on the third-party connector ('connector' = 'acme-seq'): ${sqlOut.summary}`);
    ok = true;
  } finally {
    if (keep || !ok) console.log(`smoke: project left in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`smoke: tarballs of ${pkgs.length} packages install and run a job with plain node (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * The plugin kit's acceptance: a third-party plugin package (scripts/smoke-plugin/*.mjs) outside the workspace,
 * depending only on the packed @runnel/api and @runnel/testing, passes the conformance suites under `node --test`;
 * then it is packed like any npm package. Returns its name and the dependency spec of its tarball.
 */
function pluginPackage(dir, tarballs, local, workspaceYaml) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'test'));
  for (const f of ['mem-backend.mjs', 'seq-connector.mjs']) copyFileSync(join(root, 'scripts', 'smoke-plugin', f), join(dir, 'src', f));
  writeFileSync(join(dir, 'src', 'index.mjs'), "export { memStateBackend, MemStateBackend } from './mem-backend.mjs';\nexport { seqConnector, SeqSource } from './seq-connector.mjs';\n");
  const rel = (name) => local[name].replace('file:../tarballs/', `file:${relative(dir, tarballs)}/`);
  const manifest = {
    name: '@acme/runnel-plugins',
    version: '1.0.0',
    type: 'module',
    exports: { '.': './src/index.mjs' },
    files: ['src'],
    peerDependencies: { '@runnel/api': '^0.1.0' },
    devDependencies: { '@runnel/api': rel('@runnel/api'), '@runnel/testing': rel('@runnel/testing') },
    runnel: { stateBackends: { 'acme-mem': '.#memStateBackend' }, connectors: { 'acme-seq': '.#seqConnector' } },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), workspaceYaml.replaceAll('file:../tarballs/', `file:${relative(dir, tarballs)}/`));
  writeFileSync(join(dir, 'test', 'conformance.test.mjs'), PLUGIN_TEST);
  install(dir);
  const pj = JSON.parse(readFileSync(join(dir, 'node_modules', '@runnel', 'testing', 'package.json'), 'utf8'));
  const r = spawnSync(process.execPath, ['--test', 'test/conformance.test.mjs'], { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NODE_OPTIONS: '' } });
  const summary = /# pass (\d+)[\s\S]*# fail (\d+)/.exec(r.stdout);
  if (r.status !== 0 || !summary || Number(summary[2]) !== 0 || Number(summary[1]) === 0) die(`the third-party plugin fails @runnel/testing's conformance suites (node --test):\n${r.stdout.split('\n').filter((l) => /not ok|# (pass|fail)|Error|expected/.test(l)).slice(0, 40).join('\n')}${r.stderr}`);
  step(`third-party plugin (state backend acme-mem, connector acme-seq; @runnel/testing ${pj.version}) passes the conformance suites: ${summary[1]} passed, 0 failed (node --test)`);
  const packed = pack(dir, tarballs);
  return { name: manifest.name, spec: `file:../tarballs/${basename(packed.filename)}` };
}

function install(project) {
  const attempts = useNpm
    ? [['npm', ['install', '--offline', '--no-audit', '--no-fund']], ['npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']]]
    : [['pnpm', ['install', '--offline']], ['pnpm', ['install', '--prefer-offline']]];
  let last;
  for (const [cmd, argv] of attempts) {
    const r = spawnSync(cmd, argv, { cwd: project, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
    if (r.status === 0) {
      console.log(`smoke: installed with \`${cmd} ${argv.join(' ')}\`${argv.includes('--offline') ? ' (no network)' : ' (the offline install failed: the registry may have been used)'}`);
      return;
    }
    last = `${cmd} ${argv.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`;
    const lines = `${r.stderr}${r.stdout}`.trim().split('\n');
    console.log(`smoke: \`${cmd} ${argv.join(' ')}\` failed (${lines.find((l) => /ERR_|ENOTCACHED|error code/.test(l)) ?? lines[0]})`);
  }
  die(`installing the tarballs failed:\n${last}`);
}

function nodeRun(cwd, file) {
  // Plain node: no loader, no conditions, nothing inherited from NODE_OPTIONS.
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) die(`node ${file} failed (${r.signal ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function die(msg) {
  throw new SmokeFailure(msg);
}

class SmokeFailure extends Error {}

// Imports every entry point of every installed @runnel package and checks that it is the built one.
const ENTRIES = `import { readdirSync, readFileSync } from 'node:fs';
const names = readdirSync('node_modules/@runnel').map((d) => '@runnel/' + d);
for (const name of names) {
  const pj = JSON.parse(readFileSync('node_modules/' + name + '/package.json', 'utf8'));
  for (const sub of Object.keys(pj.exports)) {
    const spec = name + (sub === '.' ? '' : sub.slice(1));
    const url = import.meta.resolve(spec);
    if (!/\\/dist\\/.*\\.js$/.test(url)) throw new Error(spec + ' resolves to ' + url + ', not to a built file in dist/');
    const mod = await import(spec);
    // Entry points of types only (@runnel/api/metrics) are empty modules.
    console.log(spec + ': ' + Object.keys(mod).length + ' runtime exports');
  }
}
`;

// The job: 10,000 rows with ids 0..9999 (event time = id ms) → key id % 7 → 1-second tumbling windows → count.
const JOB = `// @ts-check
import { defineJob, TumblingEventTimeWindows, WatermarkStrategy } from '@runnel/runtime';
import { DataGenSource } from '@runnel/connector-datagen';

export const ROWS = 10_000;
export const KEYS = 7;
export const WINDOW_MS = 1_000;

/** @param {import('@runnel/runtime').StreamExecutionEnvironment} env */
export function build(env) {
  const rows = new DataGenSource({ fields: { id: { type: 'bigint', kind: 'sequence', start: 0, end: ROWS - 1 } }, rowsPerSecond: 0 });
  env
    .fromSource(rows, WatermarkStrategy.forMonotonousTimestamps().withTimestampAssigner((r) => Number(r.id)), 'datagen')
    .map((r) => ({ key: Number(r.id) % KEYS, window: Math.floor(Number(r.id) / WINDOW_MS), count: 1 }))
    .keyBy((r) => r.key)
    .window(TumblingEventTimeWindows.of(WINDOW_MS))
    .reduce((a, b) => ({ key: a.key, window: a.window, count: a.count + b.count }))
    .uid('counts')
    .collect();
}

export default defineJob((env) => build(env));
`;

// Runs the job on two worker threads (runJob) and in this thread (env.execute); checks both against a count
// computed without Runnel. Prints { summary, problems } as JSON.
const RUN = `// @ts-check
import { fileURLToPath } from 'node:url';
import { runJob, StreamExecutionEnvironment } from '@runnel/runtime';
import { build, KEYS, ROWS, WINDOW_MS } from './job.mjs';

/** @type {Map<string, number>} */
const expected = new Map();
for (let id = 0; id < ROWS; id++) {
  const k = (id % KEYS) + '/' + Math.floor(id / WINDOW_MS);
  expected.set(k, (expected.get(k) ?? 0) + 1);
}
/** @type {string[]} */
const problems = [];
/** @param {string} how @param {unknown[] | undefined} out */
function compare(how, out) {
  const got = new Map();
  for (const r of /** @type {{ key: number, window: number, count: number }[]} */ (out ?? [])) {
    const k = r.key + '/' + r.window;
    if (got.has(k)) problems.push(how + ': window ' + k + ' fired twice');
    got.set(k, r.count);
  }
  for (const [k, n] of expected) if (got.get(k) !== n) problems.push(how + ': window ' + k + ' counted ' + got.get(k) + ', expected ' + n);
  for (const k of got.keys()) if (!expected.has(k)) problems.push(how + ': unexpected window ' + k);
  return got.size;
}
const t0 = Date.now();
const threads = await runJob(fileURLToPath(new URL('./job.mjs', import.meta.url)), { options: { 'parallelism.default': 2 } });
const a = compare('runJob (2 worker threads)', threads.collected.get('collect'));
const t1 = Date.now();
const env = StreamExecutionEnvironment.create({ 'parallelism.default': 2 });
build(env);
const local = await env.execute('smoke (local)');
const b = compare('env.execute (calling thread)', local.collected.get('collect'));
const t2 = Date.now();
const summary = 'runJob on 2 worker threads: ' + a + ' windows in ' + (t1 - t0) + ' ms; env.execute: ' + b + ' windows in ' + (t2 - t1) + ' ms; ' + expected.size + ' expected';
console.log(JSON.stringify({ summary, problems }));
`;

// The plugin author's own test: @runnel/testing's suites on their backend and connector, with node:test.
const PLUGIN_TEST = `import { describe, it } from 'node:test';
import { describeConformance, sourceConformance, stateBackendConformance } from '@runnel/testing';
import { MemStateBackend, SeqSource } from '../src/index.mjs';

describeConformance(stateBackendConformance({ name: 'acme-mem state backend', createBackend: () => new MemStateBackend() }), { describe, it });
describeConformance(
  sourceConformance({ name: 'acme-seq source', createSource: () => new SeqSource(1000, 7), expectedRecords: Array.from({ length: 1000 }, (_, id) => ({ id })) }),
  { describe, it },
);
`;

// A job on the installed third-party plugins, both selected by identifier: the acme-seq connector's numbers, keyed,
// counted per 1-second event-time window in the acme-mem state backend, on two worker threads with checkpoints;
// compared with counts computed without Runnel. A misspelled identifier must name the installed one.
const PLUGIN_JOB = `import { connectorSource, defineJob, TumblingEventTimeWindows, WatermarkStrategy } from '@runnel/runtime';

export const ROWS = 5000;
export default defineJob(async (env) => {
  const numbers = await connectorSource('acme-seq', { rows: ROWS, splits: 6 }, { from: import.meta.url });
  env
    .fromSource(numbers, WatermarkStrategy.forMonotonousTimestamps(), 'acme-seq')
    .map((r) => ({ key: r.id % 5, window: Math.floor(r.id / 1000), count: 1 }))
    .keyBy((r) => r.key)
    .window(TumblingEventTimeWindows.of(1000))
    .reduce((a, b) => ({ key: a.key, window: a.window, count: a.count + b.count }))
    .collect();
});
`;

// Runs PLUGIN_JOB (a module of its own: the runtime imports it, which must not wait for this module's top-level
// await) and prints { summary, problems } as JSON.
const PLUGIN_RUN = `import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJob } from '@runnel/runtime';
import { ROWS } from './plugin-job.mjs';

const job = fileURLToPath(new URL('./plugin-job.mjs', import.meta.url));
const problems = [];
const dir = mkdtempSync(join(tmpdir(), 'runnel-smoke-plugin-'));
try {
  const options = { 'parallelism.default': 2, 'state.backend.type': 'acme-mem', 'execution.checkpointing.interval': '100 ms', 'state.checkpoints.dir': dir };
  const t0 = Date.now();
  const r = await runJob(job, { options });
  const got = new Map((r.collected.get('collect') ?? []).map((w) => [w.key + '/' + w.window, w.count]));
  const want = new Map();
  for (let id = 0; id < ROWS; id++) want.set((id % 5) + '/' + Math.floor(id / 1000), (want.get((id % 5) + '/' + Math.floor(id / 1000)) ?? 0) + 1);
  for (const [k, n] of want) if (got.get(k) !== n) problems.push('window ' + k + ' counted ' + got.get(k) + ', expected ' + n);
  if (got.size !== want.size) problems.push(got.size + ' windows, expected ' + want.size);
  let misspelled = '';
  try {
    await runJob(job, { options: { ...options, 'state.backend.type': 'acme-mme' } });
    problems.push('a misspelled backend identifier was accepted');
  } catch (e) {
    misspelled = String(e.message);
    if (!/did you mean 'acme-mem'/.test(misspelled) || !/@acme\\/runnel-plugins/.test(misspelled)) problems.push('the misspelled identifier does not name the installed one: ' + misspelled);
  }
  console.log(JSON.stringify({ problems, summary: got.size + ' windows from acme-seq in state backend acme-mem on 2 worker threads in ' + (Date.now() - t0) + ' ms; misspelled: ' + misspelled.split('\\n')[0].slice(0, 160) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
`;

// A SQL table on the third-party connector, found by its identifier from a `CREATE TABLE`: the packed @runnel/sql
// (Table API) plans a retracting group aggregation over it on two worker threads; the changelog applied must equal
// counts computed without Runnel.
const SQL_JOB = `import { defineJob } from '@runnel/runtime';
import { StreamTableEnvironment } from '@runnel/sql';

export const ROWS = 5000;
export default defineJob(async (env) => {
  const tEnv = StreamTableEnvironment.create(env, { from: import.meta.url });
  await tEnv.executeSql("CREATE TABLE numbers (id BIGINT) WITH ('connector' = 'acme-seq', 'rows' = '" + ROWS + "', 'splits' = '6')");
  const counts = await tEnv.sqlQuery('SELECT id % 5 AS k, COUNT(*) AS n, SUM(id) AS s FROM numbers GROUP BY id % 5');
  tEnv.toChangelogStream(counts).collect();
});
`;

const SQL_RUN = `import { fileURLToPath } from 'node:url';
import { runJob } from '@runnel/runtime';
import { MaterializedResult } from '@runnel/sql';
import { ROWS } from './sql-job.mjs';

const t0 = Date.now();
const r = await runJob(fileURLToPath(new URL('./sql-job.mjs', import.meta.url)), { options: { 'parallelism.default': 2 } });
const changes = r.collected.get('collect') ?? [];
const m = new MaterializedResult();
for (const c of changes) m.apply(c);
const got = new Map(m.current().map((f) => [String(f[0]), String(f[1]) + '/' + String(f[2])]));
const problems = [];
for (let k = 0; k < 5; k++) {
  let n = 0, s = 0;
  for (let id = k; id < ROWS; id += 5) { n++; s += id; }
  if (got.get(String(k)) !== n + '/' + s) problems.push('group ' + k + ': ' + got.get(String(k)) + ', expected ' + n + '/' + s);
}
if (m.inconsistencies !== 0) problems.push(m.inconsistencies + ' retractions of rows that were not there');
console.log(JSON.stringify({ problems, summary: got.size + ' groups from ' + changes.length + ' changes (+I/-U/+U) on 2 worker threads in ' + (Date.now() - t0) + ' ms' }));
`;

try {
  main();
} catch (e) {
  console.error(`smoke failed: ${e instanceof SmokeFailure ? e.message : e.stack}`);
  process.exitCode = 1;
}
