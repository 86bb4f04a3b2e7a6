// Java regular expressions (what Flink's REGEXP, REGEXP_EXTRACT, REGEXP_REPLACE and STR_TO_MAP take) translated to
// JavaScript RegExps. The common differences are translated: \A \z \Z anchors, `$` (Java's matches before a final
// line terminator), \Q...\E quoting, \h \v \R \e \a, octal \0nn, \x{h...}, POSIX classes \p{Alpha} etc., Unicode
// categories \p{L} (with the `u` flag), leading inline flags (?i) (?s) (?m). Constructs JavaScript cannot express
// are rejected with an error naming them: possessive quantifiers (a*+), atomic groups (?>...), inline flags inside
// the pattern, class intersections [a-z&&[^b]], nested classes, \G, \X, comments mode (?x).

const SYNTAX = '^$\\.*+?()[]{}|/';
const LINE_END = '(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])';

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

// Unicode properties Java and JavaScript share (JavaScript needs the `u` flag for them)
const UNICODE_PROPS = new Set(['L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So', 'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Cs', 'Co', 'Cn']);
const JAVA_ALIASES: Record<string, string> = {
  IsAlphabetic: 'Alphabetic',
  IsLetter: 'L',
  IsDigit: 'Nd',
  IsUppercase: 'Uppercase',
  IsLowercase: 'Lowercase',
  IsWhite_Space: 'White_Space',
  IsWhiteSpace: 'White_Space',
  IsPunctuation: 'P',
  javaLowerCase: 'Ll',
  javaUpperCase: 'Lu',
  javaLetter: 'L',
  javaDigit: 'Nd',
  javaLetterOrDigit: 'L',
};

/**
 * A Java regular expression that cannot be translated (the message names the construct).
 *
 * @internal
 */
export class JavaRegexError extends Error {
  override readonly name = 'JavaRegexError';
}

function hexEscape(cp: number): { text: string; unicode: boolean } {
  if (cp <= 0xffff) return { text: `\\u${cp.toString(16).padStart(4, '0')}`, unicode: false };
  return { text: `\\u{${cp.toString(16)}}`, unicode: true };
}

/**
 * Translates a Java regular expression to a JavaScript RegExp source and flags (without `g`); throws a
 * {@link JavaRegexError} for constructs JavaScript cannot express.
 *
 * @internal
 */
