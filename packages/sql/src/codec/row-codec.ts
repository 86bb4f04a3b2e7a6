// Row codec: how SQL rows cross threads. The planner knows every operator's row type, so instead of the runtime's
// self-describing generic encoding (a tag per value, a per-batch shape table for the `{kind, fields}` object, bigints
// through hex text) rows are written in a layout compiled once per row type and installed on the operator with
// `setRecordCodec`. Field values follow `@runnel/api/table`'s logical-type representation.
//
// Layout of a row (`N` fields):
//   header   byte 0: the RowKind in bits 0-1, the null bits of fields 0..5 in bits 2-7; then one byte per further
//            8 fields (bit j of byte b: field 6 + 8(b-1) + j). Every field has a null bit, whatever its declared
//            nullability: a NOT NULL column that carries NULL after all (an inference gap somewhere upstream) must
//            not turn into a wire-format failure, and up to 6 fields the bits are free.
//   fields   each non-null field in order, by its type:
//     BOOLEAN                                        one byte 0/1
//     TINYINT SMALLINT INTEGER DATE TIME             "number": varint 2·zigzag(v) for integers in ±2^50, else the
//     INTERVAL YEAR TO MONTH, MULTISET counts        varint 1 and the float64 (never happens for valid values, but
//                                                    -0, fractions or NaN survive a producer's bug exactly)
//     BIGINT DECIMAL (unscaled bigint)               "long": varint 2·zigzag(v) within ±2^50, else the varint
//                                                    4·words + 2·negative + 1 and the magnitude as LE uint32 words
//     FLOAT DOUBLE                                   float64 (fractions are the norm; 8 bytes, no branch)
//     TIMESTAMP TIMESTAMP_LTZ INTERVAL DAY TO SECOND float64, although epoch milliseconds are integers: measured
//                                                    against the "number" varint (7 bytes for them), a row of 4
//                                                    TIMESTAMPs encodes at 34-50 vs 15-18 M rows/s and decodes at
//                                                    30 vs 10 M rows/s, for 4 bytes more (33 vs 29 bytes); the bid
//                                                    row of the test's benchmark is ~5-10% faster both ways
//     CHAR VARCHAR                                   writeString (varint byte length + UTF-8)
//     BINARY VARBINARY                               writeBytes (varint length + bytes)
//     ARRAY<T>                                       varint count, then per 8 elements a null byte and the non-null
//                                                    elements by T
//     MAP<K, V>, MULTISET<T> (Map T -> count)        varint count, the null bits of key and value of each entry (4
//                                                    entries per byte), then the non-null keys and values
//     ROW<...> (an array of the fields)              the null bits (8 per byte), then the non-null fields
//     NULL                                           nothing (always null)
//   Nested types are encoded by their element types (closures built once), not with the generic fallback: a
//   nested value costs the same as a top-level one. A root this module does not know uses writeValue/readValue.
//
// The top level is generated with `new Function` (one straight-line encoder and decoder per row type: no loop over
// field descriptors, a constant-shape row literal, monomorphic calls on the writer); where code generation is not
// available (`--disallow-code-generation-from-strings`) or the row is very wide, closures over per-field codecs do
// the same work and write the same bytes. Values are checked against their type while writing (a typeof per field):
// a wrong value fails the task with the column and type named, instead of being written in a layout the reader
// would misread. `undefined` is written as NULL (and reads back as null).

import { formatLogicalType, type LogicalType, type Row } from '@runnel/api/table';
import type { CodecReader, CodecWriter, RecordCodec } from '@runnel/runtime';

/**
 * A field of the row type a {@link rowCodec} is compiled for (a plan node's output field).
 *
 * @internal
 */
export interface RowCodecField {
  readonly name: string;
  readonly type: LogicalType;
}

/** @internal */
export interface RowCodecOptions {
  /** False: never generate code (the closure path; for tests and measurements). Default true. */
  readonly codegen?: boolean;
}

