// A plugin search path entry whose `node_modules` holds this package, as an installation would: the SQL session finds
// `'connector' = 'jdbc'` through the package's `runnel` manifest, as users' sessions do.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A path (a "script" in a temp dir) next to a `node_modules/@runnel/connector-mysql` link to this package, and links
 * to the other connector packages named in `also` (dev dependencies of this package, e.g. `connector-datagen`).
 */
export function pluginPath(also: readonly string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'runnel-mysql-plugin-'));
  mkdirSync(join(root, 'node_modules', '@runnel'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@runnel', 'connector-mysql'), 'dir');
  for (const name of also) {
    const dir = realpathSync(join(PACKAGE_DIR, 'node_modules', '@runnel', name));
    symlinkSync(dir, join(root, 'node_modules', '@runnel', name), 'dir');
  }
  return join(root, 'script.sql');
}
