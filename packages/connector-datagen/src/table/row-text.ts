// A row as Flink prints it: `Row.toString()` of the row converted to Flink's external classes, e.g.
// `+I[1, abc, 2020-01-01T10:00, 12.30, [1, 2], {k=v}, +I[nested, null]]`. The kind's short string, then the fields
// in brackets separated by `, `; nested rows the same way (their kind is always +I); arrays and byte arrays in
// brackets; maps as `{key=value, ...}`; null as `null`; each value as its Java class's `toString()` (see
// `java-text.ts`). The formatter is compiled once per row type into an array of per-field functions, so printing a
// row does no type dispatch beyond one call per field.
import { rowKindShortString, type LogicalType, type Row, type RowType } from '@runnel/api/table';
import {
  bigDecimalText,
  durationText,
  instantText,
  javaBytesText,
  javaDoubleText,
  javaFloatText,
  localDateText,
  localDateTimeText,
  localTimeText,
  periodText,
} from './java-text.js';

type ValueText = (value: unknown) => string;

const plain: ValueText = (v) => String(v);

/** The text of one non-null value of `type` (a value of another JS type than the contract says is shown as is). */
function valueText(type: LogicalType): ValueText {
  switch (type.root) {
    case 'FLOAT':
      return (v) => (typeof v === 'number' ? javaFloatText(v) : String(v));
    case 'DOUBLE':
      return (v) => (typeof v === 'number' ? javaDoubleText(v) : String(v));
    case 'DECIMAL': {
      const scale = type.scale ?? 0;
      return (v) => (typeof v === 'bigint' ? bigDecimalText(v, scale) : String(v));
    }
    case 'BINARY':
    case 'VARBINARY':
      return (v) => (v instanceof Uint8Array ? javaBytesText(v) : String(v));
    case 'DATE':
      return (v) => (typeof v === 'number' ? localDateText(v) : String(v));
    case 'TIME':
      return (v) => (typeof v === 'number' ? localTimeText(v) : String(v));
    case 'TIMESTAMP':
      return (v) => (typeof v === 'number' ? localDateTimeText(v) : String(v));
    case 'TIMESTAMP_LTZ':
      return (v) => (typeof v === 'number' ? instantText(v) : String(v));
    case 'INTERVAL_YEAR_MONTH':
      return (v) => (typeof v === 'number' ? periodText(v) : String(v));
    case 'INTERVAL_DAY_TIME':
      return (v) => (typeof v === 'number' ? durationText(v) : String(v));
    case 'ARRAY': {
      const element = nullable(valueText(type.element!));
      return (v) => (Array.isArray(v) ? `[${v.map(element).join(', ')}]` : String(v));
    }
    case 'MAP':
    case 'MULTISET': {
      const key = nullable(valueText(type.root === 'MAP' ? type.key! : type.element!));
      const value = type.root === 'MAP' ? nullable(valueText(type.element!)) : plain;
      return (v) => {
        if (!(v instanceof Map)) return String(v);
        const parts: string[] = [];
        for (const [k, x] of v) parts.push(`${key(k)}=${value(x)}`);
        return `{${parts.join(', ')}}`;
      };
    }
    case 'ROW': {
      const fields = (type.fields ?? []).map((f) => nullable(valueText(f.type)));
      return (v) => (Array.isArray(v) ? fieldsText('+I', v, fields) : String(v));
    }
    default:
      // BOOLEAN, integers (number), BIGINT (bigint), CHAR/VARCHAR (string, unquoted), NULL.
      return plain;
  }
}

function nullable(text: ValueText): ValueText {
  return (v) => (v === null || v === undefined ? 'null' : text(v));
}

function fieldsText(kind: string, values: readonly unknown[], fields: readonly ValueText[]): string {
  let text = `${kind}[`;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ', ';
    const f = fields[i];
    text += f === undefined ? String(values[i]) : f(values[i]);
  }
  return `${text}]`;
}

/**
 * Compiles the formatter of rows of `type`: the text Flink's `print` connector prints for such a row, e.g.
 * `+I[1, abc, 2020-01-01T10:00]` or `-U[1, 12.30]`.
 *
 * @public
 */
export function rowTextFormatter(type: RowType): (row: Row) => string {
  const fields = type.fields.map((f) => nullable(valueText(f.type)));
  return (row) => fieldsText(rowKindShortString(row.kind), row.fields, fields);
}
