// Built-in string functions with Flink's semantics (SqlFunctionUtils / BinaryStringDataUtil): positions are 1-based
// and counted in UTF-16 code units (as Java's String; CHAR_LENGTH counts code points as Flink's BinaryStringData),
// most functions are strict (NULL in, NULL out). Regular expressions are Java's (translated by java-regex.ts) and
// are compiled once when the pattern is a literal, else once per distinct pattern. Hashes use node:crypto.
import { createHash, randomUUID } from 'node:crypto';
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, SqlRuntimeError, type ScalarFunctionDefinition } from './function-definition.js';
import { anyNullable, argError, defineFunction, expectInteger, expectString, keywordLiteral, resolved, toNumber } from './define.js';
import { JavaRegexError, compileJavaRegex, javaSplit } from './java-regex.js';
import { paramExtractor } from './param-extract.js';
import { resolveLike } from './like.js';
import { codePointLength } from '../types/cast.js';
import { isBinary, isIntegral, isString, makeType, stringType } from '../types/type-rules.js';
import { parseJavaDouble } from './number-text.js';

const INT = (nullable: boolean): LogicalType => makeType('INTEGER', nullable);
const BOOL = (nullable: boolean): LogicalType => makeType('BOOLEAN', nullable);

function expectAllStrings(name: string, types: readonly LogicalType[]): void {
  for (let i = 0; i < types.length; i++) expectString(name, types, i);
}

/** A one-argument string -> string function. */
function stringToString(name: string, f: (s: string) => string, keepType = false): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types) => {
    expectString(name, types, 0);
    return resolved(keepType && types[0]!.root !== 'NULL' ? types[0]! : stringType(types[0]!.nullable), f);
  });
}

// ------------------------------------------------------------------------------------------------ concatenation

const CONCAT = defineFunction('CONCAT', 1, Infinity, (types) => {
  expectAllStrings('CONCAT', types);
  const type = stringType(anyNullable(types));
  switch (types.length) {
    case 1:
      return resolved(type, (a: string) => a);
    case 2:
      return resolved(type, (a: string, b: string) => a + b);
    case 3:
      return resolved(type, (a: string, b: string, c: string) => a + b + c);
    default:
      return resolved(type, (...v: string[]) => v.join(''));
  }
});

const CONCAT_WS = defineFunction('CONCAT_WS', 1, Infinity, (types) => {
  expectAllStrings('CONCAT_WS', types);
  // NULL separator: NULL; NULL strings are skipped
  return resolved(
    stringType(types[0]!.nullable),
    (sep: string | null, ...v: (string | null)[]) => {
      if (sep === null) return null;
      let out = '';
      let first = true;
      for (const s of v) {
        if (s === null) continue;
        out += first ? s : sep + s;
        first = false;
      }
      return out;
    },
    { strictNulls: false },
  );
});

// ------------------------------------------------------------------------------------------------ substrings

function substring(s: string, pos: number, len: number): string | null {
  if (len < 0) return null;
  if (s.length === 0) return '';
  let start: number;
  if (pos > 0) {
    start = pos - 1;
    if (start >= s.length) return '';
  } else if (pos < 0) {
    start = s.length + pos;
    if (start < 0) return '';
  } else start = 0;
  const end = s.length - start < len ? s.length : start + len;
  return s.slice(start, end);
}

function substringDef(name: string): ScalarFunctionDefinition {
  return defineFunction(name, 2, 3, (types) => {
    expectString(name, types, 0);
    expectInteger(name, types, 1);
    if (types.length === 3) expectInteger(name, types, 2);
    if (types.length === 2) return resolved(stringType(anyNullable(types)), (s: string, p: number | bigint) => substring(s, toNumber(p), Number.MAX_SAFE_INTEGER));
    // a negative length is NULL
    return resolved(stringType(true), (s: string, p: number | bigint, l: number | bigint) => substring(s, toNumber(p), toNumber(l)));
  });
}

const LEFT = defineFunction('LEFT', 2, 2, (types) => {
  expectString('LEFT', types, 0);
  expectInteger('LEFT', types, 1);
  return resolved(stringType(anyNullable(types)), (s: string, n: number | bigint) => {
    const k = toNumber(n);
    return k <= 0 ? '' : s.slice(0, k);
  });
});

