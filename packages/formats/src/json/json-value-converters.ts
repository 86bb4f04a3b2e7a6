// Converters from parsed JSON values to row values, one function per field built once when a decoder is created (no
// switch on the type per value). Reusable by the formats that carry rows as JSON objects (debezium-json,
// canal-json): they parse the envelope and convert `before` / `after` with a row converter from here.
//
// Exact numbers without a slow parser: messages are parsed with the native `JSON.parse`, which reads every number as
// a double. The converters that need exact digits (BIGINT, DECIMAL, and numbers read into strings) check whether the
// double can have lost any: a BIGINT beyond 2^53, a DECIMAL whose double has 16 or more digits or whose scale reaches
// below the 15th significant digit, a tie in rounding. Only then they throw `NEEDS_EXACT_PARSE`, and the decoder
// parses that message again with the exact parser, which hands such numbers over as `JsonNumber`s with their text.
// Typical messages never take the second path; see the README for the measured cost of each.
import { ConfigurationError } from '@runnel/api/config';
import { formatLogicalType, type LogicalType, type RowField } from '@runnel/api/table';
import { decimalParts, parseDecimalText, pow10, toDecimal } from '../internal/decimal-text.js';
import { stringifyExact } from '../internal/exact-json.js';
import { describeValue, fail, FieldError, withSegment } from '../internal/field-error.js';
import { JsonNumber } from '../internal/json-number.js';
import { decimalPrecisionScale, isCharacterString } from '../internal/logical-types.js';
import {
  BIGINT_MAX,
  BIGINT_MIN,
  INTEGER_RANGES,
  parseBase64,
  parseBigintText,
  parseBooleanText,
  parseDateText,
  parseDoubleText,
  parseIntegerText,
  parseTimestampText,
  parseTimeText,
  timestampExample,
  type NumberIntegerRoot,
  type TimestampStandard,
} from '../internal/parse-scalar.js';

/**
 * A converter from a parsed JSON value (never undefined) to the row value of its logical type.
 *
 * @internal
 */
export type JsonValueConverter = (value: unknown) => unknown;

/**
 * What the converters need to know about the message being converted: whether it was parsed exactly (then numbers
 * are exact: a `number` came from at most 15 characters, longer ones are `JsonNumber`s). Shared by all converters of
 * a decoder and set by it per message.
 *
 * @internal
 */
export interface JsonParseState {
  exact: boolean;
}

/**
 * Thrown by a converter when the double `JSON.parse` gave may differ from the number in the text; the decoder then
 * parses the message exactly and converts it again. Never escapes a decoder.
 *
 * @internal
 */
export const NEEDS_EXACT_PARSE: unique symbol = Symbol('needs exact parse');

/**
 * How the converters read values.
 *
 * @internal
 */
export interface JsonConverterSettings {
  readonly failOnMissingField: boolean;
  readonly timestampStandard: TimestampStandard;
}

/** A stringified container with a number a double may have rounded: a run of 16 digits, or an exponent. */
const MAYBE_INEXACT_NUMBER = /\d{16}|\d[eE][+-]?\d/;

/** The largest number of significant digits every double reproduces exactly (DBL_DIG). */
const EXACT_DIGITS = 15;

/**
 * Builds the converter of a type, null-safe: JSON null gives null for a nullable type and fails for a NOT NULL one.
 *
 * @throws ConfigurationError for a type JSON cannot carry (a MAP whose keys are not strings)
 * @internal
 */
export function createJsonValueConverter(type: LogicalType, settings: JsonConverterSettings, state: JsonParseState): JsonValueConverter {
  const convert = createNonNullConverter(type, settings, state);
  if (type.nullable) return (v) => (v === null ? null : convert(v));
  const notNull = `null is not allowed (${formatLogicalType(type)})`;
  return (v) => (v === null ? fail(notNull) : convert(v));
}

/**
 * Builds the converter of a ROW's fields: a JSON object to the array of its field values, fields matched by name
 * (case-sensitive), other members ignored, missing fields null (or a failure with `failOnMissingField`).
 *
 * @internal
 */
