// Flink's memory-size grammar (`MemorySize.parse`): `<integer><whitespace?><unit>`, a bare number meaning bytes,
// units binary (1 kb = 1024 bytes) and case-insensitive. Memory sizes are numbers of bytes in Runnel.
import { ConfigurationError, optionPrefix } from './configuration-error.js';

const KB = 1024;
const MB = 1024 ** 2;
const GB = 1024 ** 3;
const TB = 1024 ** 4;

// Flink's labels; `kib`, `mib`, `gib` and `tib` are not Flink's, but earlier Runnel versions read them.
const UNITS: ReadonlyMap<string, number> = new Map([
  ['b', 1], ['bytes', 1],
  ['k', KB], ['kb', KB], ['kibibytes', KB], ['kib', KB],
  ['m', MB], ['mb', MB], ['mebibytes', MB], ['mib', MB],
  ['g', GB], ['gb', GB], ['gibibytes', GB], ['gib', GB],
  ['t', TB], ['tb', TB], ['tebibytes', TB], ['tib', TB],
]);

/** The examples every memory-size error ends with. */
export const MEMORY_SIZE_EXAMPLES = "expected e.g. '64 kb', '32 mb', '1 gb'";

/**
 * Parses a memory size in Flink's grammar into bytes: `<integer><whitespace?><unit>` with the units `b`/`bytes`,
 * `k`/`kb`/`kibibytes`, `m`/`mb`/`mebibytes`, `g`/`gb`/`gibibytes`, `t`/`tb`/`tebibytes` (binary multiples),
 * case-insensitive; a bare number is bytes. For compatibility with earlier Runnel versions `kib`, `mib`, `gib` and
 * `tib` are accepted too.
 *
 * @param text - the size, e.g. `'32 kb'`
 * @param key - the option the text is the value of, named in the error
 * @returns bytes (a safe integer)
 * @throws {@link ConfigurationError} naming the key, the text and the expected form
 * @public
 */
export function parseMemorySize(text: string, key?: string): number {
  const match = /^(\d+)(.*)$/su.exec(text.trim());
  const label = match?.[2]!.trim().toLowerCase() ?? '';
  const factor = label === '' ? 1 : UNITS.get(label);
  const bytes = match === null || factor === undefined ? Number.NaN : Number(match[1]) * factor;
  if (Number.isNaN(bytes)) {
    throw new ConfigurationError(`${optionPrefix(key)}'${text}' is not a memory size (${MEMORY_SIZE_EXAMPLES})`, key);
  }
  if (!Number.isSafeInteger(bytes)) {
    throw new ConfigurationError(`${optionPrefix(key)}'${text}' is too large (at most ${Number.MAX_SAFE_INTEGER} bytes)`, key);
  }
  return bytes;
}

const FORMAT_UNITS: readonly (readonly [string, number])[] = [['tb', TB], ['gb', GB], ['mb', MB], ['kb', KB]];

/**
 * Formats bytes as a memory size in the largest unit that shows it exactly (`32768` → `'32 kb'`, `100` →
 * `'100 b'`), as `parseMemorySize` reads it back.
 *
 * @public
 */
export function formatMemorySize(bytes: number): string {
  if (bytes === 0) return '0 b';
  for (const [label, factor] of FORMAT_UNITS) if (bytes % factor === 0) return `${bytes / factor} ${label}`;
  return `${bytes} b`;
}