const RIGHT = defineFunction('RIGHT', 2, 2, (types) => {
  expectString('RIGHT', types, 0);
  expectInteger('RIGHT', types, 1);
  return resolved(stringType(anyNullable(types)), (s: string, n: number | bigint) => {
    const k = toNumber(n);
    return k <= 0 ? '' : k >= s.length ? s : s.slice(s.length - k);
  });
});

const OVERLAY = defineFunction('OVERLAY', 3, 4, (types) => {
  expectString('OVERLAY', types, 0);
  expectString('OVERLAY', types, 1);
  expectInteger('OVERLAY', types, 2);
  if (types.length === 4) expectInteger('OVERLAY', types, 3);
  return resolved(stringType(anyNullable(types)), (s: string, r: string, start: number | bigint, length?: number | bigint) => {
    const st = toNumber(start);
    const len = length === undefined ? r.length : toNumber(length);
    if (st <= 0 || st > s.length) return s;
    let out = s.slice(0, st - 1) + r;
    if (st + len <= s.length && len > 0) out += s.slice(st - 1 + len);
    return out;
  });
});

// ------------------------------------------------------------------------------------------------ case, trim, pad

const UPPER = stringToString('UPPER', (s) => s.toUpperCase(), true);
const LOWER = stringToString('LOWER', (s) => s.toLowerCase(), true);

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

function isLetterOrDigit(c: string): boolean {
  return LETTER_OR_DIGIT.test(c);
}

const INITCAP = stringToString('INITCAP', (s) => {
  // Calcite: upper-case a letter after a non-alphanumeric character, lower-case the rest
  let out = '';
  let cap = true;
  for (const c of s) {
    out += cap ? c.toUpperCase() : c.toLowerCase();
    cap = !isLetterOrDigit(c);
  }
  return out;
});

function trimWith(s: string, chars: string, leading: boolean, trailing: boolean): string {
  let a = 0;
  let b = s.length;
  if (chars.length === 1) {
    const c = chars.charCodeAt(0);
    if (leading) while (a < b && s.charCodeAt(a) === c) a++;
    if (trailing) while (b > a && s.charCodeAt(b - 1) === c) b--;
  } else {
    if (leading) while (a < b && chars.includes(s[a]!)) a++;
    if (trailing) while (b > a && chars.includes(s[b - 1]!)) b--;
  }
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const TRIM = defineFunction('TRIM', 2, 3, (types, _ctx, literals) => {
  const mode = keywordLiteral('TRIM', literals, 0, ['BOTH', 'LEADING', 'TRAILING']);
  expectString('TRIM', types, 1);
  if (types.length === 3) expectString('TRIM', types, 2);
  const leading = mode !== 'TRAILING';
  const trailing = mode !== 'LEADING';
  const type = stringType(types[1]!.nullable || (types.length === 3 && types[2]!.nullable));
  if (types.length === 2) return resolved(type, (_m: string, s: string) => trimWith(s, ' ', leading, trailing));
  return resolved(type, (_m: string, s: string, chars: string) => trimWith(s, chars, leading, trailing));
});

function sideTrim(name: string, leading: boolean): ScalarFunctionDefinition {
  return defineFunction(name, 1, 2, (types) => {
    expectAllStrings(name, types);
    return resolved(stringType(anyNullable(types)), (s: string, chars?: string) => trimWith(s, chars ?? ' ', leading, !leading));
  });
}

function pad(name: string, left: boolean): ScalarFunctionDefinition {
  return defineFunction(name, 3, 3, (types) => {
    expectString(name, types, 0);
    expectInteger(name, types, 1);
    expectString(name, types, 2);
    // a negative length or an empty pad is NULL
    return resolved(stringType(true), (s: string, n: number | bigint, p: string) => {
      const len = toNumber(n);
      if (len < 0 || p.length === 0) return null;
      if (len <= s.length) return s.slice(0, len);
      const fill = p.repeat(Math.ceil((len - s.length) / p.length)).slice(0, len - s.length);
      return left ? fill + s : s + fill;
    });
  });
}

const REPEAT = defineFunction('REPEAT', 2, 2, (types) => {
  expectString('REPEAT', types, 0);
  expectInteger('REPEAT', types, 1);
  return resolved(stringType(anyNullable(types)), (s: string, n: number | bigint) => {
    const k = toNumber(n);
    return k <= 0 ? '' : s.repeat(k);
  });
});

const REVERSE = stringToString('REVERSE', (s) => {
  // by code point, as Java's StringBuilder.reverse keeps surrogate pairs
  let out = '';
  for (const c of s) out = c + out;
  return out;
});

const REPLACE = defineFunction('REPLACE', 3, 3, (types) => {
  expectAllStrings('REPLACE', types);
  return resolved(stringType(anyNullable(types)), (s: string, a: string, b: string) => s.replaceAll(a, b));
});

// ------------------------------------------------------------------------------------------------ positions

function charLength(name: string): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types) => {
    expectString(name, types, 0);
    return resolved(INT(types[0]!.nullable), codePointLength);
  });
}

