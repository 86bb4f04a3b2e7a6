// An exact JSON parser: the same values as `JSON.parse`, except that numbers a double may not hold exactly (longer
// than 15 characters, or with an exponent) come back as `JsonNumber`s with their text. Decoders parse with the native
// `JSON.parse` first, which is about three times faster than any parser written in JavaScript, and fall back to this
// parser only for a message that turned out to need exact digits (see `json-value-converters.ts`); so its speed
// matters only for such messages. Also the matching `stringifyExact`, which writes `JsonNumber`s back unchanged.
import { JsonNumber } from './json-number.js';

/** Numbers up to this many characters without an exponent have at most 15 significant digits: exact as doubles. */
const MAX_EXACT_NUMBER_LENGTH = 15;

/**
 * Parses JSON text like `JSON.parse`, keeping numbers that may not be exact as doubles as {@link JsonNumber}s.
 *
 * @throws SyntaxError naming the position of the first error
 * @internal
 */
export function parseJsonExact(text: string): unknown {
  const p = new ExactParser(text);
  const value = p.value();
  p.skipWhitespace();
  if (p.i !== text.length) p.unexpected();
  return value;
}

class ExactParser {
  i = 0;
  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    const t = this.text;
    let i = this.i;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  unexpected(): never {
    if (this.i >= this.text.length) throw new SyntaxError('Unexpected end of JSON input');
    throw new SyntaxError(`Unexpected token '${this.text[this.i]}' in JSON at position ${this.i}`);
  }

  value(): unknown {
    this.skipWhitespace();
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === 0x22) return this.string();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (t.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (t.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (t.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    return this.unexpected();
  }

  private object(): Record<string, unknown> {
    const t = this.text;
    const o: Record<string, unknown> = {};
    this.i++;
    this.skipWhitespace();
    if (t.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return o;
    }
    for (;;) {
      this.skipWhitespace();
      if (t.charCodeAt(this.i) !== 0x22) this.unexpected();
      const key = this.string();
      this.skipWhitespace();
      if (t.charCodeAt(this.i) !== 0x3a) this.unexpected();
      this.i++;
      const v = this.value();
      // `JSON.parse` makes `__proto__` an own property; an assignment would set the prototype instead.
      if (key === '__proto__') Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      else o[key] = v;
      this.skipWhitespace();
      const d = t.charCodeAt(this.i);
      if (d === 0x2c) {
        this.i++;
        continue;
      }
      if (d === 0x7d) {
        this.i++;
        return o;
      }
      this.unexpected();
    }
  }

  private array(): unknown[] {
    const t = this.text;
    const a: unknown[] = [];
    this.i++;
    this.skipWhitespace();
    if (t.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return a;
    }
    for (;;) {
      a.push(this.value());
      this.skipWhitespace();
      const d = t.charCodeAt(this.i);
      if (d === 0x2c) {
        this.i++;
        continue;
      }
      if (d === 0x5d) {
        this.i++;
        return a;
      }
      this.unexpected();
    }
  }

  private string(): string {
    const t = this.text;
    const start = ++this.i;
    let i = start;
    for (;;) {
      if (i >= t.length) {
        this.i = i;
        this.unexpected();
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c || c < 0x20) break;
      i++;
    }
    // Escapes (or a control character, which JSON forbids): find the closing quote and let the native parser decode
    // and check the literal.
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    if (i >= t.length) {
      this.i = t.length;
      this.unexpected();
    }
    this.i = i + 1;
    return JSON.parse(t.slice(start - 1, i + 1)) as string;
  }

  private number(): number | JsonNumber {
    const t = this.text;
    const start = this.i;
    let i = start;
    let exponent = false;
    if (t.charCodeAt(i) === 0x2d) i++;
    let c = t.charCodeAt(i);
    if (c === 0x30) i++;
    else if (c >= 0x31 && c <= 0x39) {
      do i++;
      while ((c = t.charCodeAt(i)) >= 0x30 && c <= 0x39);
    } else {
      this.i = i;
      this.unexpected();
    }
    if (t.charCodeAt(i) === 0x2e) {
      const f = ++i;
      while ((c = t.charCodeAt(i)) >= 0x30 && c <= 0x39) i++;
      if (i === f) {
        this.i = i;
        this.unexpected();
      }
    }
    c = t.charCodeAt(i);
    if (c === 0x65 || c === 0x45) {
      exponent = true;
      c = t.charCodeAt(++i);
      if (c === 0x2b || c === 0x2d) i++;
      const f = i;
      while ((c = t.charCodeAt(i)) >= 0x30 && c <= 0x39) i++;
      if (i === f) {
        this.i = i;
        this.unexpected();
      }
    }
    this.i = i;
    const s = t.slice(start, i);
    return !exponent && s.length <= MAX_EXACT_NUMBER_LENGTH ? Number(s) : new JsonNumber(s);
  }
}

/**
 * `JSON.stringify` for values from {@link parseJsonExact}: {@link JsonNumber}s are written as their text.
 *
 * @internal
 */
export function stringifyExact(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stringifyExact(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts: string[] = [];
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${stringifyExact(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
