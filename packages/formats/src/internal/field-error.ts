// How value converters report a bad value. A converter knows what is wrong ("expected a number, got "abc"") but not
// where: the row, array and map converters around it add the path on the way out (`bid.price`, `tags[2]`,
// `attrs["k"]`), and the decoder turns the result into a `FormatError` naming the field. Paths are collected only
// when something fails, so the hot path pays nothing for them.
import { FormatError } from '@runnel/api/table';
import { JsonNumber } from './json-number.js';

/**
 * A value that could not be converted, with the path of the field it belongs to (outermost first once complete).
 *
 * @internal
 */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  /** Path segments, innermost last: field names, `[2]` (array index) or `["key"]` (map key). */
  readonly path: string[] = [];
  constructor(
    /** What is wrong with the value, e.g. `expected a number, got "abc"`. */
    readonly reason: string,
  ) {
    super(reason);
  }

  /** Adds the segment of the enclosing field, array element or map entry (called from the inside out). */
  within(segment: string): FieldError {
    this.path.unshift(segment);
    return this;
  }

  /** `bid.price`, `tags[2]`, `attrs["k"]`: the path as a user reads it. */
  pathText(): string {
    let s = '';
    for (const p of this.path) s += p.startsWith('[') || s === '' ? p : `.${p}`;
    return s;
  }

  /** The `FormatError` a decoder or encoder throws: `field 'bid.price': expected a number, got "abc"`. */
  toFormatError(prefix = ''): FormatError {
    const where = this.path.length === 0 ? '' : `field '${this.pathText()}': `;
    return new FormatError(`${prefix}${where}${this.reason}`);
  }
}

/**
 * Throws a {@link FieldError}; `never` so that converters can end with it.
 *
 * @internal
 */
export function fail(reason: string): never {
  throw new FieldError(reason);
}

/**
 * Adds the path segment of an enclosing field to a failure passing through, leaving other errors alone.
 *
 * @internal
 */
export function withSegment(e: unknown, segment: string): unknown {
  return e instanceof FieldError ? e.within(segment) : e;
}

/** The longest text of a value quoted in a message; longer values are cut with an ellipsis. */
const MAX_SHOWN = 60;

/**
 * A short description of a value for messages: strings quoted (and cut), numbers and booleans as written, other
 * values by kind (`an object`, `an array`).
 *
 * @internal
 */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string': {
      const shown = v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}…` : v;
      return JSON.stringify(shown);
    }
    case 'number':
    case 'boolean':
      return String(v);
    case 'bigint':
      return `${v}`;
    default:
      if (Array.isArray(v)) return 'an array';
      if (v instanceof Uint8Array) return `${v.length} bytes`;
      if (v instanceof Map) return 'a map';
      if (v instanceof JsonNumber) return v.text;
      return typeof v === 'object' ? 'an object' : typeof v;
  }
}