const POSITION = defineFunction('POSITION', 2, 2, (types) => {
  expectAllStrings('POSITION', types);
  return resolved(INT(anyNullable(types)), (needle: string, s: string) => s.indexOf(needle) + 1);
});

const LOCATE = defineFunction('LOCATE', 2, 3, (types) => {
  expectString('LOCATE', types, 0);
  expectString('LOCATE', types, 1);
  if (types.length === 3) expectInteger('LOCATE', types, 2);
  return resolved(INT(anyNullable(types)), (needle: string, s: string, from?: number | bigint) => {
    const f = from === undefined ? 1 : toNumber(from);
    if (f < 1) return 0;
    return s.indexOf(needle, f - 1) + 1;
  });
});

function instr(s: string, sub: string, start: number, nth: number): number {
  if (nth <= 0) throw new SqlRuntimeError('INSTR: the occurrence must be positive');
  if (start === 0) return 0;
  if (start > 0) {
    let from = start;
    let index = 0;
    for (let i = 0; i < nth; i++) {
      index = s.indexOf(sub, from - 1) + 1;
      if (index === 0) return 0;
      from = index + 1;
    }
    return index;
  }
  // from the end: search the reversed strings
  const rs = [...s].reverse().join('');
  const rsub = [...sub].reverse().join('');
  const pos = instr(rs, rsub, -start, nth);
  return pos === 0 ? 0 : s.length + 2 - pos - sub.length;
}

const INSTR = defineFunction('INSTR', 2, 4, (types) => {
  expectString('INSTR', types, 0);
  expectString('INSTR', types, 1);
  if (types.length >= 3) expectInteger('INSTR', types, 2);
  if (types.length === 4) expectInteger('INSTR', types, 3);
  return resolved(INT(anyNullable(types)), (s: string, sub: string, start?: number | bigint, nth?: number | bigint) =>
    instr(s, sub, start === undefined ? 1 : toNumber(start), nth === undefined ? 1 : toNumber(nth)),
  );
});

// ------------------------------------------------------------------------------------------------ regular expressions

/** A regex for a pattern argument: compiled now when literal, else per distinct pattern; null when invalid. */
function regexSource(literal: unknown, flags: string): (pattern: string) => RegExp | null {
  const compile = (p: string): RegExp | null => {
    try {
      return compileJavaRegex(p, flags);
    } catch (e) {
      if (e instanceof JavaRegexError) return null;
      throw e;
    }
  };
  if (typeof literal === 'string') {
    let re: RegExp | null;
    try {
      re = compileJavaRegex(literal, flags);
    } catch (e) {
      // a construct JavaScript cannot run is a planning error; Flink returns NULL for an invalid pattern
      if (e instanceof JavaRegexError && /not supported|unsupported/.test(e.message)) throw new FunctionTypeError(e.message);
      re = null;
    }
    return () => re;
  }
  let last: string | undefined;
  let lastRe: RegExp | null = null;
  return (p) => {
    if (p !== last) {
      lastRe = compile(p);
      last = p;
    }
    return lastRe;
  };
}

