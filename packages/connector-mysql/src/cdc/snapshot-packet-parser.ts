// The snapshot's row parser over mysql2's row packets: one function per table, generated over its column types, that
// reads a text-protocol row straight from the packet's bytes into Runnel values. mysql2's own parser makes a string
// for every DECIMAL and DATETIME value (and a number for BIGINT that then becomes a BigInt); the snapshot converter
// then parses those strings again. Reading the bytes once saves the strings and the second pass: of about 1 us of
// CPU a row in the snapshot job, mysql2's field parsing and the conversion were more than half (profile,
// 2026-12-03). Values are those of the mysql2 path with the converters (test/cdc/snapshot-packet-parser.test.ts
// checks each kind of column against it on a real server, also at the bounds and for NULL).
//
// It is used only where it is exact: every column of a supported kind, and the server's column definitions for the
// chunk query (types, character sets, names) as expected; otherwise the chunk takes mysql2's parser and the
// converter, as before. It is installed through mysql2's `Query#_rowParser` (what its text protocol calls
// `next(packet)` on for each row): an internal of the pinned mysql2, so the installation checks what it relies on
// and falls back when it is missing. The generated text holds only column positions and integer scales.
import type { CdcColumn, ValueConverter } from './cdc-column.js';
import { converterFor, dateTimeBytesMs, isBooleanTinyint, isTextType, isUnsigned, smallUnscaledDecimal } from './cdc-column.js';

/** What the parser reads of a mysql2 row packet. @internal */
export interface RowPacket {
  readonly buffer: Buffer;
  readonly offset: number;
}

/** A column definition as mysql2 reads it from the server (the parts checked here). @internal */
export interface ServerField {
  readonly name: string;
  readonly columnType: number;
  readonly characterSet: number;
  readonly encoding?: string;
}

/** A table's packet parser. @internal */
export interface SnapshotPacketParser {
  /** Whether the server's column definitions of a chunk query are the ones this parser reads. */
  accepts(fields: readonly ServerField[]): boolean;
  /** The row's Runnel values (a new array); throws on a value it cannot read. */
  parse(packet: RowPacket): unknown[];
}

// mysql2's type codes (protocol column types).
const T = { DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, TIMESTAMP: 7, LONGLONG: 8, INT24: 9, DATE: 10, TIME: 11, DATETIME: 12, NEWDATE: 14, VARCHAR: 15, NEWDECIMAL: 246, ENUM: 247, SET: 248, TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251, BLOB: 252, VAR_STRING: 253, STRING: 254 } as const;
const BINARY_CHARSET = 63;
const TEXT_FIELD_TYPES = [T.VARCHAR, T.VAR_STRING, T.STRING, T.BLOB, T.TINY_BLOB, T.MEDIUM_BLOB, T.LONG_BLOB, T.ENUM, T.SET];

/** How a column is read from the bytes, and the server types it may arrive as. */
interface ColumnKind {
  readonly types: readonly number[];
  readonly text?: boolean;
  /** The statement reading the value in `b[p, e)` into `r[i]`. */
  code(i: number): string;
}

/** Reads an optionally signed run of ASCII digits into `n` and `neg`; `i === e` afterwards when all were digits. */
const DIGITS = 'i = p; neg = false; if (b[i] === 45) { neg = true; i++; } n = 0; for (; i < e; i++) { d = b[i] - 48; if (d < 0 || d > 9) break; n = n * 10 + d; }';

