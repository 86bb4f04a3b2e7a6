// `runnel new <dir>`: scaffolds a job project of one's own (as Flink's quickstart archetype or `npm create` do) from
// the files in `../template/`: package.json ("type": "module", the Runnel packages), tsconfig.json, the word-count
// job, a test of it and a README with the commands. Until Runnel is published, a CLI that runs from the Runnel
// repository links the project to that repository's packages (`file:` dependencies), so `npm install` downloads
// nothing; a published CLI depends on its own version from the registry.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliVersion } from './help.js';

/**
 * Options of `runnel new`.
 *
 * @public
 */
export interface NewCommandOptions {
  /** The project directory to create (relative paths resolve against the working directory). */
  readonly directory: string;
  /** The package name; default: derived from the directory's name. */
  readonly name: string | undefined;
}

/**
 * Where a new project gets the Runnel packages from: links into a Runnel repository, or the npm registry.
 *
 * @public
 */
export type RunnelPackages = { readonly kind: 'link'; readonly repository: string } | { readonly kind: 'registry'; readonly version: string };

/**
 * The packages a project made by `runnel new` depends on: the runtime (DataStream API) and the CLI (`runnel run`,
 * and `@runnel/cli/register` for tests).
 */
const PACKAGES: readonly { readonly name: string; readonly dir: string }[] = [
  { name: '@runnel/runtime', dir: 'packages/runtime' },
  { name: '@runnel/cli', dir: 'apps/cli' },
  { name: '@runnel/testing', dir: 'packages/testing' },
];

const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATE = join(CLI_ROOT, 'template');

/**
 * The Runnel packages for a new project: when this CLI is part of a Runnel repository (its workspace holds the
 * runtime), links into that repository; otherwise the registry, at this CLI's version.
 *
 * @public
 */
export function runnelPackages(cliRoot: string = CLI_ROOT): RunnelPackages {
  const repository = resolve(cliRoot, '..', '..');
  const isRepository =
    existsSync(join(repository, 'pnpm-workspace.yaml')) &&
    PACKAGES.every((p) => {
      const pj = join(repository, p.dir, 'package.json');
      return existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === p.name;
    });
  return isRepository ? { kind: 'link', repository } : { kind: 'registry', version: cliVersion() };
}

/**
 * An npm package name for a project directory: lower case, only the characters npm allows, `runnel-job` when
 * nothing is left.
 *
 * @public
 */
export function packageNameFor(directory: string): string {
  const name = basename(resolve(directory))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name.length > 0 ? name.slice(0, 214) : 'runnel-job';
}

// npm's rules for a package name (scoped or not), without the legacy exceptions.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * The package.json of a new project.
 *
 * @public
 */
export function projectPackageJson(name: string, packages: RunnelPackages): Record<string, unknown> {
  const dependencies: Record<string, string> = {};
  for (const p of PACKAGES) dependencies[p.name] = packages.kind === 'link' ? `file:${join(packages.repository, p.dir)}` : `^${packages.version}`;
  return {
    name,
    version: '0.1.0',
    private: true,
    description: 'A Runnel stream-processing job',
    type: 'module',
    scripts: {
      start: 'runnel run src/word-count.ts --parallelism 2',
      test: 'node --import @runnel/cli/register --test test/word-count.spec.ts test/word-count-window.spec.ts',
    },
    dependencies,
    engines: { node: '>=20.6' },
  };
}

