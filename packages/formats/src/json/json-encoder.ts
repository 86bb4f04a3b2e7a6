// The `json` encoder: a row to the text of one JSON object, fields by name in the row type's order. The text is
// built directly (keys escaped once, per-field writers built once) rather than through an object and
// `JSON.stringify`, which cannot write a bigint and would round BIGINT and DECIMAL values through doubles. What is
// written follows Flink's JSON format: BIGINT as an exact number, DECIMAL as a number (scientific notation for large
// exponents unless `encode.decimal-as-plain-number`), timestamps in the chosen standard, bytes as base64, NaN and
// infinities as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (Jackson's default).
import { ConfigurationError } from '@runnel/api/config';
import { formatLogicalType, type LogicalType, type Row, type RowEncoder, type RowField, type RowType } from '@runnel/api/table';
import { formatDecimal } from '../internal/decimal-text.js';
import { describeValue, fail, FieldError, withSegment } from '../internal/field-error.js';
import { formatBase64, formatDate, formatFloat, formatTime, formatTimestamp } from '../internal/format-scalar.js';
import { decimalPrecisionScale, isCharacterString } from '../internal/logical-types.js';
import type { JsonEncodingSettings } from './json-options.js';

/** Writes a non-null value of one type as JSON text. */
type ValueWriter = (value: unknown) => string;

/**
 * Encodes rows as JSON text.
 *
 * @internal
 */
export class JsonRowEncoder implements RowEncoder {
  private readonly writeRow: (fields: readonly unknown[]) => string;

  constructor(rowType: RowType, settings: JsonEncodingSettings) {
    this.writeRow = rowWriter(rowType.fields, settings);
  }

  encode(row: Row): string {
    try {
      return this.writeRow(row.fields);
    } catch (e) {
      throw toFormatError(e);
    }
  }
}

function toFormatError(e: unknown): unknown {
  return e instanceof FieldError ? e.toFormatError('cannot encode: ') : e;
}