export function translateJavaRegex(src: string): { source: string; flags: string } {
  let i = 0;
  let flags = '';
  let unicode = false;
  // leading embedded flags: (?i), (?is), (?m) ...
  for (;;) {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(src.slice(i));
    if (!m) break;
    for (const f of m[1]!) {
      if (f === 'i' || f === 's' || f === 'm') {
        if (!flags.includes(f)) flags += f;
      } else if (f === 'u' || f === 'd' || f === 'U') {
        // Unicode case folding / UNIX_LINES / UNICODE_CHARACTER_CLASS: no JavaScript counterpart needed
      } else if (f === 'x') throw new JavaRegexError('comments mode (?x) is not supported');
      else throw new JavaRegexError(`unknown inline flag '${f}'`);
    }
    i += m[0].length;
  }
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  const n = src.length;
  // whether the previous output element can take a quantifier's possessive '+' check
  const quantifierEnd = (j: number): void => {
    // j: index after the quantifier; a following '+' is possessive
    if (src[j] === '+') throw new JavaRegexError('possessive quantifiers (e.g. a*+) are not supported');
  };
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') {
      if (i + 1 >= n) throw new JavaRegexError('the pattern ends with a backslash');
      const e = src[i + 1]!;
      i += 2;
      switch (e) {
        case 'Q': {
          let end = src.indexOf('\\E', i);
          if (end < 0) end = n;
          for (const ch of src.slice(i, end)) out += SYNTAX.includes(ch) || ch === '-' ? `\\${ch}` : ch;
          i = end < n ? end + 2 : n;
          break;
        }
        case 'E':
          break;
        case 'A':
          if (inClass) throw new JavaRegexError('\\A inside a character class');
          out += '(?<![\\s\\S])';
          break;
        case 'z':
          out += '(?![\\s\\S])';
          break;
        case 'Z':
          out += `(?=${LINE_END}?(?![\\s\\S]))`;
          break;
        case 'G':
          throw new JavaRegexError('\\G is not supported');
        case 'X':
          throw new JavaRegexError('\\X (grapheme clusters) is not supported');
        case 'h':
          out += inClass ? ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000' : '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
          break;
        case 'H':
          if (inClass) throw new JavaRegexError('\\H inside a character class is not supported');
          out += '[^ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
          break;
        case 'v':
          out += inClass ? '\\n\\x0B\\f\\r\\x85\\u2028\\u2029' : '[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
          break;
        case 'V':
          if (inClass) throw new JavaRegexError('\\V inside a character class is not supported');
          out += '[^\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
          break;
        case 'R':
          if (inClass) throw new JavaRegexError('\\R inside a character class');
          out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
          break;
        case 'e':
          out += '\\x1B';
          break;
        case 'a':
          out += '\\x07';
          break;
        case '0': {
          // octal: \0n, \0nn, \0mnn (m <= 3)
          let j = i;
          let v = 0;
          while (j < n && j - i < 3 && src[j]! >= '0' && src[j]! <= '7') {
            const nv = v * 8 + (src.charCodeAt(j) - 48);
            if (nv > 0o377) break;
            v = nv;
            j++;
          }
          if (j === i) throw new JavaRegexError('illegal octal escape \\0');
          out += hexEscape(v).text;
          i = j;
          break;
        }
        case 'x': {
          if (src[i] === '{') {
            const end = src.indexOf('}', i);
            if (end < 0) throw new JavaRegexError('unclosed \\x{...}');
            const h = hexEscape(parseInt(src.slice(i + 1, end), 16));
            if (h.unicode) unicode = true;
            out += h.text;
            i = end + 1;
          } else {
            out += `\\x${src.slice(i, i + 2)}`;
            i += 2;
          }
          break;
        }
        case 'p':
        case 'P': {
          let name: string;
          if (src[i] === '{') {
            const end = src.indexOf('}', i);
            if (end < 0) throw new JavaRegexError('unclosed \\p{...}');
            name = src.slice(i + 1, end);
            i = end + 1;
          } else {
            name = src[i] ?? '';
            i++;
          }
          const neg = e === 'P';
          if (name.startsWith('Is') && POSIX[name.slice(2)] === undefined && UNICODE_PROPS.has(name.slice(2))) name = name.slice(2);
          const posix = POSIX[name];
          if (posix !== undefined) {
            if (inClass) {
              if (neg) throw new JavaRegexError(`\\P{${name}} inside a character class is not supported`);
              out += posix;
            } else out += `[${neg ? '^' : ''}${posix}]`;
          } else {
            const prop = UNICODE_PROPS.has(name) ? name : JAVA_ALIASES[name];
            if (prop === undefined) throw new JavaRegexError(`the character property \\p{${name}} is not supported`);
            unicode = true;
            out += `\\${neg ? 'P' : 'p'}{${prop}}`;
          }
          break;
        }
        case 'N':
          throw new JavaRegexError('\\N{name} is not supported');
        case 'k':
        case 'b':
        case 'B':
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W':
        case 't':
        case 'n':
        case 'r':
        case 'f':
        case 'c':
        case 'u':
          out += `\\${e}`;
          if (e === 'c') {
            out += src[i] ?? '';
            i++;
          }
          break;
        default:
          if (e >= '1' && e <= '9') {
            if (inClass) throw new JavaRegexError('a back reference inside a character class');
            out += `\\${e}`;
          } else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
            throw new JavaRegexError(`unsupported escape \\${e}`);
          } else if (SYNTAX.includes(e) || (inClass && e === '-')) {
            out += `\\${e}`;
          } else {
            out += hexEscape(e.codePointAt(0)!).text;
          }
      }
      continue;
    }
    if (inClass) {
      if (c === '[') throw new JavaRegexError('nested character classes and class unions ([a[b]]) are not supported');
      if (c === '&' && src[i + 1] === '&') throw new JavaRegexError('character class intersections (&&) are not supported');
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        i++;
        if (src[i] === '^') {
          out += '^';
          i++;
        }
        // a ']' right after '[' or '[^' is a literal in Java
        if (src[i] === ']') {
          out += '\\]';
          i++;
        }
        break;
      case '(':
        if (src[i + 1] === '?') {
          const rest = src.slice(i + 2);
          if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
            out += '(?';
            i += 2;
          } else if (/^<[a-zA-Z][a-zA-Z0-9]*>/.test(rest)) {
            out += '(?';
            i += 2;
          } else if (rest.startsWith('>')) throw new JavaRegexError('atomic groups (?>...) are not supported');
          else throw new JavaRegexError('inline flags inside the pattern ((?i) after the start, (?i:...)) are not supported');
        } else {
          out += c;
          i++;
        }
        break;
      case '*':
      case '+':
      case '?':
        out += c;
        i++;
        if (src[i] === '?') {
          out += '?';
          i++;
        } else quantifierEnd(i);
        break;
      case '{': {
        const m = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i));
        if (!m) throw new JavaRegexError(`illegal repetition near index ${i}`);
        out += m[0];
        i += m[0].length;
        if (src[i] === '?') {
          out += '?';
          i++;
        } else quantifierEnd(i);
        break;
      }
      case '$':
        out += multiline ? `(?=${LINE_END}|(?![\\s\\S]))` : `(?=${LINE_END}?(?![\\s\\S]))`;
        i++;
        break;
      case '^':
        out += multiline ? `(?<=^|${LINE_END})` : '^';
        i++;
        break;
      case '/':
        out += '\\/';
        i++;
        break;
      case '}':
      case ']':
        out += `\\${c}`;
        i++;
        break;
      default:
        out += c;
        i++;
    }
  }
  if (inClass) throw new JavaRegexError('unclosed character class');
  // the m flag is not needed: ^ and $ are translated for multiline mode
  flags = flags.replace('m', '');
  if (unicode) flags += 'u';
  return { source: out, flags };
}