const REGEXP = defineFunction('REGEXP', 2, 2, (types, _ctx, literals) => {
  expectAllStrings('REGEXP', types);
  const re = regexSource(literals[1], '');
  // Flink: an empty or invalid pattern is FALSE
  return resolved(BOOL(anyNullable(types)), (s: string, p: string) => {
    if (p.length === 0) return false;
    const r = re(p);
    return r !== null && r.test(s);
  });
});

const REGEXP_EXTRACT = defineFunction('REGEXP_EXTRACT', 2, 3, (types, _ctx, literals) => {
  expectString('REGEXP_EXTRACT', types, 0);
  expectString('REGEXP_EXTRACT', types, 1);
  if (types.length === 3) expectInteger('REGEXP_EXTRACT', types, 2);
  const re = regexSource(literals[1], '');
  // A literal pattern of the key-value shape runs as indexOf calls (param-extract.ts), with the same results.
  const literalRe = typeof literals[1] === 'string' ? re(literals[1]) : null;
  const extract = literalRe === null ? undefined : paramExtractor(literalRe);
  if (extract !== undefined) {
    return resolved(stringType(true), (s: string, _p: string, idx?: number | bigint) => {
      const i = idx === undefined ? 0 : toNumber(idx);
      // a group index beyond the pattern's two groups is NULL, as below
      return i < 0 || i > 2 ? null : extract(s, i);
    });
  }
  return resolved(stringType(true), (s: string, p: string, idx?: number | bigint) => {
    const r = re(p);
    if (r === null) return null;
    const m = r.exec(s);
    if (m === null) return null;
    const i = idx === undefined ? 0 : toNumber(idx);
    // a group index beyond the pattern's groups is NULL (Flink catches the exception)
    if (i < 0 || i >= m.length) return null;
    return m[i] ?? null;
  });
});

const REGEXP_REPLACE = defineFunction('REGEXP_REPLACE', 3, 3, (types, _ctx, literals) => {
  expectAllStrings('REGEXP_REPLACE', types);
  const re = regexSource(literals[1], 'g');
  // the replacement is literal text (Flink quotes it): no group references
  return resolved(stringType(true), (s: string, p: string, r: string) => {
    const rx = re(p);
    return rx === null ? null : s.replace(rx, () => r);
  });
});

const SPLIT_INDEX = defineFunction('SPLIT_INDEX', 3, 3, (types) => {
  expectString('SPLIT_INDEX', types, 0);
  if (!isString(types[1]!) && !isIntegral(types[1]!) && types[1]!.root !== 'NULL') throw argError('SPLIT_INDEX', types, 1, 'a character string or a character code');
  expectInteger('SPLIT_INDEX', types, 2);
  const byCode = isIntegral(types[1]!);
  return resolved(stringType(true), (s: string, sep: string | number | bigint, index: number | bigint) => {
    const i = toNumber(index);
    let sp: string;
    if (byCode) {
      const c = toNumber(sep as number);
      if (c > 255 || c < 1) return null;
      sp = String.fromCharCode(c);
    } else sp = (sep as string).length === 0 ? ' ' : (sep as string);
    if (i < 0 || s.length === 0) return null;
    // The i-th part by scanning for separators, without splitting the whole string (a URL's third directory
    // needs three indexOf calls, not an array of every part).
    let start = 0;
    for (let k = 0; k < i; k++) {
      const at = s.indexOf(sp, start);
      if (at < 0) return null;
      start = at + sp.length;
    }
    const end = s.indexOf(sp, start);
    return end < 0 ? s.slice(start) : s.slice(start, end);
  });
});

const STR_TO_MAP = defineFunction('STR_TO_MAP', 1, 3, (types, _ctx, literals) => {
  expectAllStrings('STR_TO_MAP', types);
  if (types.length === 2) throw new FunctionTypeError('STR_TO_MAP takes 1 or 3 arguments (text[, pair delimiter, key-value delimiter])');
  const pairRe = regexSource(types.length === 3 ? literals[1] : ',', '');
  const kvRe = regexSource(types.length === 3 ? literals[2] : '=', '');
  const type: LogicalType = { root: 'MAP', nullable: anyNullable(types), key: stringType(true), element: stringType(true) };
  return resolved(type, (s: string, d1?: string, d2?: string) => {
    const m = new Map<string, string | null>();
    if (s.length === 0) return m;
    const r1 = pairRe(d1 ?? ',');
    const r2 = kvRe(d2 ?? '=');
    if (r1 === null || r2 === null) throw new SqlRuntimeError(`STR_TO_MAP: invalid delimiter '${r1 === null ? d1 : d2}'`);
    for (const pair of javaSplit(s, r1)) {
      const kv = javaSplit(pair, r2, 2);
      if (kv.length < 2) m.set(pair, null);
      else m.set(kv[0]!, kv[1]!);
    }
    return m;
  });
});

