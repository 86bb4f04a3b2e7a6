// Finds plugins (state backends, checkpoint storages, connectors, formats) by kind and identifier. Built-in ones are
// registered by the runtime (the heap backend, the file-system checkpoint storage); every other one comes from an
// installed package whose package.json has a `runnel` manifest (see `@runnel/api/plugin`): the registry reads the
// manifests of the packages in the node_modules folders around the job module, the working directory and the
// runtime itself, and imports a plugin's module only when a job asks for its identifier. So the runtime never names
// a plugin, and installing a package is all it takes to use one. Programs and tests can also `register` factories.
//
// The scan reads package.json files only (no imports), once per registry, and only when an identifier is not
// built in; every worker thread repeats it, which costs milliseconds.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  API_VERSION,
  PLUGIN_MANIFEST_FIELD,
  apiVersionSatisfies,
  type CheckpointStorageFactory,
  type ConnectorFactory,
  type PluginEntry,
  type PluginManifest,
  type StateBackendFactory,
} from '@runnel/api';
import { closestKey, ConfigurationError } from '@runnel/api/config';
import { filesystemCheckpointStorage } from '@runnel/checkpoint';
import { heapStateBackend } from '@runnel/state-heap';
import { resolvePackageSubpath } from './package-exports.js';

/** The kinds of plugins, by their manifest field. @public */
export type PluginKind = 'stateBackends' | 'checkpointStorages' | 'connectors' | 'formats';

/** What each kind is called in messages, and the option that selects it. */
const KIND_INFO: Record<PluginKind, { what: string; option: string }> = {
  stateBackends: { what: 'state backend', option: 'state.backend.type' },
  checkpointStorages: { what: 'checkpoint storage', option: 'state.checkpoint-storage' },
  connectors: { what: 'connector', option: "'connector'" },
  formats: { what: 'format', option: "'format'" },
};

/** A plugin a manifest lists, not imported yet. @internal */
export interface PluginCandidate {
  readonly kind: PluginKind;
  readonly identifier: string;
  readonly packageName: string;
  readonly packageDir: string;
  readonly entry: PluginEntry;
  readonly schemes: readonly string[];
}

/** A plugin as a listing shows it. @internal */
export interface AvailablePlugin {
  readonly identifier: string;
  /** `built in`, or the package that provides it. */
  readonly source: string;
}

type AnyFactory = StateBackendFactory | CheckpointStorageFactory | ConnectorFactory;

function kindOf(factory: AnyFactory): PluginKind {
  const k = (factory as { kind?: string }).kind;
  if (k === 'state-backend') return 'stateBackends';
  if (k === 'checkpoint-storage') return 'checkpointStorages';
  if (k === 'format') return 'formats';
  return 'connectors';
}

function namesOf(factory: AnyFactory): string[] {
  return [factory.identifier, ...((factory as { aliases?: readonly string[] }).aliases ?? [])];
}

/** The packages installed in a node_modules folder (scoped ones included), as [name, directory]. */
function packagesIn(nodeModules: string): [string, string][] {
  const out: [string, string][] = [];
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      let scoped: string[] = [];
      try {
        scoped = readdirSync(join(nodeModules, name));
      } catch {
        continue;
      }
      for (const s of scoped) if (!s.startsWith('.')) out.push([`${name}/${s}`, join(nodeModules, name, s)]);
    } else {
      out.push([name, join(nodeModules, name)]);
    }
  }
  return out;
}

/** @internal */
export class PluginRegistry {
  private readonly builtIn = new Map<PluginKind, Map<string, AnyFactory>>();
  private candidates: PluginCandidate[] | undefined;
  private readonly loaded = new Map<string, Promise<AnyFactory>>();

  constructor(
    /** Directories whose node_modules folders (and their ancestors') hold plugin packages. */
    private readonly roots: readonly string[],
    /** Export conditions plugins are imported with (`@runnel/source` when the runtime runs from source). */
    private readonly conditions: ReadonlySet<string>,
  ) {}

  /** Registers a factory (built-in plugins, or a program's own); it wins over a discovered one of the same name. */
  register(factory: AnyFactory): void {
    const kind = kindOf(factory);
    let m = this.builtIn.get(kind);
    if (!m) this.builtIn.set(kind, (m = new Map()));
    for (const n of namesOf(factory)) m.set(n.toLowerCase(), factory);
  }