/** The README's paragraphs that depend on where the Runnel packages come from. */
function readmeNotes(packages: RunnelPackages): Record<string, string> {
  if (packages.kind === 'registry') {
    return {
      'install-note': 'from the npm registry',
      'connector-note': '`npm install @runnel/connector-files`',
      'packages-note': `\`package.json\` depends on the published Runnel packages (\`^${packages.version}\`), installed from the npm registry.`,
    };
  }
  const repo = packages.repository;
  return {
    'install-note': `they are links into the Runnel repository at \`${repo}\`: nothing is downloaded`,
    'connector-note': `\`npm install ${join(repo, 'packages/connector-files')}\` (a link into the Runnel repository, like the others)`,
    'packages-note': [
      `Runnel is not published to the npm registry yet, so \`package.json\` depends on the packages of the Runnel`,
      `repository this project was made from, \`${repo}\`, through \`file:\` links`,
      `(\`"@runnel/runtime": "file:${join(repo, 'packages/runtime')}"\`). \`npm install\` makes \`node_modules/@runnel/*\``,
      `symbolic links to those directories and downloads nothing: the packages' own dependencies are the ones the`,
      `repository installed (\`npm run setup\` there). The packages are used as TypeScript sources, without a build:`,
      `\`runnel run\`, and node with \`--import @runnel/cli/register\`, add the \`@runnel/source\` export condition`,
      `under which they resolve to their \`src/\`. So \`git pull\` in the repository updates this project too; if the`,
      `repository moves, change the paths (or run \`runnel new\` again). Once Runnel is published, replace the links`,
      `with version ranges (\`"@runnel/runtime": "^0.1.0"\`).`,
      '',
      `Packed tarballs (\`pnpm pack\`) were not chosen: they copy the packages, but then the packages' dependencies`,
      `on each other and on tsx would have to come from the registry, where Runnel is not published yet.`,
    ].join('\n'),
  };
}

/** The template's files, relative to its root, in a stable order. */
function templateFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix === '' ? entry : `${prefix}/${entry}`;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...templateFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** Why a project cannot be created in `dir`, or undefined when it can (it does not exist, or is empty). */
function unusableDirectory(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${dir} exists and is not a directory`;
  if (readdirSync(dir).length > 0) return `${dir} exists and is not empty; choose a new directory (runnel new never overwrites files)`;
  return undefined;
}

/**
 * Writes a new project into `directory` (which must not exist or be empty) and returns the files written,
 * relative to it.
 *
 * @public
 */
export function scaffoldProject(directory: string, name: string, packages: RunnelPackages, template: string = TEMPLATE): string[] {
  const problem = unusableDirectory(directory);
  if (problem !== undefined) throw new Error(problem);
  if (!PACKAGE_NAME.test(name)) throw new Error(`'${name}' is not a valid npm package name (lower case letters, digits, '-', '.', '_', '~'; give one with --name)`);
  const notes: Record<string, string> = { name, ...readmeNotes(packages) };
  const written: string[] = [];
  const write = (rel: string, text: string): void => {
    const path = join(directory, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(rel);
  };
  write('package.json', JSON.stringify(projectPackageJson(name, packages), null, 2) + '\n');
  for (const rel of templateFiles(template)) {
    let text = readFileSync(join(template, rel), 'utf8');
    if (rel === 'README.md') text = text.replace(/\{\{([a-z-]+)\}\}/g, (m, key: string) => notes[key] ?? m);
    // npm leaves `.gitignore` out of published packages, so the template keeps it without the dot.
    write(rel === 'gitignore' ? '.gitignore' : rel, text);
  }
  return written;
}

/**
 * The output of `runnel new` (only what it writes to).
 *
 * @public
 */
export interface NewCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

/**
 * Runs `runnel new` and returns the exit code: 0 created, 1 the directory cannot be used.
 *
 * @public
 */
export function newCommand(opts: NewCommandOptions, io: NewCommandIo, packages: RunnelPackages = runnelPackages()): number {
  const directory = resolve(io.cwd, opts.directory);
  const name = opts.name ?? packageNameFor(directory);
  let files: string[];
  try {
    files = scaffoldProject(directory, name, packages);
  } catch (e) {
    io.stderr.write(`error: runnel new: ${(e as Error).message}\n`);
    return 1;
  }
  const rel = relative(io.cwd, directory);
  const shown = rel === '' ? '.' : rel.startsWith('..') && rel.split('/').length > 3 ? directory : rel;
  const from = packages.kind === 'link' ? `linked from the Runnel repository at ${packages.repository} (npm install downloads nothing)` : `^${packages.version} from the npm registry`;
  const steps = [...(rel === '' ? [] : [`cd ${shown}`]), 'npm install', 'npx runnel run src/word-count.ts -p 2', 'npm test'];
  io.stdout.write(
    [
      `Created the Runnel job project '${name}' in ${shown}: ${files.join(', ')}`,
      `The Runnel packages are ${from}.`,
      '',
      'Next:',
      ...steps.map((s) => `  ${s}`),
      '',
    ].join('\n'),
  );
  return 0;
}