// ------------------------------------------------------------------------------------------------ characters, codes

const ASCII = defineFunction('ASCII', 1, 1, (types) => {
  expectString('ASCII', types, 0);
  return resolved(INT(types[0]!.nullable), (s: string) => (s.length === 0 ? 0 : s.charCodeAt(0)));
});

const CHR = defineFunction('CHR', 1, 1, (types) => {
  expectInteger('CHR', types, 0);
  return resolved(makeType('CHAR', types[0]!.nullable, 1), (n: number | bigint) => {
    const v = toNumber(n);
    return v < 0 ? '' : String.fromCharCode(v & 0xff);
  });
});

const HEX_DIGITS = '0123456789ABCDEF';

function hexOfBytes(b: Uint8Array, upper: boolean): string {
  let out = '';
  for (const x of b) out += HEX_DIGITS[x >> 4]! + HEX_DIGITS[x & 15]!;
  return upper ? out : out.toLowerCase();
}

const HEX = defineFunction('HEX', 1, 1, (types) => {
  const t = types[0]!;
  const type = stringType(t.nullable);
  if (isIntegral(t)) return resolved(type, (v: number | bigint) => BigInt.asUintN(64, BigInt(v)).toString(16).toUpperCase());
  if (isString(t)) {
    const enc = new TextEncoder();
    return resolved(type, (s: string) => hexOfBytes(enc.encode(s), true));
  }
  if (isBinary(t)) return resolved(type, (b: Uint8Array) => hexOfBytes(b, true));
  throw argError('HEX', types, 0, 'an integer or a string');
});

const BIN = defineFunction('BIN', 1, 1, (types) => {
  expectInteger('BIN', types, 0);
  return resolved(stringType(types[0]!.nullable), (v: number | bigint) => BigInt.asUintN(64, BigInt(v)).toString(2));
});

function bytesArg(name: string, types: readonly LogicalType[]): (v: any) => Uint8Array {
  const t = types[0]!;
  if (isBinary(t)) return (b: Uint8Array) => b;
  if (isString(t) || t.root === 'NULL') {
    const enc = new TextEncoder();
    return (s: string) => enc.encode(s);
  }
  throw argError(name, types, 0, 'a string or bytes');
}

const TO_BASE64 = defineFunction('TO_BASE64', 1, 1, (types) => {
  const bytes = bytesArg('TO_BASE64', types);
  return resolved(stringType(types[0]!.nullable), (v: unknown) => Buffer.from(bytes(v)).toString('base64'));
});

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const FROM_BASE64 = defineFunction('FROM_BASE64', 1, 1, (types) => {
  const t = types[0]!;
  if (!isString(t) && !isBinary(t) && t.root !== 'NULL') throw argError('FROM_BASE64', types, 0, 'a string');
  const dec = new TextDecoder('utf-8');
  const asText = isBinary(t) ? (b: Uint8Array) => dec.decode(b) : (s: string) => s;
  return resolved(stringType(t.nullable), (v: unknown) => {
    const s = asText(v as string & Uint8Array);
    if (!BASE64.test(s)) throw new SqlRuntimeError(`FROM_BASE64: '${s}' is not Base64`);
    return dec.decode(Buffer.from(s, 'base64'));
  });
});

const CHARSETS: Record<string, BufferEncoding> = {
  'US-ASCII': 'ascii',
  'ISO-8859-1': 'latin1',
  'UTF-8': 'utf8',
  'UTF-16LE': 'utf16le',
};

