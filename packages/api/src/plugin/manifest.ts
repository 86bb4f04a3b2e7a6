// How a package tells Runnel which plugins it has, without Runnel importing it: a `runnel` field in its package.json,
// listing its factories by kind and identifier. The runtime reads the field of every installed package (the
// node_modules folders around the job, the working directory and the runtime) and imports a plugin's module only
// when a job asks for its identifier. So installing a package is all it takes to use its plugins: no change to
// Runnel, no registration code in the job.
//
//   "runnel": {
//     "stateBackends": { "mem2": "./dist/index.js#mem2StateBackend" },
//     "checkpointStorages": { "s3": { "module": "./dist/s3.js", "export": "s3Storage", "schemes": ["s3"] } },
//     "connectors": { "kafka": "./dist/kafka-factory.js" }
//   }
//
// A module is given relative to the package root; `#name` (or `export`) names the export that holds the factory,
// else the default export is used.

/**
 * One plugin entry of a manifest: the module (relative to the package root, optionally `#export`), or an object.
 *
 * @public
 */
export type PluginEntry = string | { readonly module: string; readonly export?: string; readonly schemes?: readonly string[] };

/**
 * The `runnel` field of a package.json.
 *
 * @public
 */
export interface PluginManifest {
  /** State backends by identifier (`state.backend.type`). */
  readonly stateBackends?: Readonly<Record<string, PluginEntry>>;
  /** Checkpoint storages by identifier (`state.checkpoint-storage`); `schemes` selects them by URI scheme too. */
  readonly checkpointStorages?: Readonly<Record<string, PluginEntry>>;
  /** Table connectors by identifier (`'connector' = '...'`). */
  readonly connectors?: Readonly<Record<string, PluginEntry>>;
  /** Formats by identifier (`'format' = '...'`). */
  readonly formats?: Readonly<Record<string, PluginEntry>>;
}

/**
 * The package.json field that holds a {@link PluginManifest}.
 *
 * @public
 */
export const PLUGIN_MANIFEST_FIELD = 'runnel';

/**
 * Whether a plugin built for `range` (a semver range of `@runnel/api`: `^x.y.z`, `~x.y.z`, `x.y.z`, `>=x.y.z`, or
 * `*`) can run with this `version` of the API. Before 1.0, `^0.y.z` accepts only `0.y.*` (semver's rule).
 *
 * @public
 */
export function apiVersionSatisfies(range: string, version: string): boolean {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
  };
  const cmp = (a: [number, number, number], b: [number, number, number]): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const r = range.trim();
  const v = parse(version);
  if (v === undefined) return false;
  if (r === '*' || r === '') return true;
  const op = /^(\^|~|>=|=)?\s*(.*)$/.exec(r)!;
  const base = parse(op[2]!);
  if (base === undefined) return false;
  switch (op[1]) {
    case '>=':
      return cmp(v, base) >= 0;
    case '~':
      return v[0] === base[0] && v[1] === base[1] && v[2] >= base[2];
    case '^':
      if (cmp(v, base) < 0) return false;
      if (base[0] > 0) return v[0] === base[0];
      if (base[1] > 0) return v[0] === 0 && v[1] === base[1];
      return v[0] === 0 && v[1] === 0 && v[2] === base[2];
    default:
      return cmp(v, base) === 0;
  }
}
