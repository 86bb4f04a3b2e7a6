// Turns one option value into its declared type. Values come as text (command line, SQL `WITH`, YAML) or typed
// from code (`{ 'parallelism.default': 2 }`); both are accepted, and both are checked the same way, so a number
// from code is range-checked like the same number typed on the command line.
import { ConfigurationError, optionPrefix } from './configuration-error.js';
import { DURATION_EXAMPLES, formatDuration, parseDuration } from './duration.js';
import { formatMemorySize, MEMORY_SIZE_EXAMPLES, parseMemorySize } from './memory-size.js';
import type { OptionDeclaration, OptionValue } from './option-declaration.js';
import { closestKey } from './suggest.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** How a given value appears in a message (secrets never do). */
function shown(declaration: OptionDeclaration, value: unknown): string {
  if (declaration.sensitive) return '(hidden)';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** A bound of a range, in the option's own terms (`1 s` for a duration, `4 kb` for a memory size). */
function bound(declaration: OptionDeclaration, n: number): string {
  if (declaration.type === 'duration') return formatDuration(n);
  if (declaration.type === 'memory') return formatMemorySize(n);
  return String(n);
}

function checkRange(declaration: OptionDeclaration, key: string, raw: unknown, n: number, min = declaration.min, max = declaration.max): number {
  if ((min === undefined || n >= min) && (max === undefined || n <= max)) return n;
  const expected =
    min !== undefined && max !== undefined
      ? `${bound(declaration, min)} to ${bound(declaration, max)}`
      : min !== undefined
        ? `at least ${bound(declaration, min)}`
        : `at most ${bound(declaration, max!)}`;
  throw new ConfigurationError(`${optionPrefix(key)}${shown(declaration, raw)} is out of range (expected ${expected})`, key);
}

function fail(declaration: OptionDeclaration, key: string, raw: unknown, what: string): never {
  throw new ConfigurationError(`${optionPrefix(key)}${shown(declaration, raw)} is not ${what}`, key);
}

function integer(declaration: OptionDeclaration, key: string, raw: unknown, min: number, max: number): number {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  const n = typeof raw === 'number' ? raw : text !== undefined && INTEGER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n)) fail(declaration, key, raw, 'an integer');
  checkRange(declaration, key, raw, n, min, max);
  return checkRange(declaration, key, raw, n);
}

function parseList(declaration: OptionDeclaration, key: string, raw: unknown): readonly string[] {
  if (Array.isArray(raw)) return raw.map((e) => String(e));
  if (typeof raw !== 'string') fail(declaration, key, raw, "a list (expected e.g. 'a;b;c')");
  return raw
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseMap(declaration: OptionDeclaration, key: string, raw: unknown): Readonly<Record<string, string>> {
  const expected = "a map (expected e.g. 'k1:v1,k2:v2')";
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  }
  if (typeof raw !== 'string') fail(declaration, key, raw, expected);
  const out: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const colon = entry.indexOf(':');
    if (colon <= 0) fail(declaration, key, raw, expected);
    out[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return out;
}

/**
 * Parses one value of an option: text in the option's grammar, or a typed value from code (a number of
 * milliseconds for a duration, of bytes for a memory size, an array for a list, an object for a map), then checks
 * the declared range.
 *
 * @param key - the key the value was given under (a fallback or deprecated key names itself in errors)
 * @throws {@link ConfigurationError} naming the key, the value and what is expected
 * @public
 */
export function parseOptionValue<D extends OptionDeclaration>(declaration: D, value: unknown, key: string = declaration.key): OptionValue<D> {
  return parseValue(declaration, value, key) as OptionValue<D>;
}

function parseValue(d: OptionDeclaration, raw: unknown, key: string): unknown {
  switch (d.type) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
      return fail(d, key, raw, 'a string');
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (text === 'true') return true;
      if (text === 'false') return false;
      return fail(d, key, raw, 'a boolean (expected true or false)');
    }
    case 'int':
      return integer(d, key, raw, INT_MIN, INT_MAX);
    case 'long':
      return integer(d, key, raw, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'double': {
      const text = typeof raw === 'string' ? raw.trim() : undefined;
      const n =
        typeof raw === 'number' ? raw : text !== undefined && (DECIMAL.test(text) || /^[+-]?Infinity$/.test(text)) ? Number(text) : Number.NaN;
      if (Number.isNaN(n)) fail(d, key, raw, 'a number');
      return checkRange(d, key, raw, n);
    }
    case 'duration': {
      if (typeof raw === 'number') {
        if (!(Number.isFinite(raw) && raw >= 0)) fail(d, key, raw, `a duration (a number of milliseconds >= 0, or text, ${DURATION_EXAMPLES})`);
        return checkRange(d, key, raw, raw);
      }
      if (typeof raw !== 'string') fail(d, key, raw, `a duration (${DURATION_EXAMPLES})`);
      return checkRange(d, key, raw, parseDuration(raw, key));
    }
    case 'memory': {
      if (typeof raw === 'number') {
        if (!(Number.isSafeInteger(raw) && raw >= 0)) fail(d, key, raw, `a memory size (a whole number of bytes >= 0, or text, ${MEMORY_SIZE_EXAMPLES})`);
        return checkRange(d, key, raw, raw);
      }
      if (typeof raw !== 'string') fail(d, key, raw, `a memory size (${MEMORY_SIZE_EXAMPLES})`);
      return checkRange(d, key, raw, parseMemorySize(raw, key));
    }
    case 'enum': {
      const values = d.values ?? [];
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      const found = text === undefined ? undefined : values.find((v) => v.toLowerCase() === text);
      if (found !== undefined) return found;
      const suggestion = text === undefined ? undefined : closestKey(text, values);
      return fail(d, key, raw, `one of ${values.join(', ')}${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`);
    }
    case 'list':
      return parseList(d, key, raw);
    case 'map':
      return parseMap(d, key, raw);
  }
}
