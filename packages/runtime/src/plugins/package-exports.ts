// Resolves a subpath of an installed package to a file the way Node does for `import`, from the package's own
// directory: the plugin registry imports a plugin from wherever it found the package, not from the runtime's
// location (under pnpm's strict layout the runtime cannot resolve packages it does not depend on). Supported: the
// `exports` field (a string, a conditions object, or a map of exact subpaths; nested conditions and arrays) and
// `main` for packages without `exports`. Subpath patterns (`./*`) are not: a plugin entry names a concrete subpath.
import { join } from 'node:path';

type ExportsTarget = string | null | readonly ExportsTarget[] | { readonly [condition: string]: ExportsTarget };

function resolveTarget(target: ExportsTarget | undefined, conditions: ReadonlySet<string>): string | undefined {
  if (target === undefined || target === null) return undefined;
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target as readonly ExportsTarget[]) {
      const r = resolveTarget(t, conditions);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  // Node takes the first key, in the object's order, that is an active condition (or `default`).
  for (const [key, value] of Object.entries(target as Record<string, ExportsTarget>)) {
    if (key !== 'default' && !conditions.has(key)) continue;
    const r = resolveTarget(value, conditions);
    if (r !== undefined) return r;
  }
  return undefined;
}

/**
 * The absolute file of `subpath` (`.` or `./x`) of the package in `packageDir`, or undefined when its `exports` do
 * not expose it under these conditions.
 *
 * @internal
 */
export function resolvePackageSubpath(packageDir: string, pkg: { exports?: unknown; main?: unknown }, subpath: string, conditions: ReadonlySet<string>): string | undefined {
  const exports = pkg.exports as ExportsTarget | undefined;
  if (exports === undefined) {
    if (subpath === '.') return join(packageDir, typeof pkg.main === 'string' ? pkg.main : 'index.js');
    return join(packageDir, subpath);
  }
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  const target = isSubpathMap ? (exports as Record<string, ExportsTarget>)[subpath] : subpath === '.' ? exports : undefined;
  const file = resolveTarget(target, conditions);
  return file === undefined ? undefined : join(packageDir, file);
}