  /** Every plugin of a kind: built in, registered or installed. */
  available(kind: PluginKind): AvailablePlugin[] {
    const out = new Map<string, AvailablePlugin>();
    for (const f of new Set(this.builtIn.get(kind)?.values() ?? [])) out.set(f.identifier, { identifier: f.identifier, source: 'built in' });
    for (const c of this.scan()) if (c.kind === kind && !out.has(c.identifier)) out.set(c.identifier, { identifier: c.identifier, source: c.packageName });
    return [...out.values()].sort((a, b) => a.identifier.localeCompare(b.identifier));
  }

  /** The plugin of a kind with this identifier (or alias); fails with the available ones and the closest name. */
  async find<F extends AnyFactory>(kind: PluginKind, identifier: string): Promise<F> {
    const id = identifier.trim().toLowerCase();
    const builtIn = this.builtIn.get(kind)?.get(id);
    if (builtIn) return builtIn as F;
    const matches = this.scan().filter((c) => c.kind === kind && c.identifier.toLowerCase() === id);
    const distinct = [...new Map(matches.map((c) => [c.packageDir, c])).values()];
    if (distinct.length > 1) {
      const info = KIND_INFO[kind];
      throw new ConfigurationError(
        `${info.what} '${identifier}' is provided by more than one installed package (${distinct.map((c) => c.packageName).join(', ')}); uninstall all but one`,
        info.option,
      );
    }
    if (distinct.length === 0) throw this.unknown(kind, identifier);
    return (await this.load(distinct[0]!)) as F;
  }

  /** The checkpoint storage that serves a URI scheme (`file` serves plain paths). */
  async findByScheme(scheme: string): Promise<CheckpointStorageFactory> {
    const s = scheme.toLowerCase();
    for (const f of new Set(this.builtIn.get('checkpointStorages')?.values() ?? [])) {
      if ((f as CheckpointStorageFactory).schemes.includes(s)) return f as CheckpointStorageFactory;
    }
    const c = this.scan().find((x) => x.kind === 'checkpointStorages' && x.schemes.includes(s));
    if (c) return (await this.load(c)) as CheckpointStorageFactory;
    const known = this.available('checkpointStorages').map((p) => p.identifier);
    throw new ConfigurationError(
      `no checkpoint storage serves the scheme '${scheme}:' (option state.checkpoints.dir); installed: ${known.join(', ')}. ` +
        "Install a package that provides one, or use a local path",
      'state.checkpoints.dir',
    );
  }

  private unknown(kind: PluginKind, identifier: string): ConfigurationError {
    const info = KIND_INFO[kind];
    const available = this.available(kind);
    const closest = closestKey(identifier, available.map((p) => p.identifier));
    const list = available.map((p) => (p.source === 'built in' ? p.identifier : `${p.identifier} (${p.source})`)).join(', ');
    const hint = kind === 'stateBackends' && identifier.toLowerCase() === 'rocksdb' ? ' Runnel has no RocksDB backend: `level` keeps state on disk, in LevelDB.' : '';
    return new ConfigurationError(
      `unknown ${info.what} '${identifier}' (${info.option})${closest !== undefined && closest !== identifier ? `; did you mean '${closest}'?` : ''}; available: ${list || 'none'}.${hint} ` +
        `A ${info.what} from another package is found when the package is installed next to the job (its package.json lists it under "${PLUGIN_MANIFEST_FIELD}").`,
      info.option,
    );
  }

  private async load(c: PluginCandidate): Promise<AnyFactory> {
    const key = `${c.packageDir}\u0000${c.kind}\u0000${c.identifier}`;
    let p = this.loaded.get(key);
    if (!p) this.loaded.set(key, (p = this.importFactory(c)));
    return p;
  }