function charsetOf(name: string): string {
  const u = name.toUpperCase();
  if (u === 'UTF-16BE' || u === 'UTF-16' || CHARSETS[u]) return u;
  throw new SqlRuntimeError(`unsupported character set '${name}' (US-ASCII, ISO-8859-1, UTF-8, UTF-16BE, UTF-16LE, UTF-16)`);
}

function swap16(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1]!;
    out[i + 1] = b[i]!;
  }
  return out;
}

const ENCODE = defineFunction('ENCODE', 2, 2, (types) => {
  expectAllStrings('ENCODE', types);
  return resolved(makeType('VARBINARY', anyNullable(types), 2147483647), (s: string, cs: string) => {
    const c = charsetOf(cs);
    if (c === 'UTF-16BE' || c === 'UTF-16') {
      const be = swap16(Buffer.from(s, 'utf16le'));
      // Java's UTF-16 writes a big-endian byte order mark
      return c === 'UTF-16' && s.length > 0 ? Uint8Array.from([0xfe, 0xff, ...be]) : be;
    }
    return new Uint8Array(Buffer.from(s, CHARSETS[c]));
  });
});

const DECODE = defineFunction('DECODE', 2, 2, (types) => {
  if (!isBinary(types[0]!) && types[0]!.root !== 'NULL') throw argError('DECODE', types, 0, 'bytes');
  expectString('DECODE', types, 1);
  return resolved(stringType(anyNullable(types)), (b: Uint8Array, cs: string) => {
    const c = charsetOf(cs);
    if (c === 'UTF-16BE') return Buffer.from(swap16(b)).toString('utf16le');
    if (c === 'UTF-16') {
      if (b[0] === 0xff && b[1] === 0xfe) return Buffer.from(b.subarray(2)).toString('utf16le');
      return Buffer.from(swap16(b[0] === 0xfe && b[1] === 0xff ? b.subarray(2) : b)).toString('utf16le');
    }
    return Buffer.from(b).toString(CHARSETS[c]);
  });
});

// ------------------------------------------------------------------------------------------------ hashes, UUID

function hash(name: string, algorithm: string): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types) => {
    const bytes = bytesArg(name, types);
    return resolved(stringType(types[0]!.nullable), (v: unknown) => createHash(algorithm).update(bytes(v)).digest('hex'));
  });
}

const SHA2 = defineFunction('SHA2', 2, 2, (types) => {
  const bytes = bytesArg('SHA2', types);
  expectInteger('SHA2', types, 1);
  return resolved(stringType(true), (v: unknown, bits: number | bigint) => {
    const n = toNumber(bits);
    if (n !== 224 && n !== 256 && n !== 384 && n !== 512) return null;
    return createHash(`sha${n}`).update(bytes(v)).digest('hex');
  });
});

const UUID = defineFunction('UUID', 0, 0, () => resolved(makeType('CHAR', false, 36), () => randomUUID(), { deterministic: false }));

// ------------------------------------------------------------------------------------------------ predicates, URLs

function predicate(name: string, test: (s: string) => boolean): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types) => {
    const t = types[0]!;
    // Flink: NULL is FALSE; numbers are decimals/digits
    if (isString(t) || t.root === 'NULL') return resolved(BOOL(false), (s: string | null) => s !== null && s.length > 0 && test(s), { strictNulls: false });
    if (name === 'IS_ALPHA') return resolved(BOOL(false), () => false, { strictNulls: false });
    if (isIntegral(t) || (name === 'IS_DECIMAL' && (t.root === 'FLOAT' || t.root === 'DOUBLE' || t.root === 'DECIMAL'))) return resolved(BOOL(false), (v: unknown) => v !== null, { strictNulls: false });
    return resolved(BOOL(false), () => false, { strictNulls: false });
  });
}

const ALPHA = /^\p{L}+$/u;
const DIGITS = /^\p{Nd}+$/u;
const IS_ALPHA = predicate('IS_ALPHA', (s) => ALPHA.test(s));
const IS_DIGIT = predicate('IS_DIGIT', (s) => DIGITS.test(s));
const IS_DECIMAL = predicate('IS_DECIMAL', (s) => parseJavaDouble(s) !== null);