const CACHE = new Map<string, RegExp>();

/**
 * A JavaScript RegExp for a Java regular expression (`extraFlags` added, e.g. `g`); cached per pattern and
 * flags. Throws a {@link JavaRegexError} when the pattern cannot be translated or is invalid.
 *
 * @internal
 */
export function compileJavaRegex(src: string, extraFlags = ''): RegExp {
  const key = `${extraFlags}\u0000${src}`;
  let re = CACHE.get(key);
  if (!re) {
    const { source, flags } = translateJavaRegex(src);
    try {
      re = new RegExp(source, flags + extraFlags);
    } catch (e) {
      throw new JavaRegexError(`invalid regular expression '${src}': ${(e as Error).message}`);
    }
    if (CACHE.size > 500) CACHE.clear();
    CACHE.set(key, re);
  }
  return re;
}

/**
 * Java's `String.split(regex)`: splits at the matches, drops trailing empty strings (limit 0), and a zero-width
 * match at the start gives no leading empty string. With `limit` > 0 at most `limit` parts, the last one the rest.
 *
 * @internal
 */
export function javaSplit(s: string, re: RegExp, limit = 0): string[] {
  const g = re.global ? re : new RegExp(re.source, `${re.flags}g`);
  const parts: string[] = [];
  let last = 0;
  g.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(s)) !== null) {
    if (limit > 0 && parts.length === limit - 1) break;
    const at = m.index;
    const len = m[0].length;
    if (len === 0) {
      if (at >= s.length) break;
      if (at === 0) {
        g.lastIndex++;
        continue;
      }
    }
    parts.push(s.slice(last, at));
    last = at + len;
    if (len === 0) g.lastIndex++;
  }
  parts.push(s.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  // Java: splitting '' gives [''], no match at all gives the input
  if (parts.length === 0) return s.length === 0 ? [''] : [];
  return parts;
}