function kindOf(c: CdcColumn): ColumnKind | undefined {
  const ints = [T.TINY, T.SHORT, T.INT24, T.LONG];
  // The text of a value the fast forms do not cover goes to the column's converter (`c<i>`), as mysql2's would.
  const text = (i: number): string => `c${i}(latin1(b, p, e))`;
  switch (c.dataType) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer': {
      const bool = c.dataType === 'tinyint' && isBooleanTinyint(c);
      const big = (c.dataType === 'int' || c.dataType === 'integer') && isUnsigned(c);
      const value = bool ? 'n !== 0' : big ? 'BigInt(n)' : 'neg ? -n : n';
      return { types: ints, code: (i) => `${DIGITS} r[${i}] = i === e && i > p ? ${value} : ${text(i)};` };
    }
    case 'bigint':
      // Up to 15 digits the number is exact; longer values go through the text (mysql2 gives a string there too).
      return { types: [T.LONGLONG], code: (i) => `if (e - p <= 15) { ${DIGITS} r[${i}] = i === e && i > p ? BigInt(neg ? -n : n) : ${text(i)}; } else r[${i}] = ${text(i)};` };
    case 'decimal':
    case 'numeric': {
      if (c.precision === undefined || c.precision > 15) return { types: [T.DECIMAL, T.NEWDECIMAL], code: (i) => `r[${i}] = ${text(i)};` };
      const scale = c.scale ?? 0;
      // smallUnscaledDecimal on the bytes: exactly `scale` fraction digits, at most 15 digits in all.
      return {
        types: [T.DECIMAL, T.NEWDECIMAL],
        code: (i) =>
          `i = p; neg = false; if (b[i] === 45) { neg = true; i++; } n = 0; dot = -1; digits = 0;` +
          ` for (; i < e; i++) { d = b[i]; if (d >= 48 && d <= 57) { n = n * 10 + (d - 48); digits++; } else if (d === 46 && dot < 0) dot = i; else break; }` +
          ` r[${i}] = i === e && digits > 0 && digits <= 15 && (dot < 0 ? 0 : e - dot - 1) === ${scale} ? BigInt(neg ? -n : n) : smallDecimal(latin1(b, p, e), ${scale});`,
      };
    }
    case 'datetime':
    case 'timestamp':
      return { types: [T.DATETIME, T.TIMESTAMP], code: (i) => `r[${i}] = dateTimeBytes(b, p, e);` };
    case 'date':
      return { types: [T.DATE, T.NEWDATE], code: (i) => `r[${i}] = ${text(i)};` };
    case 'time':
      return { types: [T.TIME], code: (i) => `r[${i}] = ${text(i)};` };
    default:
      if (isTextType(c.dataType)) return { types: TEXT_FIELD_TYPES, text: true, code: (i) => `r[${i}] = utf8(b, p, e);` };
      return undefined;
  }
}

type SliceFn = (b: Buffer, start: number, end: number) => string;
type FastSlices = Buffer & { utf8Slice?: (start: number, end: number) => string; latin1Slice?: (start: number, end: number) => string };
// Node's direct slice methods skip toString's argument handling (mysql2 uses them the same way); toString elsewhere.
const proto = Buffer.prototype as FastSlices;
const utf8Slice: SliceFn = typeof proto.utf8Slice === 'function' ? (b, s, e) => (b as FastSlices).utf8Slice!(s, e) : (b, s, e) => b.toString('utf8', s, e);

/** Text values up to this many bytes that are ASCII are made without the native slice (see `utf8`). */
const SHORT_TEXT = 24;

/**
 * A UTF-8 value's string. Short ASCII values (most keys, codes, names) are made with `String.fromCharCode` of their
 * bytes, inside V8: about a third of the native slice's fixed cost, which dominates for short values (26 vs 80 ns for
 * 10 bytes on the 2-core machine). One case per length, generated once from the constant above.
 */
const utf8: SliceFn = (() => {
  const cases: string[] = [];
  for (let n = 1; n <= SHORT_TEXT; n++) {
    const args = Array.from({ length: n }, (_, k) => `b[s + ${k}]`);
    cases.push(`case ${n}: return String.fromCharCode(${args.join(', ')});`);
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the constant above only
  const short = new Function('b', 's', 'e', `switch (e - s) { ${cases.join(' ')} default: return ''; }`) as SliceFn;
  return (b, s, e) => {
    if (e - s > SHORT_TEXT || e <= s) return e <= s ? '' : utf8Slice(b, s, e);
    let bits = 0;
    for (let i = s; i < e; i++) bits |= b[i]!;
    return bits < 128 ? short(b, s, e) : utf8Slice(b, s, e);
  };
})();
const latin1: SliceFn = typeof proto.latin1Slice === 'function' ? (b, s, e) => (b as FastSlices).latin1Slice!(s, e) : (b, s, e) => b.toString('latin1', s, e);

/** The length of a length-encoded value whose first byte `t` is 252, 253 or 254, read at `p` (after `t`). */
function extendedLength(b: Buffer, p: number, t: number): number {
  if (t === 252) return b[p]! | (b[p + 1]! << 8);
  if (t === 253) return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16);
  if (t === 254) return b.readUInt32LE(p) + b.readUInt32LE(p + 4) * 2 ** 32;
  throw new Error(`malformed row packet (length byte ${t})`);
}

