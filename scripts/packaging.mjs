// Shared helpers of the packaging checks (`scripts/check-packages.mjs`) and the tarball smoke test
// (`scripts/smoke-tarballs.mjs`): which packages publish, packing them with pnpm (which rewrites `workspace:`
// ranges and applies `publishConfig`), reading a tarball without a `tar` binary, and the checks of a packed
// package's manifest and files that need no tool.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The export condition under which workspace packages resolve to their TypeScript sources (never published). */
export const SOURCE_CONDITION = '@runnel/source';

/** Non-private packages under `packages/`, in directory order: `{ name, dir, manifest }`. */
export function publishablePackages(root) {
  const out = [];
  const base = join(root, 'packages');
  for (const d of readdirSync(base).sort()) {
    const pj = join(base, d, 'package.json');
    if (!existsSync(pj)) continue;
    const manifest = JSON.parse(readFileSync(pj, 'utf8'));
    if (!manifest.private) out.push({ name: manifest.name, dir: join(base, d), manifest });
  }
  return out;
}

/** `exports` without the source condition: what `publishConfig.exports` must be. */
export function withoutSourceCondition(exportsField) {
  if (typeof exportsField === 'string' || exportsField === null || Array.isArray(exportsField)) return exportsField;
  const out = {};
  for (const [k, v] of Object.entries(exportsField)) if (k !== SOURCE_CONDITION) out[k] = withoutSourceCondition(v);
  return out;
}

/** The manifest with `publishConfig.exports` derived from `exports` (publishConfig placed after `files` if new). */
export function withPublishedExports(manifest) {
  const publishConfig = { access: 'public', ...manifest.publishConfig, exports: withoutSourceCondition(manifest.exports) };
  if (manifest.publishConfig) return { ...manifest, publishConfig };
  const out = {};
  for (const [k, v] of Object.entries(manifest)) {
    out[k] = v;
    if (k === 'files') out.publishConfig = publishConfig;
  }
  if (!out.publishConfig) out.publishConfig = publishConfig;
  return out;
}

/**
 * Checks of a workspace manifest that hold without a build: the published exports are the workspace exports minus
 * the source condition, every entry point has a source, types and JS target that correspond, and `files` ships
 * `dist` without the API Extractor's temp folder. Returns problems (strings).
 */
export function checkWorkspaceManifest(manifest, fileExists = () => true) {
  const problems = [];
  const at = (m) => problems.push(`${manifest.name}: ${m}`);
  if (typeof manifest.exports !== 'object' || manifest.exports === null) {
    at('has no exports map');
    return problems;
  }
  const published = manifest.publishConfig?.exports;
  const fix = '(`node scripts/check-packages.mjs --fix` rewrites it)';
  if (published === undefined) at(`has no publishConfig.exports, the published exports without the '${SOURCE_CONDITION}' condition ${fix}`);
  else if (JSON.stringify(published) !== JSON.stringify(withoutSourceCondition(manifest.exports))) {
    at(`publishConfig.exports must equal exports without the '${SOURCE_CONDITION}' condition ${fix}`);
  }
  for (const [sub, entry] of Object.entries(manifest.exports)) {
    if (typeof entry !== 'object' || entry === null) {
      at(`exports["${sub}"] must be a conditions object`);
      continue;
    }
    const src = entry[SOURCE_CONDITION];
    const keys = Object.keys(entry);
    if (typeof src !== 'string' || !/^\.\/src\/.*\.ts$/.test(src)) at(`exports["${sub}"]["${SOURCE_CONDITION}"] must point at ./src/*.ts`);
    else if (!fileExists(src)) at(`exports["${sub}"]["${SOURCE_CONDITION}"]: ${src} does not exist`);
    if (keys.filter((k) => k !== SOURCE_CONDITION)[0] !== 'types') at(`exports["${sub}"]: "types" must be the first published condition`);
    if (keys[keys.length - 1] !== 'default') at(`exports["${sub}"]: "default" must be the last condition`);
    if (typeof src === 'string') {
      const stem = src.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
      if (entry.types !== `${stem}.d.ts`) at(`exports["${sub}"].types must be ${stem}.d.ts (the build of ${src})`);
      if (entry.default !== `${stem}.js`) at(`exports["${sub}"].default must be ${stem}.js (the build of ${src})`);
    }
  }
  const files = manifest.files ?? [];
  if (!files.includes('dist')) at('files must include dist');
  if (!files.includes('!dist/api-temp')) at("files must exclude the API Extractor's temp folder ('!dist/api-temp')");
  for (const f of files) if (/^(test|bench|etc)\b/.test(f)) at(`files must not ship ${f}`);
  return problems;
}