// Integers up to this magnitude are written inline: 4·|v| stays below 2^53, the varint limit of the writer.
const MAX_INLINE = 2 ** 50;
// "number" header for a value written as a float64.
const FLOAT_FOLLOWS = 1;
// Fields in the header byte, next to the kind.
const HEADER_FIELDS = 6;
// Wider rows use the closure path: a generated function of thousands of statements gains nothing and V8 may not
// optimise it at all.
const MAX_GENERATED_FIELDS = 512;
// Compiled codecs per thread, by row type (names included, they appear in errors).
const MAX_CACHED = 512;

function corrupt(message: string): RangeError {
  return new RangeError(`Cannot decode a row: ${message}`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'bigint') return `bigint ${v}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (typeof v === 'object' && v !== null) return `${Array.isArray(v) ? 'array' : ((v.constructor as { name?: string } | undefined)?.name ?? 'object')}`;
  return typeof v;
}

// ---- scalar encodings (exported for tests; the generated code calls them, V8 inlines them) ----

/**
 * Writes a number: integers in ±2^50 (except -0) as the varint 2·zigzag(v), anything else as the varint
 * {@link FLOAT_FOLLOWS} and a float64. The low bit of the varint tells the two apart.
 *
 * @internal
 */
export function writeNumber(w: CodecWriter, v: number): void {
  const i = v | 0;
  if (i === v && (i !== 0 || 1 / v > 0)) {
    w.writeVarUint((((i << 1) ^ (i >> 31)) >>> 0) * 2);
  } else if (v !== 0 && Number.isInteger(v) && v <= MAX_INLINE && v >= -MAX_INLINE) {
    // Beyond int32 (bit operators do not apply): 2·zigzag(v) in float arithmetic, exact below 2^53.
    w.writeVarUint(v >= 0 ? v * 4 : -v * 4 - 2);
  } else {
    w.writeVarUint(FLOAT_FOLLOWS);
    w.writeFloat64(v);
  }
}

/** Reads what {@link writeNumber} wrote. @internal */
export function readNumber(r: CodecReader): number {
  const h = r.readVarUint();
  // `h & 1` is exact for any safe integer: ToInt32 keeps the low 32 bits.
  if ((h & 1) === 0) {
    if (h <= 0xffffffff) {
      const z = h >>> 1;
      return (z >>> 1) ^ -(z & 1);
    }
    const z = h / 2;
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  if (h !== FLOAT_FOLLOWS) throw corrupt(`number header ${h}`);
  return r.readFloat64();
}

/**
 * Writes a bigint: within ±2^50 (nearly every BIGINT and DECIMAL value) as the varint 2·zigzag(v), as numbers are;
 * beyond, the varint 4·words + 2·negative + 1 and the magnitude as little-endian uint32 words. The generic codec
 * writes every bigint through its hex text, which is what makes BIGINT columns slow there.
 *
 * @internal
 */
export function writeLong(w: CodecWriter, v: bigint): void {
  // Exact test: Number() of a bigint beyond 2^53 rounds to a number beyond 2^53 as well.
  const n = Number(v);
  if (n <= MAX_INLINE && n >= -MAX_INLINE) w.writeVarUint(n >= 0 ? n * 4 : -n * 4 - 2);
  else writeWideLong(w, v);
}

function writeWideLong(w: CodecWriter, v: bigint): void {
  const negative = v < 0n;
  let m = negative ? -v : v;
  const words: number[] = [];
  while (m > 0n) {
    words.push(Number(m & 0xffffffffn));
    m >>= 32n;
  }
  w.writeVarUint(words.length * 4 + (negative ? 2 : 0) + 1);
  for (let i = 0; i < words.length; i++) w.writeUint32(words[i]!);
}

/** Reads what {@link writeLong} wrote. @internal */
export function readLong(r: CodecReader): bigint {
  const h = r.readVarUint();
  if ((h & 1) === 0) {
    if (h <= 0xffffffff) {
      const z = h >>> 1;
      return BigInt((z >>> 1) ^ -(z & 1));
    }
    const z = h / 2;
    return BigInt(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
  }
  return readWideLong(r, h);
}

function readWideLong(r: CodecReader, h: number): bigint {
  const words = Math.floor(h / 4);
  if (words === 0) throw corrupt(`bigint header ${h}`);
  // Word by word: a corrupt count fails at the end of the input instead of allocating for it.
  let m = 0n;
  for (let i = 0; i < words; i++) m |= BigInt(r.readUint32()) << BigInt(32 * i);
  return (h & 2) !== 0 ? -m : m;
}

// ---- per-type value codecs ----

/** How values of one type are checked, written and read; `gen` when the generated top level can inline it. */
interface ValueCodec {
  /** True for a (non-null) value of the type. */
  readonly test: (v: unknown) => boolean;
  /** Writes a non-null value that passed `test`. */
  readonly write: (w: CodecWriter, v: any) => void;
  readonly read: (r: CodecReader) => unknown;
  /** What `test` expects, for errors. */
  readonly expected: string;
  readonly gen?: { test(x: string): string; write(x: string): string; read: string };
}

const isNumber = (v: unknown): boolean => typeof v === 'number';

const BOOLEAN: ValueCodec = {
  test: (v) => typeof v === 'boolean',
  write: (w, v: boolean) => w.writeUint8(v ? 1 : 0),
  read: (r) => r.readUint8() !== 0,
  expected: 'a boolean',
  gen: { test: (x) => `typeof ${x} === 'boolean'`, write: (x) => `w.writeUint8(${x} ? 1 : 0);`, read: 'r.readUint8() !== 0' },
};

const NUMBER: ValueCodec = {
  test: isNumber,
  write: writeNumber,
  read: readNumber,
  expected: 'a number',
  gen: { test: (x) => `typeof ${x} === 'number'`, write: (x) => `writeNumber(w, ${x});`, read: 'readNumber(r)' },
};

const FLOAT64: ValueCodec = {
  test: isNumber,
  write: (w, v: number) => w.writeFloat64(v),
  read: (r) => r.readFloat64(),
  expected: 'a number',
  gen: { test: (x) => `typeof ${x} === 'number'`, write: (x) => `w.writeFloat64(${x});`, read: 'r.readFloat64()' },
};

const LONG: ValueCodec = {
  test: (v) => typeof v === 'bigint',
  write: writeLong,
  read: readLong,
  expected: 'a bigint',
  gen: { test: (x) => `typeof ${x} === 'bigint'`, write: (x) => `writeLong(w, ${x});`, read: 'readLong(r)' },
};

const STRING: ValueCodec = {
  test: (v) => typeof v === 'string',
  write: (w, v: string) => w.writeString(v),
  read: (r) => r.readString(),
  expected: 'a string',
  gen: { test: (x) => `typeof ${x} === 'string'`, write: (x) => `w.writeString(${x});`, read: 'r.readString()' },
};

const BYTES: ValueCodec = {
  test: (v) => v instanceof Uint8Array,
  write: (w, v: Uint8Array) => w.writeBytes(v),
  read: (r) => r.readBytes(),
  expected: 'a Uint8Array',
  gen: { test: (x) => `${x} instanceof Uint8Array`, write: (x) => `w.writeBytes(${x});`, read: 'r.readBytes()' },
};

const ALWAYS_NULL: ValueCodec = {
  test: () => false,
  write: () => {},
  read: () => {
    throw corrupt('a value of type NULL');
  },
  expected: 'null (type NULL)',
};

const GENERIC: ValueCodec = {
  test: () => true,
  write: (w, v: unknown) => w.writeValue(v),
  read: (r) => r.readValue(),
  expected: 'a plain value',
};

/** `where`: the position of values of this type in the row, for error messages. */
function valueCodec(t: LogicalType, where: string): ValueCodec {
  switch (t.root) {
    case 'BOOLEAN':
      return BOOLEAN;
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'INTERVAL_YEAR_MONTH':
      return NUMBER;
    case 'BIGINT':
    case 'DECIMAL':
      return LONG;
    case 'FLOAT':
    case 'DOUBLE':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'INTERVAL_DAY_TIME':
      return FLOAT64;
    case 'CHAR':
    case 'VARCHAR':
      return STRING;
    case 'BINARY':
    case 'VARBINARY':
      return BYTES;
    case 'ARRAY':
      return arrayCodec(valueCodec(t.element!, `${where}, an element`), `${where}, an element`);
    case 'MAP':
      return mapCodec(valueCodec(t.key!, `${where}, a key`), valueCodec(t.element!, `${where}, a value`), `${where}, a `);
    case 'MULTISET':
      return mapCodec(valueCodec(t.element!, `${where}, an element`), NUMBER, `${where}, a `);
    case 'ROW':
      return nestedRowCodec(
        (t.fields ?? []).map((f) => valueCodec(f.type, `${where}, field '${f.name}'`)),
        (t.fields ?? []).map((f) => `${where}, field '${f.name}' (${formatLogicalType(f.type)})`),
      );
    case 'NULL':
      return ALWAYS_NULL;
    default:
      // A root added to the type system later: correct, if not compact.
      return GENERIC;
  }
}

function badValue(where: string, expected: string, v: unknown): TypeError {
  return new TypeError(`Cannot encode ${where}: expected ${expected}, got ${describe(v)}`);
}

function arrayCodec(el: ValueCodec, where: string): ValueCodec {
  return {
    test: Array.isArray,
    expected: 'an array',
    write(w, a: readonly unknown[]) {
      const n = a.length;
      w.writeVarUint(n);
      for (let s = 0; s < n; s += 8) {
        const e = s + 8 < n ? s + 8 : n;
        let bits = 0;
        for (let i = s; i < e; i++) if (a[i] == null) bits |= 1 << (i - s);
        w.writeUint8(bits);
        for (let i = s; i < e; i++) {
          const x = a[i];
          if (x == null) continue;
          if (!el.test(x)) throw badValue(where, el.expected, x);
          el.write(w, x);
        }
      }
    },
    read(r) {
      const n = r.readVarUint();
      const out: unknown[] = [];
      for (let s = 0; s < n; s += 8) {
        const e = s + 8 < n ? s + 8 : n;
        const bits = r.readUint8();
        for (let i = s; i < e; i++) out.push((bits >> (i - s)) & 1 ? null : el.read(r));
      }
      return out;
    },
  };
}

function mapCodec(key: ValueCodec, value: ValueCodec, where: string): ValueCodec {
  return {
    test: (v) => v instanceof Map,
    expected: 'a Map',
    write(w, m: Map<unknown, unknown>) {
      w.writeVarUint(m.size);
      // Two passes: the null bits of 4 entries per byte, then the entries.
      let bits = 0;
      let j = 0;
      for (const [k, v] of m) {
        if (k == null) bits |= 1 << (2 * j);
        if (v == null) bits |= 2 << (2 * j);
        if (++j === 4) {
          w.writeUint8(bits);
          bits = 0;
          j = 0;
        }
      }
      if (j > 0) w.writeUint8(bits);
      for (const [k, v] of m) {
        if (k != null) {
          if (!key.test(k)) throw badValue(`${where}key`, key.expected, k);
          key.write(w, k);
        }
        if (v != null) {
          if (!value.test(v)) throw badValue(`${where}value`, value.expected, v);
          value.write(w, v);
        }
      }
    },
    read(r) {
      const n = r.readVarUint();
      // Byte by byte: a corrupt count fails at the end of the input instead of allocating for it.
      const bits: number[] = [];
      for (let i = 0; i < n; i += 4) bits.push(r.readUint8());
      const out = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const b = bits[i >> 2]! >> (2 * (i & 3));
        const k = b & 1 ? null : key.read(r);
        out.set(k, b & 2 ? null : value.read(r));
      }
      return out;
    },
  };
}

/** A ROW value nested in a row (an array of its fields): null bits, 8 per byte, then the fields. */
function nestedRowCodec(fields: readonly ValueCodec[], wheres: readonly string[]): ValueCodec {
  const n = fields.length;
  return {
    test: Array.isArray,
    expected: `an array of ${n} fields`,
    write(w, a: readonly unknown[]) {
      if (a.length !== n) throw new TypeError(`Cannot encode a ROW of ${n} fields from an array of ${a.length} (${wheres[0] ?? 'empty ROW'})`);
      for (let s = 0; s < n; s += 8) {
        const e = s + 8 < n ? s + 8 : n;
        let bits = 0;
        for (let i = s; i < e; i++) if (a[i] == null) bits |= 1 << (i - s);
        w.writeUint8(bits);
      }
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (x == null) continue;
        const c = fields[i]!;
        if (!c.test(x)) throw badValue(wheres[i]!, c.expected, x);
        c.write(w, x);
      }
    },
    read(r) {
      let bits = 0;
      const nulls: boolean[] = [];
      for (let i = 0; i < n; i++) {
        if ((i & 7) === 0) bits = r.readUint8();
        nulls.push(((bits >> (i & 7)) & 1) === 1);
      }
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(nulls[i] ? null : fields[i]!.read(r));
      return out;
    },
  };
}

// ---- the top level ----

/** The codec's constituents, shared by the generated and the closure path. */
interface Parts {
  readonly n: number;
  readonly codecs: readonly ValueCodec[];
  /** Throws for field `i` holding `v`. */
  readonly bad: (i: number, v: unknown) => never;
  /** Throws for a row that is not a row of this type (kind or arity). */
  readonly badRow: (row: Row) => never;
}

function headerBytes(n: number): number {
  return 1 + Math.ceil(Math.max(0, n - HEADER_FIELDS) / 8);
}

/** Byte and bit of field i's null bit in the header. */
function nullBit(i: number): { byte: number; bit: number } {
  return i < HEADER_FIELDS ? { byte: 0, bit: 1 << (i + 2) } : { byte: 1 + ((i - HEADER_FIELDS) >> 3), bit: 1 << ((i - HEADER_FIELDS) & 7) };
}

function closureCodec(p: Parts): RecordCodec<Row> {
  const { n, codecs, bad, badRow } = p;
  const nh = headerBytes(n);
  const bits = Array.from({ length: n }, (_, i) => nullBit(i));
  const header = new Uint8Array(nh);
  return {
    write(w, row) {
      const f = row.fields;
      const kind = row.kind;
      if (f.length !== n || (kind & 3) !== kind) badRow(row);
      header.fill(0);
      header[0] = kind;
      for (let i = 0; i < n; i++) if (f[i] == null) header[bits[i]!.byte]! |= bits[i]!.bit;
      for (let b = 0; b < nh; b++) w.writeUint8(header[b]!);
      for (let i = 0; i < n; i++) {
        const v = f[i];
        if (v == null) continue;
        const c = codecs[i]!;
        if (!c.test(v)) bad(i, v);
        c.write(w, v);
      }
    },
    read(r) {
      for (let b = 0; b < nh; b++) header[b] = r.readUint8();
      const fields: unknown[] = [];
      for (let i = 0; i < n; i++) fields.push((header[bits[i]!.byte]! & bits[i]!.bit) !== 0 ? null : codecs[i]!.read(r));
      return { kind: (header[0]! & 3) as Row['kind'], fields };
    },
  };
}

/**
 * The generated codec: straight-line code per field. Field values are held in locals `v0..`, header bytes in
 * `h0..`; values of types without an inline form go through their closure codec `c<i>`.
 */
function generatedSource(p: Parts): string {
  const { n, codecs } = p;
  const nh = headerBytes(n);
  let setup = '';
  let write = `const f = row.fields;\nconst kind = row.kind;\nif (f.length !== ${n} || (kind & 3) !== kind) badRow(row);\n`;
  let read = '';
  for (let i = 0; i < n; i++) write += `const v${i} = f[${i}];\n`;
  for (let b = 0; b < nh; b++) write += `let h${b} = ${b === 0 ? 'kind' : '0'};\n`;
  for (let i = 0; i < n; i++) {
    const { byte, bit } = nullBit(i);
    write += `if (v${i} == null) h${byte} |= ${bit};\n`;
  }
  for (let b = 0; b < nh; b++) write += `w.writeUint8(h${b});\n`;
  for (let b = 0; b < nh; b++) read += `const h${b} = r.readUint8();\n`;
  for (let i = 0; i < n; i++) {
    const c = codecs[i]!;
    const { byte, bit } = nullBit(i);
    const v = `v${i}`;
    if (c === ALWAYS_NULL) {
      write += `if (${v} != null) bad(${i}, ${v});\n`;
      read += `if ((h${byte} & ${bit}) === 0) c${i}.read(r);\nconst ${v} = null;\n`;
      setup += `const c${i} = C[${i}];\n`;
    } else if (c.gen !== undefined) {
      write += `if (${v} != null) {\n  if (!(${c.gen.test(v)})) bad(${i}, ${v});\n  ${c.gen.write(v)}\n}\n`;
      read += `const ${v} = (h${byte} & ${bit}) !== 0 ? null : ${c.gen.read};\n`;
    } else {
      setup += `const c${i} = C[${i}];\n`;
      write += `if (${v} != null) {\n  if (!c${i}.test(${v})) bad(${i}, ${v});\n  c${i}.write(w, ${v});\n}\n`;
      read += `const ${v} = (h${byte} & ${bit}) !== 0 ? null : c${i}.read(r);\n`;
    }
  }
  const values = Array.from({ length: n }, (_, i) => `v${i}`).join(', ');
  read += `return { kind: h0 & 3, fields: [${values}] };\n`;
  return `${setup}return {\nwrite(w, row) {\n${write}},\nread(r) {\n${read}},\n};`;
}

let codegenAvailable = true;

function generatedCodec(p: Parts): RecordCodec<Row> | undefined {
  if (!codegenAvailable || p.n > MAX_GENERATED_FIELDS) return undefined;
  let factory: (...args: unknown[]) => RecordCodec<Row>;
  try {
    factory = new Function('writeNumber', 'readNumber', 'writeLong', 'readLong', 'bad', 'badRow', 'C', generatedSource(p)) as typeof factory;
  } catch {
    // Code generation disallowed (or an engine limit): closures from now on.
    codegenAvailable = false;
    return undefined;
  }
  return factory(writeNumber, readNumber, writeLong, readLong, p.bad, p.badRow, p.codecs);
}

const cache = new Map<string, RecordCodec<Row>>();

/**
 * The network codec of SQL rows of one row type (pass it to `setRecordCodec` of the operator producing them): the
 * layout described at the top of this module, compiled once per row type and cached per thread. `fields` are the
 * row type's fields in order; names only appear in error messages.
 *
 * `write` throws a TypeError for a row that does not match the type (kind not 0..3, another number of fields, a
 * value of another representation than its type's) naming the column; `read` throws a RangeError for malformed
 * input.
 *
 * @internal
 */
export function rowCodec(fields: readonly RowCodecField[], options: RowCodecOptions = {}): RecordCodec<Row> {
  const codegen = options.codegen !== false;
  const key = `${codegen ? 'g' : 'c'}${JSON.stringify(fields.map((f) => [f.name, f.type]))}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const wheres = fields.map((f) => `column '${f.name}' (${formatLogicalType(f.type)})`);
  const codecs = fields.map((f, i) => valueCodec(f.type, wheres[i]!));
  const n = fields.length;
  const parts: Parts = {
    n,
    codecs,
    bad: (i, v) => {
      throw badValue(wheres[i]!, codecs[i]!.expected, v);
    },
    badRow: (row) => {
      const f = row.fields as unknown;
      if (!Array.isArray(f)) throw new TypeError(`Cannot encode a row without a fields array (got ${describe(row)})`);
      if (f.length !== n) throw new TypeError(`Cannot encode a row of ${f.length} fields with the codec of a row type of ${n} fields (${wheres.join(', ')})`);
      throw new TypeError(`Cannot encode a row of kind ${String(row.kind)}: expected a RowKind (0..3)`);
    },
  };
  const codec = (codegen ? generatedCodec(parts) : undefined) ?? closureCodec(parts);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, codec);
  return codec;
}
