// SQL/JSON path expressions as Flink (Calcite over Jayway JsonPath) takes them: an optional mode (`lax`, the
// default, or `strict`), then `$` followed by member accessors (`.name`, `['name']`, `["a.b"]`, also `.['name']`),
// wildcards (`.*`, `[*]`), array indexes (`[0]`, `[0, 2]`) and deep scans (`..name`). A path with a wildcard, a deep
// scan or several indexes is indefinite: it selects a list of matches (the missing ones left out). A definite path
// that does not exist is an error, which lax mode turns into "empty". Filters (`[?(...)]`) and slices are not
// supported and are rejected when the path is compiled.
import { type JsonValue } from './json-text.js';

type Step =
  | { readonly kind: 'member'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indexes: readonly number[] }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'scan'; readonly name: string | null };

/**
 * A path that does not parse or uses what is not supported.
 *
 * @internal
 */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

/**
 * A compiled JSON path.
 *
 * @internal
 */
export interface JsonPath {
  readonly text: string;
  readonly mode: 'lax' | 'strict';
  /** Whether the path selects at most one value (no wildcard, deep scan or index list). */
  readonly definite: boolean;
  readonly steps: readonly Step[];
}

const CACHE = new Map<string, JsonPath>();

/**
 * Compiles a path (cached per text); throws a {@link JsonPathError} when it is invalid or unsupported.
 *
 * @internal
 */
export function compileJsonPath(text: string): JsonPath {
  let p = CACHE.get(text);
  if (!p) {
    p = parsePath(text);
    if (CACHE.size > 1000) CACHE.clear();
    CACHE.set(text, p);
  }
  return p;
}

function parsePath(text: string): JsonPath {
  let s = text.trim();
  let mode: 'lax' | 'strict' = 'lax';
  const m = /^(lax|strict)\s+/i.exec(s);
  if (m) {
    mode = m[1]!.toLowerCase() as 'lax' | 'strict';
    s = s.slice(m[0].length);
  }
  if (s[0] !== '$') throw new JsonPathError(`invalid JSON path '${text}': it must start with $`);
  const steps: Step[] = [];
  let i = 1;
  let definite = true;
  const bad = (what: string): never => {
    throw new JsonPathError(`invalid JSON path '${text}': ${what}`);
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      if (s[i + 1] === '.') {
        // deep scan: ..name or ..*
        i += 2;
        definite = false;
        if (s[i] === '*') {
          steps.push({ kind: 'scan', name: null });
          i++;
        } else {
          const n = /^[^.[\s]+/.exec(s.slice(i));
          if (!n) bad('a name expected after ..');
          steps.push({ kind: 'scan', name: n![0] });
          i += n![0].length;
        }
        continue;
      }
      i++;
      if (s[i] === '*') {
        steps.push({ kind: 'wildcard' });
        definite = false;
        i++;
        continue;
      }
      if (s[i] === '[') continue;
      const n = /^[^.[\s]+/.exec(s.slice(i));
      if (!n) bad('a member name expected after .');
      steps.push({ kind: 'member', names: [n![0]] });
      i += n![0].length;
      continue;
    }
    if (c === '[') {
      const end = findClose(s, i);
      if (end < 0) bad('unclosed [');
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') {
        steps.push({ kind: 'wildcard' });
        definite = false;
      } else if (inner.startsWith('?')) bad('filters are not supported');
      else if (inner.startsWith("'") || inner.startsWith('"')) {
        const names = parseNames(inner) ?? bad(`bad member list [${inner}]`);
        if (names.length > 1) definite = false;
        steps.push({ kind: 'member', names });
      } else if (/^-?\d+(\s*,\s*-?\d+)*$/.test(inner)) {
        const indexes = inner.split(',').map((x) => Number(x.trim()));
        if (indexes.length > 1) definite = false;
        steps.push({ kind: 'index', indexes });
      } else if (inner.includes(':')) bad('array slices are not supported');
      else bad(`bad subscript [${inner}]`);
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    bad(`unexpected '${c}'`);
  }
  return { text, mode, definite, steps };
}

function findClose(s: string, open: number): number {
  let q: string | null = null;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = null;
    } else if (c === "'" || c === '"') q = c;
    else if (c === ']') return i;
  }
  return -1;
}

function parseNames(inner: string): string[] | null {
  const names: string[] = [];
  let i = 0;
  while (i < inner.length) {
    const q = inner[i];
    if (q !== "'" && q !== '"') return null;
    let j = i + 1;
    let name = '';
    while (j < inner.length && inner[j] !== q) {
      if (inner[j] === '\\' && j + 1 < inner.length) j++;
      name += inner[j];
      j++;
    }
    if (j >= inner.length) return null;
    names.push(name);
    i = j + 1;
    while (inner[i] === ' ') i++;
    if (i < inner.length) {
      if (inner[i] !== ',') return null;
      i++;
      while (inner[i] === ' ') i++;
    }
  }
  return names;
}

/**
 * What evaluating a path gave: a value (definite), a list of matches (indefinite), or missing.
 *
 * @internal
 */
export type JsonPathResult = { readonly found: true; readonly value: JsonValue } | { readonly found: false };

const MISSING: JsonPathResult = { found: false };

function child(v: JsonValue, step: Step, out: JsonValue[]): void {
  switch (step.kind) {
    case 'member':
      if (v instanceof Map) for (const n of step.names) if (v.has(n)) out.push(v.get(n)!);
      return;
    case 'index':
      if (Array.isArray(v))
        for (const k of step.indexes) {
          const j = k < 0 ? v.length + k : k;
          if (j >= 0 && j < v.length) out.push(v[j]!);
        }
      return;
    case 'wildcard':
      if (Array.isArray(v)) out.push(...v);
      else if (v instanceof Map) for (const x of v.values()) out.push(x);
      return;
    case 'scan':
      scan(v, step.name, out);
      return;
  }
}

function scan(v: JsonValue, name: string | null, out: JsonValue[]): void {
  if (v instanceof Map) {
    for (const [k, x] of v) {
      if (name === null || k === name) out.push(x);
      scan(x, name, out);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) {
      if (name === null) out.push(x);
      scan(x, name, out);
    }
  }
}

/**
 * Evaluates a path: a definite path gives its value or missing; an indefinite one the array of its matches.
 *
 * @internal
 */
export function evaluateJsonPath(path: JsonPath, doc: JsonValue): JsonPathResult {
  if (path.definite) {
    let v = doc;
    for (const step of path.steps) {
      if (step.kind === 'member') {
        if (!(v instanceof Map) || !v.has(step.names[0]!)) return MISSING;
        v = v.get(step.names[0]!)!;
      } else {
        const k = (step as { indexes: readonly number[] }).indexes[0]!;
        if (!Array.isArray(v)) return MISSING;
        const j = k < 0 ? v.length + k : k;
        if (j < 0 || j >= v.length) return MISSING;
        v = v[j]!;
      }
    }
    return { found: true, value: v };
  }
  let current: JsonValue[] = [doc];
  for (const step of path.steps) {
    const next: JsonValue[] = [];
    for (const v of current) child(v, step, next);
    current = next;
  }
  return { found: true, value: current };
}