/** Packs one package with pnpm into `dest`: `{ name, version, filename, size }`. */
export function pack(dir, dest) {
  const r = spawnSync('pnpm', ['pack', '--json', '--pack-destination', dest], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pnpm pack in ${dir} failed:\n${r.stdout}${r.stderr}`);
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  return { name: json.name, version: json.version, filename: json.filename, size: json.size };
}

/** The files of a .tgz as a Map from path (without the leading `package/`) to contents. Handles ustar and pax names. */
export function readTarball(file) {
  const buf = gunzipSync(readFileSync(file));
  const files = new Map();
  const str = (o, n) => {
    const s = buf.subarray(o, o + n);
    const z = s.indexOf(0);
    return s.subarray(0, z < 0 ? n : z).toString('utf8');
  };
  let off = 0;
  let paxPath;
  while (off + 512 <= buf.length) {
    if (buf.subarray(off, off + 512).every((b) => b === 0)) break;
    const size = parseInt(str(off + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(buf[off + 156] || 48);
    let name = str(off, 100);
    const prefix = buf.subarray(off + 257, off + 262).toString() === 'ustar' ? str(off + 345, 155) : '';
    if (prefix) name = `${prefix}/${name}`;
    const data = buf.subarray(off + 512, off + 512 + size);
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      paxPath = m?.[1];
    } else {
      if (type === '0' || type === '7') files.set((paxPath ?? name).replace(/^package\//, ''), Buffer.from(data));
      paxPath = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const BUILTINS = new Set(builtinModules);
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isBuiltin = (spec) => spec.startsWith('node:') || BUILTINS.has(packageOf(spec));

/** Module specifiers of a JS or declaration file: static imports/exports, side-effect imports, `import()`. */
export function specifiersOf(text) {
  const out = new Set();
  const res = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    // Not `'import', 'node'` (a list of export conditions): the keyword is never right after a quote.
    /(?<!['"`\w$.])import\s*['"]([^'"]+)['"]/g,
    /(?<!['"`\w$.])import\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  // Comments may quote imports (examples in doc comments); strip them first (good enough for tsc's output).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const re of res) for (const m of code.matchAll(re)) out.add(m[1]);
  return [...out];
}

/**
 * Checks of a packed package: `manifest` is its packed package.json, `files` a Map path → Buffer (or a Set of
 * paths, then file contents are not checked). Returns problems (strings).
 */
export function checkPackedPackage(manifest, files) {
  const problems = [];
  const at = (m) => problems.push(`${manifest.name}: ${m}`);
  const has = (p) => files.has(p.replace(/^\.\//, ''));

  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file):/.test(String(range))) at(`${field}.${dep} is '${range}' in the tarball (not installable from a registry)`);
    }
  }
  if (manifest.type !== 'module') at('type must be "module" (the dist files are ES modules)');
  if (typeof manifest.exports !== 'object' || manifest.exports === null) at('has no exports map');
  for (const [sub, entry] of Object.entries(manifest.exports ?? {})) {
    if (typeof entry !== 'object' || entry === null) {
      at(`exports["${sub}"] must be a conditions object with types and default`);
      continue;
    }
    if (SOURCE_CONDITION in entry) at(`exports["${sub}"] still has the '${SOURCE_CONDITION}' condition (it must not be published)`);
    const { types, default: js } = entry;
    if (typeof types !== 'string' || !types.endsWith('.d.ts')) at(`exports["${sub}"] has no "types" condition with a .d.ts file`);
    else if (!has(types)) at(`exports["${sub}"].types: ${types} is not in the tarball`);
    if (typeof js !== 'string' || !js.endsWith('.js')) at(`exports["${sub}"] has no "default" condition with a .js file`);
    else if (!has(js)) at(`exports["${sub}"].default: ${js} is not in the tarball`);
    else if (!js.startsWith('./dist/')) at(`exports["${sub}"].default must be a built file under ./dist (is ${js})`);
    if (typeof types === 'string' && typeof js === 'string' && types !== js.replace(/\.js$/, '.d.ts')) {
      at(`exports["${sub}"]: types ${types} are not the declarations of ${js}`);
    }
  }
  for (const p of files.keys()) {
    if (/^(test|bench|etc)\//.test(p) || /\.(test|spec)\.[cm]?[jt]s$/.test(p)) at(`ships a test or benchmark file: ${p}`);
    if (p.startsWith('dist/api-temp/') || p.endsWith('.tsbuildinfo')) at(`ships a build artifact: ${p}`);
    if (p.startsWith('src/') && (!p.endsWith('.ts') || p.endsWith('.d.ts'))) at(`ships a compiled file in src/: ${p} (a build wrote outside dist)`);
  }
  if (!has('README.md')) at('has no README.md');

  if (!(files instanceof Map)) return problems;
  const declared = new Set([manifest.name, ...['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((f) => Object.keys(manifest[f] ?? {}))]);
  for (const [p, buf] of files) {
    if (!p.startsWith('dist/')) continue;
    if (/\.(js|d\.ts)$/.test(p)) {
      for (const spec of specifiersOf(buf.toString('utf8'))) {
        if (spec.startsWith('.')) {
          const target = posix.normalize(posix.join(posix.dirname(p), spec));
          const candidates = p.endsWith('.d.ts') ? [target, target.replace(/\.js$/, '.d.ts')] : [target];
          if (!candidates.some((c) => files.has(c))) at(`${p} imports ${spec}, which is not in the tarball`);
        } else if (!isBuiltin(spec) && !declared.has(packageOf(spec))) {
          at(`${p} imports ${spec}, but ${packageOf(spec)} is not a dependency, peer or optional dependency`);
        }
      }
    } else if (p.endsWith('.map')) {
      let map;
      try {
        map = JSON.parse(buf.toString('utf8'));
      } catch {
        at(`${p} is not valid JSON`);
        continue;
      }
      for (const s of map.sources ?? []) {
        const target = posix.normalize(posix.join(posix.dirname(p), map.sourceRoot ?? '', s));
        if (!files.has(target) && !map.sourcesContent) at(`${p} maps to ${s}, which is not in the tarball`);
      }
    }
  }
  return problems;
}