export function createJsonRowConverter(
  fields: readonly RowField[],
  settings: JsonConverterSettings,
  state: JsonParseState,
): (value: unknown) => unknown[] {
  const converters = fields.map((f) => createJsonValueConverter(f.type, settings, state));
  const failOnMissing = settings.failOnMissingField;
  const missing = fields.map((f) =>
    failOnMissing
      ? new FieldError('missing (fail-on-missing-field is true)')
      : f.type.nullable
        ? null
        : new FieldError(`missing, and the type is ${formatLogicalType(f.type)}`),
  );
  // Generated once per row type: one straight-line read per field with the name as a constant, which V8 compiles to
  // a cached property load, and an array literal of the values (a packed array of the exact size). A name that
  // objects inherit (`constructor`, `toString`) is read as an own property only, or a message without it would yield
  // the inherited function.
  const body: string[] = [
    'return function convertRow(o) {',
    '  if (typeof o !== "object" || o === null || Array.isArray(o) || o instanceof JsonNumber) notAnObject(o);',
  ];
  fields.forEach((f, i) => {
    const name = JSON.stringify(f.name);
    const read = f.name in Object.prototype ? `Object.hasOwn(o, ${name}) ? o[${name}] : undefined` : `o[${name}]`;
    body.push(
      `  let v${i} = ${read};`,
      `  if (v${i} === undefined) v${i} = whenMissing(${i}, ${name});`,
      `  else try { v${i} = c[${i}](v${i}); } catch (e) { throw withSegment(e, ${name}); }`,
    );
  });
  body.push(`  return [${fields.map((_, i) => `v${i}`).join(', ')}];`, '};');
  const whenMissing = (i: number, name: string): null => {
    const m = missing[i];
    if (m === null || m === undefined) return null;
    throw new FieldError(m.reason).within(name);
  };
  const notAnObject = (v: unknown): never => fail(`expected a JSON object, got ${describeValue(v)}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from field indexes and JSON-quoted names only
  const make = new Function('c', 'JsonNumber', 'withSegment', 'whenMissing', 'notAnObject', body.join('\n')) as (
    ...args: unknown[]
  ) => (value: unknown) => unknown[];
  return make(converters, JsonNumber, withSegment, whenMissing, notAnObject);
}

function createNonNullConverter(type: LogicalType, settings: JsonConverterSettings, state: JsonParseState): JsonValueConverter {
  switch (type.root) {
    case 'NULL':
      return () => null;
    case 'BOOLEAN':
      return booleanConverter;
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return integerConverter(type.root);
    case 'BIGINT':
      return (v) => bigintOf(v, state);
    case 'FLOAT':
      return (v) => Math.fround(doubleOf(v));
    case 'DOUBLE':
      return doubleOf;
    case 'DECIMAL':
      return decimalConverter(type, state);
    case 'CHAR':
    case 'VARCHAR':
      return (v) => stringOf(v, state);
    case 'BINARY':
    case 'VARBINARY':
      return bytesOf;
    case 'DATE':
      return dateOf;
    case 'TIME':
      return timeOf;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return timestampConverter(settings.timestampStandard, type.root === 'TIMESTAMP_LTZ');
    case 'ARRAY':
      return arrayConverter(type.element!, settings, state);
    case 'MAP':
      return mapConverter(type, type.key!, type.element!, settings, state);
    case 'MULTISET':
      // A multiset is an object from element to count, as in Flink.
      return mapConverter(type, type.element!, { root: 'INTEGER', nullable: true }, settings, state);
    case 'ROW': {
      const row = createJsonRowConverter(type.fields ?? [], settings, state);
      return row;
    }
    default:
      throw new ConfigurationError(`format 'json' does not support the type ${formatLogicalType(type)}`);
  }
}

function booleanConverter(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const b = typeof v === 'string' ? parseBooleanText(v) : undefined;
  return b ?? fail(`expected a boolean, got ${describeValue(v)}`);
}

/** The SQL names of the integer types, for messages. */
const INTEGER_TYPE_NAMES: Readonly<Record<NumberIntegerRoot, string>> = {
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INT',
  INTERVAL_YEAR_MONTH: 'INTERVAL YEAR TO MONTH',
  INTERVAL_DAY_TIME: 'INTERVAL DAY TO SECOND',
};

function integerConverter(root: NumberIntegerRoot): JsonValueConverter {
  const [min, max] = INTEGER_RANGES[root];
  const typeName = INTEGER_TYPE_NAMES[root];
  return (v) => {
    let n: number | undefined;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string') n = parseIntegerText(v);
    else if (v instanceof JsonNumber) {
      const b = integralOf(v.text);
      n = b === undefined ? Number.NaN : b > BigInt(max) || b < BigInt(min) ? Number.POSITIVE_INFINITY : Number(b);
    }
    if (n === undefined || !Number.isInteger(n)) {
      if (n === Number.POSITIVE_INFINITY || n === Number.NEGATIVE_INFINITY) fail(`${describeValue(v)} is out of range for ${typeName}`);
      fail(`expected an integer, got ${describeValue(v)}`);
    }
    if (n < min || n > max) fail(`${describeValue(v)} is out of range for ${typeName}`);
    return n;
  };
}

/** The exact integer a JSON number's text denotes (`1.5e3` → 1500n), or undefined when it has a fraction. */
function integralOf(text: string): bigint | undefined {
  const p = decimalParts(text);
  if (p === undefined) return undefined;
  if (p.unscaled === 0n) return 0n;
  // More than 20 integer digits is beyond every integer type; no need to build a huge power of ten.
  if (p.digits - p.scale > 20) return p.unscaled < 0n ? BIGINT_MIN * 10n : BIGINT_MAX * 10n;
  if (p.scale <= 0) return p.unscaled * pow10(-p.scale);
  const divisor = pow10(p.scale);
  return p.unscaled % divisor === 0n ? p.unscaled / divisor : undefined;
}

function bigintOf(v: unknown, state: JsonParseState): bigint {
  let b: bigint | undefined;
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return BigInt(v);
    // Beyond 2^53 the double may be rounded (9007199254740993 reads as ...992): read the text instead.
    if (!state.exact && (Number.isInteger(v) || !Number.isFinite(v))) throw NEEDS_EXACT_PARSE;
    fail(`expected an integer, got ${describeValue(v)}`);
  } else if (typeof v === 'string') {
    b = parseBigintText(v);
  } else if (v instanceof JsonNumber) {
    b = integralOf(v.text);
  }
  if (b === undefined) fail(`expected an integer, got ${describeValue(v)}`);
  if (b < BIGINT_MIN || b > BIGINT_MAX) fail(`${describeValue(v)} is out of range for BIGINT`);
  return b;
}

function doubleOf(v: unknown): number {
  if (typeof v === 'number') return v;
  const d = typeof v === 'string' ? parseDoubleText(v) : v instanceof JsonNumber ? Number(v.text) : undefined;
  return d ?? fail(`expected a number, got ${describeValue(v)}`);
}

function decimalConverter(type: LogicalType, state: JsonParseState): JsonValueConverter {
  const [precision, scale] = decimalPrecisionScale(type);
  const typeText = formatLogicalType(type);
  // Flink reads a DECIMAL that overflows its precision as null; for a NOT NULL field that is a failure instead.
  const overflow = (v: unknown): null => (type.nullable ? null : fail(`${describeValue(v)} overflows ${typeText}`));
  return (v) => {
    let d: bigint | null | undefined;
    if (typeof v === 'number') {
      if (v === 0) return 0n;
      // Only a literal beyond the double range reads as ±Infinity: it overflows every precision.
      if (!Number.isFinite(v)) return overflow(v);
      const parts = decimalParts(String(v))!;
      if (!state.exact && mayDifferFromText(parts, scale)) throw NEEDS_EXACT_PARSE;
      d = toDecimal(parts, precision, scale);
    } else if (typeof v === 'string') {
      d = parseDecimalText(v.trim(), precision, scale);
    } else if (v instanceof JsonNumber) {
      d = parseDecimalText(v.text, precision, scale);
    }
    if (d === undefined) fail(`expected a number, got ${describeValue(v)}`);
    return d === null ? overflow(v) : d;
  };
}

/**
 * Whether the DECIMAL value at `scale` of a double's shortest text can differ from that of the JSON text the double
 * was read from. A text of at most 15 significant digits gives exactly these digits back, and a longer text differs
 * from them by less than one unit of the 15th digit; so the result is the same unless the double shows 16 or more
 * digits, the scale reaches below the 15th significant digit, or the rounding at the scale is a tie.
 */
function mayDifferFromText(parts: { unscaled: bigint; scale: number; digits: number }, scale: number): boolean {
  if (parts.digits > EXACT_DIGITS) return true;
  const leading = parts.digits - 1 - parts.scale;
  if (scale > EXACT_DIGITS - 2 - leading) return true;
  if (parts.scale <= scale) return false;
  const divisor = pow10(parts.scale - scale);
  const rest = parts.unscaled % divisor;
  return (rest < 0n ? -rest : rest) * 2n === divisor;
}

function stringOf(v: unknown, state: JsonParseState): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number': {
      const s = String(v);
      // A double printed with 16+ characters or an exponent may not be the number as written.
      if (!state.exact && (s.length > EXACT_DIGITS || s.includes('e'))) throw NEEDS_EXACT_PARSE;
      return s;
    }
    default: {
      if (v instanceof JsonNumber) return v.text;
      // An object or array read into a string field is its JSON text (compact), as Flink does.
      const s = stringifyExact(v);
      if (!state.exact && MAYBE_INEXACT_NUMBER.test(s)) throw NEEDS_EXACT_PARSE;
      return s;
    }
  }
}

function bytesOf(v: unknown): Uint8Array {
  const b = typeof v === 'string' ? parseBase64(v) : undefined;
  return b ?? fail(`expected base64 text, got ${describeValue(v)}`);
}

function dateOf(v: unknown): number {
  const d = typeof v === 'string' ? parseDateText(v) : undefined;
  return d ?? fail(`expected a date like '2020-12-30', got ${describeValue(v)}`);
}

function timeOf(v: unknown): number {
  const t = typeof v === 'string' ? parseTimeText(v) : undefined;
  return t ?? fail(`expected a time like '12:13:14.123', got ${describeValue(v)}`);
}

function timestampConverter(standard: TimestampStandard, zoned: boolean): JsonValueConverter {
  const expected = `expected a timestamp like '${timestampExample(standard, zoned)}' (timestamp-format.standard is ${standard}), got `;
  return (v) => {
    const t = typeof v === 'string' ? parseTimestampText(v, standard, zoned) : undefined;
    return t ?? fail(expected + describeValue(v));
  };
}

function arrayConverter(element: LogicalType, settings: JsonConverterSettings, state: JsonParseState): JsonValueConverter {
  const convert = createJsonValueConverter(element, settings, state);
  return (v) => {
    if (!Array.isArray(v)) fail(`expected a JSON array, got ${describeValue(v)}`);
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      try {
        out[i] = convert(v[i]);
      } catch (e) {
        throw withSegment(e, `[${i}]`);
      }
    }
    return out;
  };
}

function mapConverter(
  type: LogicalType,
  keyType: LogicalType,
  valueType: LogicalType,
  settings: JsonConverterSettings,
  state: JsonParseState,
): JsonValueConverter {
  if (!isCharacterString(keyType)) {
    throw new ConfigurationError(
      `format 'json' does not support ${formatLogicalType(type)}: JSON object keys are strings, so the key type must be CHAR, VARCHAR or STRING`,
    );
  }
  const convert = createJsonValueConverter(valueType, settings, state);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof JsonNumber) fail(`expected a JSON object, got ${describeValue(v)}`);
    const out = new Map<unknown, unknown>();
    for (const [key, value] of Object.entries(v)) {
      try {
        out.set(key, convert(value));
      } catch (e) {
        throw withSegment(e, `[${JSON.stringify(key)}]`);
      }
    }
    return out;
  };
}