/**
 * Generates the packet parser of a table's snapshot rows (columns in table order, as the chunk query selects them),
 * or undefined when a column is of a kind it does not read (the chunk then takes mysql2's parser and the converter).
 *
 * @internal
 */
export function snapshotPacketParser(columns: readonly CdcColumn[], where: string): SnapshotPacketParser | undefined {
  const kinds: ColumnKind[] = [];
  for (const c of columns) {
    const k = kindOf(c);
    if (k === undefined) return undefined;
    if (c.scale !== undefined && !Number.isSafeInteger(c.scale)) return undefined;
    kinds.push(k);
  }
  const converters: ValueConverter[] = columns.map((c) => converterFor(c, where));
  const body = [
    'return function parseSnapshotRow(packet) {',
    'const b = packet.buffer; let p = packet.offset; let t, e, i, n, d, neg, dot, digits;',
    `const r = new Array(${columns.length});`,
  ];
  kinds.forEach((k, i) => {
    body.push(
      't = b[p++];',
      `if (t === 251) r[${i}] = null; else {`,
      // 252-254: the length follows in 2, 3 or 8 bytes.
      `if (t > 251) { const len = extendedLength(b, p, t); p += t === 252 ? 2 : t === 253 ? 3 : 8; t = len; }`,
      'e = p + t;',
      k.code(i),
      'p = e; }',
    );
  });
  body.push('return r;', '};');
  const params = converters.map((_, i) => `c${i}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from column types only (see the header)
  const make = new Function(...params, 'extendedLength', 'utf8', 'latin1', 'smallDecimal', 'dateTimeBytes', body.join('\n')) as (...args: unknown[]) => (p: RowPacket) => unknown[];
  const parse = make(...converters, extendedLength, utf8, latin1, smallUnscaledDecimal, dateTimeBytesMs);
  const names = columns.map((c) => c.name.toLowerCase());
  return {
    parse,
    accepts(fields) {
      if (fields.length !== kinds.length) return false;
      for (let i = 0; i < kinds.length; i++) {
        const f = fields[i]!;
        const k = kinds[i]!;
        if (typeof f.name !== 'string' || f.name.toLowerCase() !== names[i]) return false;
        if (!k.types.includes(f.columnType)) return false;
        if (k.text === true && (f.characterSet === BINARY_CHARSET || f.encoding !== 'utf8')) return false;
      }
      return true;
    },
  };
}

/**
 * Makes a mysql2 query parse its rows with `parser` in each result set whose column definitions are the expected
 * ones. `onResultSet` is called before each result set's rows with whether they are the parser's (already
 * converted) or mysql2's. A value the parser cannot read goes to `onError` and the row is null: an exception inside
 * mysql2's row handling would end the command in the middle of the result set.
 *
 * @internal
 */
export function installPacketParser(query: object, parser: SnapshotPacketParser, onResultSet: (parsed: boolean) => void, onError: (e: unknown) => void): void {
  const q = query as { _rowParser?: unknown; _fields?: unknown; _resultIndex?: unknown };
  // What it relies on: a query object with these fields (mysql2 3.x). Anything else: mysql2's own parser.
  if (!('_rowParser' in q) || !Array.isArray(q._fields) || typeof q._resultIndex !== 'number') return;
  let current: unknown = q._rowParser;
  const direct = {
    next(packet: RowPacket): unknown[] | null {
      try {
        return parser.parse(packet);
      } catch (e) {
        onError(e);
        return null;
      }
    },
  };
  Object.defineProperty(q, '_rowParser', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(this: typeof q, v: unknown) {
      const fields = (this._fields as unknown[])[this._resultIndex as number];
      const parsed = Array.isArray(fields) && parser.accepts(fields as ServerField[]);
      current = parsed ? direct : v;
      onResultSet(parsed);
    },
  });
}
