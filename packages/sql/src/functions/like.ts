// LIKE and SIMILAR TO: SQL patterns compiled to a matcher once (when the pattern is a literal) or once per distinct
// pattern (a one-entry cache, for a pattern column that repeats). LIKE follows Flink (Calcite's `sqlToRegexLike`):
// `%` is any sequence (newlines included), `_` one character (not a line terminator), the escape character (`\`
// unless ESCAPE says otherwise) makes `%`, `_` or itself literal and anything else after it is an error; matching is
// case-sensitive and covers the whole string. Simple patterns ('abc%', '%abc', '%abc%', 'abc') skip the RegExp.
// SIMILAR TO is the SQL regular expression: `%`, `_`, `|`, `*`, `+`, `?`, `{m,n}`, `( )`, `[ ]`; other characters
// (`.` included) are literal.
import { FunctionTypeError, SqlRuntimeError } from './function-definition.js';

const REGEX_SPECIAL = '[](){}.*+?^$|\\/';

/**
 * A SQL pattern that is malformed (bad escape sequence).
 *
 * @internal
 */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

type Matcher = (s: string) => boolean;

function escapeChar(escape: string | null | undefined, op: string): string | undefined {
  if (escape === undefined) return '\\';
  if (escape === null) return undefined;
  if (escape.length !== 1) throw new PatternError(`the ESCAPE of ${op} must be one character, got '${escape}'`);
  return escape;
}

function compileLike(pattern: string, escape: string | undefined): Matcher {
  // fast paths for patterns made of a literal and % at the ends only
  if (!pattern.includes('_') && (escape === undefined || !pattern.includes(escape))) {
    const inner = pattern.replace(/^%+|%+$/g, '');
    if (!inner.includes('%')) {
      const lead = pattern.startsWith('%');
      const trail = pattern.endsWith('%') && pattern.length > 0;
      if (inner.length === 0 && (lead || trail)) return () => true;
      if (lead && trail) return (s) => s.includes(inner);
      if (lead) return (s) => s.endsWith(inner);
      if (trail) return (s) => s.startsWith(inner);
      return (s) => s === pattern;
    }
  }
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === escape) {
      const next = pattern[i + 1];
      if (next === '_' || next === '%' || next === escape) {
        re += REGEX_SPECIAL.includes(next) ? `\\${next}` : next;
        i++;
        continue;
      }
      throw new PatternError(`invalid escape sequence in LIKE pattern '${pattern}' at position ${i}`);
    }
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '.';
    else re += REGEX_SPECIAL.includes(c) ? `\\${c}` : c;
  }
  const rx = new RegExp(`${re}$`);
  return (s) => rx.test(s);
}

function compileSimilar(pattern: string, escape: string | undefined): Matcher {
  let re = '^(?:';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === escape) {
      const next = pattern[i + 1];
      if (next === undefined) throw new PatternError(`invalid escape sequence in SIMILAR TO pattern '${pattern}' at position ${i}`);
      re += REGEX_SPECIAL.includes(next) || next === '-' ? `\\${next}` : next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '%':
        re += '[\\s\\S]*';
        break;
      case '_':
        re += '[\\s\\S]';
        break;
      case '[':
        inClass = true;
        re += c;
        break;
      case '|':
      case '*':
      case '+':
      case '?':
      case '(':
      case ')':
      case '{':
      case '}':
        re += c;
        break;
      default:
        re += REGEX_SPECIAL.includes(c) ? `\\${c}` : c;
    }
  }
  if (inClass) throw new PatternError(`unclosed [ in SIMILAR TO pattern '${pattern}'`);
  let rx: RegExp;
  try {
    rx = new RegExp(`${re})$`);
  } catch (e) {
    throw new PatternError(`invalid SIMILAR TO pattern '${pattern}': ${(e as Error).message}`);
  }
  return (s) => rx.test(s);
}

/**
 * A matcher for `s LIKE pattern [ESCAPE escape]` or `s SIMILAR TO pattern [ESCAPE escape]`: `(s, pattern) =>
 * boolean` for non-null values. `escape` undefined means no ESCAPE clause (LIKE then uses `\`). When
 * `literalPattern` is given the pattern is compiled now (a malformed one throws a {@link FunctionTypeError});
 * otherwise each new pattern is compiled on first use and kept while it repeats (a malformed one throws a
 * {@link SqlRuntimeError}).
 *
 * @internal
 */
export function resolveLike(op: 'LIKE' | 'SIMILAR TO', escape?: string | null, literalPattern?: string): (s: string, pattern: string) => boolean {
  let esc: string | undefined;
  try {
    esc = escapeChar(escape, op);
  } catch (e) {
    throw new FunctionTypeError((e as Error).message);
  }
  const compile = op === 'LIKE' ? compileLike : compileSimilar;
  if (literalPattern !== undefined) {
    let m: Matcher;
    try {
      m = compile(literalPattern, esc);
    } catch (e) {
      throw new FunctionTypeError((e as Error).message);
    }
    return (s) => m(s);
  }
  let lastPattern: string | undefined;
  let last: Matcher = () => false;
  return (s, pattern) => {
    if (pattern !== lastPattern) {
      try {
        last = compile(pattern, esc);
      } catch (e) {
        throw new SqlRuntimeError((e as Error).message);
      }
      lastPattern = pattern;
    }
    return last(s);
  };
}
