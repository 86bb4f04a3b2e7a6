// The JSON document model of the JSON functions: a parser that keeps what Flink's Jackson keeps (an integer stays
// an exact integer, 1.50 is the double 1.5 and prints `1.5`, 1e2 prints `100.0`, object members keep their order)
// and a compact serializer that prints numbers as Java does. JSON.parse cannot be used: it loses the difference
// between 1 and 1.0 and the digits of integers beyond 2^53.
import { javaDoubleToString } from './number-text.js';

/**
 * A floating-point JSON number (written with a fraction or an exponent): prints as Java's Double.toString.
 *
 * @internal
 */
export class JsonDouble {
  constructor(readonly value: number) {}
}

/**
 * A parsed JSON value: null, boolean, string, an integer (number, or bigint beyond 2^53), a {@link JsonDouble},
 * an array, or an object (a Map, in member order).
 *
 * @internal
 */
export type JsonValue = null | boolean | string | number | bigint | JsonDouble | JsonValue[] | JsonObject;

/** @internal */
export type JsonObject = Map<string, JsonValue>;

/**
 * Malformed JSON text.
 *
 * @internal
 */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`invalid JSON at offset ${this.i}: ${what}`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    if (depth > 1000) this.fail('nesting too deep');
    this.ws();
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end' : `unexpected '${c}'`);
    }
  }

  word<T>(w: string, v: T): T {
    if (!this.s.startsWith(w, this.i)) this.fail(`expected ${w}`);
    this.i += w.length;
    return v;
  }

  number(): JsonValue {
    const s = this.s;
    const start = this.i;
    if (s[this.i] === '-') this.i++;
    const digits0 = this.i;
    while (this.i < s.length && s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
    if (this.i === digits0) this.fail('a digit expected');
    if (s[digits0] === '0' && this.i - digits0 > 1) this.fail('leading zeros');
    let float = false;
    if (s[this.i] === '.') {
      float = true;
      this.i++;
      const f0 = this.i;
      while (this.i < s.length && s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
      if (this.i === f0) this.fail('a digit expected after the point');
    }
    if (s[this.i] === 'e' || s[this.i] === 'E') {
      float = true;
      this.i++;
      if (s[this.i] === '+' || s[this.i] === '-') this.i++;
      const e0 = this.i;
      while (this.i < s.length && s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
      if (this.i === e0) this.fail('a digit expected in the exponent');
    }
    const text = s.slice(start, this.i);
    if (float) return new JsonDouble(Number(text));
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }

  string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    let run = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(run, this.i);
        this.i++;
        return out;
      }
      if (c < 32) this.fail('control character in a string');
      if (c === 92) {
        out += s.slice(run, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const h = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('bad \\u escape');
            out += String.fromCharCode(parseInt(h, 16));
            this.i += 4;
            break;
          }
          default:
            this.fail('bad escape');
        }
        run = this.i;
        continue;
      }
      this.i++;
    }
  }

  array(depth: number): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("',' or ']' expected");
    }
  }

  object(depth: number): JsonObject {
    this.i++;
    const out: JsonObject = new Map();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('a member name expected');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail("':' expected");
      out.set(k, this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail("',' or '}' expected");
    }
  }
}

/**
 * Parses JSON text; throws a {@link JsonSyntaxError} when it is not one JSON value.
 *
 * @internal
 */
export function parseJson(text: string): JsonValue {
  const p = new Parser(text);
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('text after the value');
  return v;
}

/**
 * Whether a JSON value is a scalar (not an array or object).
 *
 * @internal
 */
export function isJsonScalar(v: JsonValue): boolean {
  return !(Array.isArray(v) || v instanceof Map);
}

/**
 * The compact JSON text of a value (`{"a":[1,2.5,"x"]}`); doubles as Java prints them, non-finite doubles quoted.
 *
 * @internal
 */
export function stringifyJson(v: JsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
    case 'number':
    case 'bigint':
      return String(v);
    case 'string':
      return JSON.stringify(v);
    default:
      break;
  }
  if (v instanceof JsonDouble) return Number.isFinite(v.value) ? javaDoubleToString(v.value) : `"${javaDoubleToString(v.value)}"`;
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + stringifyJson(v[i]!);
    return `${s}]`;
  }
  let s = '{';
  let first = true;
  for (const [k, x] of v) {
    s += `${first ? '' : ','}${JSON.stringify(k)}:${stringifyJson(x)}`;
    first = false;
  }
  return `${s}}`;
}

/**
 * The text of a scalar as JSON_VALUE returns it: a string as is, numbers and booleans as Java prints them.
 *
 * @internal
 */
export function scalarText(v: JsonValue): string {
  if (typeof v === 'string') return v;
  return stringifyJson(v);
}