const URL_PARTS = ['HOST', 'PATH', 'QUERY', 'REF', 'PROTOCOL', 'FILE', 'AUTHORITY', 'USERINFO'];

function urlPart(u: URL, part: string): string | null {
  switch (part) {
    case 'HOST':
      return u.hostname;
    case 'PATH':
      return u.pathname;
    case 'QUERY':
      return u.search.length > 1 ? u.search.slice(1) : null;
    case 'REF':
      return u.hash.length > 1 ? u.hash.slice(1) : null;
    case 'PROTOCOL':
      return u.protocol.replace(/:$/, '');
    case 'FILE':
      return u.pathname + u.search;
    case 'AUTHORITY':
      return (u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '') + u.host;
    case 'USERINFO':
      return u.username ? `${u.username}${u.password ? `:${u.password}` : ''}` : null;
    default:
      return null;
  }
}

const PARSE_URL = defineFunction('PARSE_URL', 2, 3, (types) => {
  expectAllStrings('PARSE_URL', types);
  return resolved(stringType(true), (url: string, part: string, key?: string) => {
    if (!URL_PARTS.includes(part)) return null;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (key === undefined) return urlPart(u, part);
    if (part !== 'QUERY') return null;
    const q = urlPart(u, 'QUERY');
    if (q === null) return null;
    for (const kv of q.split('&')) {
      const eq = kv.indexOf('=');
      if (eq >= 0 && kv.slice(0, eq) === key) return kv.slice(eq + 1);
    }
    return null;
  });
});

// ------------------------------------------------------------------------------------------------ LIKE, SIMILAR TO

function likeDef(op: 'LIKE' | 'SIMILAR TO'): ScalarFunctionDefinition {
  return defineFunction(op, 2, 3, (types, _ctx, literals) => {
    expectAllStrings(op, types);
    const type = BOOL(anyNullable(types));
    if (types.length === 3) {
      const esc = literals[2];
      if (typeof esc === 'string') {
        const m = resolveLike(op, esc, typeof literals[1] === 'string' ? literals[1] : undefined);
        return resolved(type, (s: string, p: string) => m(s, p));
      }
      // a computed escape: a matcher per escape character met
      const byEscape = new Map<string, (s: string, p: string) => boolean>();
      return resolved(type, (s: string, p: string, e: string) => {
        let m = byEscape.get(e);
        if (!m) {
          try {
            m = resolveLike(op, e);
          } catch (err) {
            throw new SqlRuntimeError((err as Error).message);
          }
          byEscape.set(e, m);
        }
        return m(s, p);
      });
    }
    const m = resolveLike(op, undefined, typeof literals[1] === 'string' ? literals[1] : undefined);
    return resolved(type, m);
  });
}

/**
 * The built-in string functions.
 *
 * @internal
 */
export const STRING_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  CONCAT,
  CONCAT_WS,
  substringDef('SUBSTRING'),
  substringDef('SUBSTR'),
  LEFT,
  RIGHT,
  OVERLAY,
  UPPER,
  LOWER,
  INITCAP,
  TRIM,
  sideTrim('LTRIM', true),
  sideTrim('RTRIM', false),
  pad('LPAD', true),
  pad('RPAD', false),
  REPEAT,
  REVERSE,
  REPLACE,
  charLength('CHAR_LENGTH'),
  charLength('CHARACTER_LENGTH'),
  POSITION,
  LOCATE,
  INSTR,
  REGEXP,
  REGEXP_EXTRACT,
  REGEXP_REPLACE,
  SPLIT_INDEX,
  STR_TO_MAP,
  ASCII,
  CHR,
  HEX,
  BIN,
  TO_BASE64,
  FROM_BASE64,
  ENCODE,
  DECODE,
  hash('MD5', 'md5'),
  hash('SHA1', 'sha1'),
  hash('SHA224', 'sha224'),
  hash('SHA256', 'sha256'),
  hash('SHA384', 'sha384'),
  hash('SHA512', 'sha512'),
  SHA2,
  UUID,
  IS_ALPHA,
  IS_DIGIT,
  IS_DECIMAL,
  PARSE_URL,
  likeDef('LIKE'),
  likeDef('SIMILAR TO'),
];