  private async importFactory(c: PluginCandidate): Promise<AnyFactory> {
    const info = KIND_INFO[c.kind];
    const where = `${info.what} '${c.identifier}' of ${c.packageName}`;
    const entry = typeof c.entry === 'string' ? { module: c.entry.split('#')[0]!, export: c.entry.split('#')[1] } : c.entry;
    const subpath = entry.module === '' || entry.module === '.' ? '.' : entry.module.startsWith('./') ? entry.module : `./${entry.module}`;
    const pkg = JSON.parse(readFileSync(join(c.packageDir, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
    const file = resolvePackageSubpath(c.packageDir, pkg, subpath, this.conditions);
    if (file === undefined || !existsSync(file)) {
      throw new Error(`cannot load the ${where}: its manifest names '${subpath}', which the package does not export (or was not built)`);
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`cannot load the ${where} from ${file}: ${(e as Error).message}`, { cause: e });
    }
    const factory = (entry.export ? mod[entry.export] : mod.default) as AnyFactory | undefined;
    if (factory === undefined || factory === null || typeof factory !== 'object' || typeof factory.identifier !== 'string') {
      throw new Error(`cannot load the ${where}: ${entry.export ? `export '${entry.export}'` : 'the default export'} of ${file} is not a plugin factory`);
    }
    if (kindOf(factory) !== c.kind || !namesOf(factory).some((n) => n.toLowerCase() === c.identifier.toLowerCase())) {
      throw new Error(`cannot load the ${where}: the factory it exports is the ${(factory as { kind?: string }).kind ?? 'connector'} '${factory.identifier}'`);
    }
    const range = (factory as { apiVersion?: string }).apiVersion;
    if (typeof range === 'string' && !apiVersionSatisfies(range, API_VERSION)) {
      throw new Error(`cannot use the ${where}: it was built for @runnel/api ${range}, and this runtime provides ${API_VERSION}`);
    }
    return factory;
  }

  /** The plugins the manifests of installed packages list (read once). */
  private scan(): PluginCandidate[] {
    if (this.candidates) return this.candidates;
    const found: PluginCandidate[] = [];
    const seenFolders = new Set<string>();
    const seenPackages = new Set<string>();
    for (const root of this.roots) {
      for (let dir = resolve(root); ; dir = dirname(dir)) {
        const nm = join(dir, 'node_modules');
        if (!seenFolders.has(nm) && existsSync(nm)) {
          seenFolders.add(nm);
          for (const [name, pkgDir] of packagesIn(nm)) {
            let real: string;
            try {
              real = realpathSync(pkgDir);
            } catch {
              continue;
            }
            if (seenPackages.has(real)) continue;
            seenPackages.add(real);
            let manifest: PluginManifest | undefined;
            try {
              manifest = (JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as Record<string, unknown>)[PLUGIN_MANIFEST_FIELD] as PluginManifest | undefined;
            } catch {
              continue;
            }
            if (manifest === undefined || manifest === null || typeof manifest !== 'object') continue;
            for (const kind of Object.keys(KIND_INFO) as PluginKind[]) {
              for (const [identifier, entry] of Object.entries(manifest[kind] ?? {})) {
                const schemes = typeof entry === 'object' && entry !== null ? (entry.schemes ?? []).map((s) => s.toLowerCase()) : [];
                found.push({ kind, identifier, packageName: name, packageDir: real, entry, schemes });
              }
            }
          }
        }
        if (dirname(dir) === dir) break;
      }
    }
    this.candidates = found;
    return found;
  }
}

/** Whether the runtime runs from its TypeScript sources (the workspace) rather than its build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

const registries = new Map<string, PluginRegistry>();
const explicit: AnyFactory[] = [];

/**
 * Registers a plugin factory in this thread (and every registry made after): for programs that embed the runtime and
 * tests. A job module that calls it at its top level registers it in every worker too (each worker imports the
 * module). Installed packages need no registration: their manifest makes them found.
 *
 * @public
 */
export function registerPlugin(factory: StateBackendFactory | CheckpointStorageFactory | ConnectorFactory): void {
  explicit.push(factory);
  for (const r of registries.values()) r.register(factory);
}

/**
 * The registry for a job: plugins installed around the job module(s) (searched in order), the working directory
 * and the runtime.
 *
 * @internal
 */
export function pluginRegistry(jobModule?: string | readonly string[]): PluginRegistry {
  const runtimeDir = dirname(fileURLToPath(import.meta.url));
  const modules = jobModule === undefined ? [] : typeof jobModule === 'string' ? [jobModule] : jobModule;
  const dirs = modules.filter((m) => !m.startsWith('data:')).map((m) => dirname(m.startsWith('file:') ? fileURLToPath(m) : resolve(m)));
  const roots = [...new Set([...dirs, process.cwd(), runtimeDir])];
  const key = roots.join('\u0000');
  let r = registries.get(key);
  if (!r) {
    r = new PluginRegistry(roots, new Set(FROM_SOURCE ? ['@runnel/source', 'import', 'node', 'default'] : ['import', 'node', 'default']));
    // Built in: the backend and the storage the runtime depends on anyway.
    r.register(heapStateBackend);
    r.register(filesystemCheckpointStorage);
    for (const f of explicit) r.register(f);
    registries.set(key, r);
  }
  return r;
}

/**
 * Finds an installed plugin by kind and identifier (as `'connector' = 'kafka'` or `'format' = 'json'` do): the
 * packages around `from` (modules or paths, searched in order), the working directory and the runtime. Fails with
 * the available identifiers and the closest one.
 *
 * @public
 */
export async function findPlugin<F>(kind: PluginKind, identifier: string, from?: string | readonly string[]): Promise<F> {
  return (await pluginRegistry(from).find(kind, identifier)) as F;
}
