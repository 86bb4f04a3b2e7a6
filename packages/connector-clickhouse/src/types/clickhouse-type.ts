// ClickHouse column types as the server reports them (`system.columns.type`): parsed into a small tree so that the
// sink can check values against the real target column (range of Int8..UInt64, precision and scale of Decimal, time
// zone of DateTime, precision of DateTime64, Nullable, LowCardinality, Array, Map, FixedString, Enum).

/**
 * A parsed ClickHouse type.
 *
 * @public
 */
export interface ClickHouseType {
  /** The outer name: `Int32`, `Decimal`, `DateTime64`, `Nullable`, `Array`, `Map`, ... (`Decimal32(S)` becomes `Decimal`). */
  readonly name: string;
  /** The type's arguments: nested types of Nullable/LowCardinality/Array/Map/Tuple. */
  readonly args: readonly ClickHouseType[];
  /** Decimal precision, DateTime64 precision, FixedString length. */
  readonly precision?: number;
  /** Decimal scale. */
  readonly scale?: number;
  /** DateTime/DateTime64 time zone, when given. */
  readonly timeZone?: string;
  /** Enum names. */
  readonly enumValues?: ReadonlyMap<string, number>;
  /** The type as written by the server. */
  readonly text: string;
}

/** Splits `a, b(c, d), 'e'` at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === "'") quote = false;
      continue;
    }
    if (c === "'") quote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last !== '') out.push(last);
  return out;
}

const unquote = (s: string): string => s.trim().replace(/^'(.*)'$/s, '$1').replace(/\\(.)/g, '$1');

/**
 * Parses a type as ClickHouse prints it.
 *
 * @public
 */
export function parseClickHouseType(text: string): ClickHouseType {
  const t = text.trim();
  const open = t.indexOf('(');
  if (open < 0) return { name: t, args: [], text: t };
  const name = t.slice(0, open).trim();
  const inner = t.slice(open + 1, t.lastIndexOf(')'));
  const parts = splitArgs(inner);
  switch (name) {
    case 'Nullable':
    case 'LowCardinality':
    case 'Array':
    case 'Map':
    case 'Tuple':
      return { name, args: parts.map((p) => parseClickHouseType(p.replace(/^[A-Za-z_][\w]*\s+(?=[A-Z])/, ''))), text: t };
    case 'Decimal':
      return { name: 'Decimal', args: [], precision: Number(parts[0]), scale: Number(parts[1] ?? 0), text: t };
    case 'Decimal32':
      return { name: 'Decimal', args: [], precision: 9, scale: Number(parts[0]), text: t };
    case 'Decimal64':
      return { name: 'Decimal', args: [], precision: 18, scale: Number(parts[0]), text: t };
    case 'Decimal128':
      return { name: 'Decimal', args: [], precision: 38, scale: Number(parts[0]), text: t };
    case 'Decimal256':
      return { name: 'Decimal', args: [], precision: 76, scale: Number(parts[0]), text: t };
    case 'DateTime':
      return { name, args: [], timeZone: parts[0] === undefined ? undefined : unquote(parts[0]), text: t };
    case 'DateTime64':
      return { name, args: [], precision: Number(parts[0]), timeZone: parts[1] === undefined ? undefined : unquote(parts[1]), text: t };
    case 'FixedString':
      return { name, args: [], precision: Number(parts[0]), text: t };
    case 'Enum8':
    case 'Enum16': {
      const values = new Map<string, number>();
      for (const p of parts) {
        const m = /^'((?:[^'\\]|\\.)*)'\s*=\s*(-?\d+)$/s.exec(p);
        if (m) values.set(m[1]!.replace(/\\(.)/g, '$1'), Number(m[2]));
      }
      return { name, args: [], enumValues: values, text: t };
    }
    default:
      return { name, args: [], text: t };
  }
}