function rowWriter(fields: readonly RowField[], settings: JsonEncodingSettings): (values: readonly unknown[]) => string {
  const writers = fields.map((f) => valueWriter(f.type, settings));
  // Generated once per row type: straight-line code per field with the key text as a constant, and one string
  // concatenation for the object (or appends, when null fields are left out).
  const body: string[] = ['return function writeRow(a) {', '  if (!Array.isArray(a)) notAnArray(a);', '  let v, t;'];
  const ignoreNulls = settings.ignoreNullFields;
  if (ignoreNulls) body.push("  let s = '';");
  fields.forEach((f, i) => {
    const name = JSON.stringify(f.name);
    const key = JSON.stringify(`${JSON.stringify(f.name)}:`);
    body.push(
      `  v = a[${i}];`,
      `  if (v === null || v === undefined) t = ${ignoreNulls ? 'undefined' : "'null'"};`,
      `  else try { t = w[${i}](v); } catch (e) { throw withSegment(e, ${name}); }`,
      ignoreNulls ? `  if (t !== undefined) s += (s === '' ? ${key} : ',' + ${key}) + t;` : `  const t${i} = t;`,
    );
  });
  if (ignoreNulls) body.push("  return '{' + s + '}';");
  else body.push(`  return '{' + ${fields.map((f, i) => `${JSON.stringify(`${i === 0 ? '' : ','}${JSON.stringify(f.name)}:`)} + t${i}`).join(' + ') || "''"} + '}';`);
  body.push('};');
  const notAnArray = (v: unknown): never => fail(`expected the row's fields as an array, got ${describeValue(v)}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from field indexes and JSON-quoted names only
  const make = new Function('w', 'withSegment', 'notAnArray', body.join('\n')) as (...args: unknown[]) => (values: readonly unknown[]) => string;
  return make(writers, withSegment, notAnArray);
}

/** `"NaN"`, `"Infinity"`, `"-Infinity"`: Jackson quotes the non-finite doubles by default. */
function nonFinite(x: number): string {
  return `"${x}"`;
}

function expectNumber(v: unknown, what: string): number {
  return typeof v === 'number' ? v : fail(`expected a number for ${what}, got ${describeValue(v)}`);
}

function quoted(text: string): string {
  return `"${text}"`;
}

function valueWriter(type: LogicalType, settings: JsonEncodingSettings): ValueWriter {
  const what = formatLogicalType(type);
  switch (type.root) {
    case 'NULL':
      return () => 'null';
    case 'BOOLEAN':
      return (v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : fail(`expected a boolean for ${what}, got ${describeValue(v)}`));
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return (v) => `${expectNumber(v, what)}`;
    case 'BIGINT':
      return (v) =>
        typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)) ? `${v}` : fail(`expected a bigint for ${what}, got ${describeValue(v)}`);
    case 'FLOAT':
      return (v) => {
        const x = expectNumber(v, what);
        return Number.isFinite(x) ? formatFloat(x) : nonFinite(x);
      };
    case 'DOUBLE':
      return (v) => {
        const x = expectNumber(v, what);
        return Number.isFinite(x) ? `${x}` : nonFinite(x);
      };
    case 'DECIMAL': {
      const scale = decimalPrecisionScale(type)[1];
      const scientific = !settings.decimalAsPlainNumber;
      return (v) =>
        typeof v === 'bigint' ? formatDecimal(v, scale, scientific) : fail(`expected a bigint (the unscaled value) for ${what}, got ${describeValue(v)}`);
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => (typeof v === 'string' ? JSON.stringify(v) : fail(`expected a string for ${what}, got ${describeValue(v)}`));
    case 'BINARY':
    case 'VARBINARY':
      return (v) => (v instanceof Uint8Array ? quoted(formatBase64(v)) : fail(`expected a Uint8Array for ${what}, got ${describeValue(v)}`));
    case 'DATE':
      return (v) => quoted(formatDate(expectNumber(v, what)));
    case 'TIME':
      return (v) => quoted(formatTime(expectNumber(v, what)));
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const zoned = type.root === 'TIMESTAMP_LTZ';
      const standard = settings.timestampStandard;
      return (v) => quoted(formatTimestamp(expectNumber(v, what), standard, zoned));
    }
    case 'ARRAY': {
      const element = valueWriter(type.element!, settings);
      return (v) => {
        if (!Array.isArray(v)) fail(`expected an array for ${what}, got ${describeValue(v)}`);
        let s = '';
        for (let i = 0; i < v.length; i++) {
          const e: unknown = v[i];
          try {
            s += `${i === 0 ? '' : ','}${e === null || e === undefined ? 'null' : element(e)}`;
          } catch (err) {
            throw withSegment(err, `[${i}]`);
          }
        }
        return `[${s}]`;
      };
    }
    case 'MAP':
      return mapWriter(type, type.key!, type.element!, settings);
    case 'MULTISET':
      return mapWriter(type, type.element!, { root: 'INTEGER', nullable: true }, settings);
    case 'ROW': {
      const row = rowWriter(type.fields ?? [], settings);
      return (v) => row(v as readonly unknown[]);
    }
    default:
      throw new ConfigurationError(`format 'json' does not support the type ${what}`);
  }
}

function mapWriter(type: LogicalType, keyType: LogicalType, valueType: LogicalType, settings: JsonEncodingSettings): ValueWriter {
  const what = formatLogicalType(type);
  if (!isCharacterString(keyType)) {
    throw new ConfigurationError(
      `format 'json' does not support ${what}: JSON object keys are strings, so the key type must be CHAR, VARCHAR or STRING`,
    );
  }
  const value = valueWriter(valueType, settings);
  const { mapNullKeyMode: mode } = settings;
  const nullKey = JSON.stringify(settings.mapNullKeyLiteral);
  return (v) => {
    if (!(v instanceof Map)) fail(`expected a Map for ${what}, got ${describeValue(v)}`);
    let s = '';
    for (const [k, e] of v as Map<unknown, unknown>) {
      let key: string;
      if (k === null || k === undefined) {
        if (mode === 'DROP') continue;
        if (mode === 'FAIL') fail("a map key is null (map-null-key.mode is FAIL; set it to DROP or LITERAL to write such maps)");
        key = nullKey;
      } else if (typeof k === 'string') {
        key = JSON.stringify(k);
      } else {
        fail(`expected string map keys for ${what}, got ${describeValue(k)}`);
      }
      let text: string;
      try {
        text = e === null || e === undefined ? 'null' : value(e);
      } catch (err) {
        throw withSegment(err, `[${key}]`);
      }
      s += `${s === '' ? '' : ','}${key}:${text}`;
    }
    return `{${s}}`;
  };
}
