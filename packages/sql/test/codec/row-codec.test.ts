// The SQL row codec: round trips of every logical type (NULLs, extremes, nested types) on the generated and the
// closure path, which must write the same bytes; rows that do not match the type are refused with the column
// named; malformed input is refused; and a printed (not asserted) micro benchmark against the generic codec.
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '@runnel/codec';
import { RowKind, type LogicalType, type LogicalTypeRoot, type Row } from '@runnel/api/table';
import { readLong, readNumber, rowCodec, writeLong, writeNumber, type RowCodecField } from '../../src/codec/row-codec.js';

const t = (root: LogicalTypeRoot, extra: Partial<LogicalType> = {}, nullable = true): LogicalType => ({ root, nullable, ...extra });
const f = (name: string, type: LogicalType): RowCodecField => ({ name, type });

const MODES = [
  ['generated', true],
  ['closures', false],
] as const;

/** Encodes rows with the codec, decodes them back, and checks the reader consumed exactly what was written. */
function roundTrip(fields: readonly RowCodecField[], rows: readonly Row[], codegen: boolean): { rows: Row[]; bytes: Uint8Array } {
  const codec = rowCodec(fields, { codegen });
  const w = new BinaryWriter(64);
  for (const row of rows) codec.write(w, row);
  const bytes = w.view().slice();
  const r = new BinaryReader(bytes);
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i++) out.push(codec.read(r));
  expect(r.remaining).toBe(0);
  return { rows: out, bytes };
}

/** Round trip on both paths: equal rows back, identical bytes from both. */
function checkRoundTrip(fields: readonly RowCodecField[], rows: readonly Row[], expected: readonly Row[] = rows): Uint8Array {
  const g = roundTrip(fields, rows, true);
  const c = roundTrip(fields, rows, false);
  expect(g.rows).toEqual(expected);
  expect(c.rows).toEqual(expected);
  expect(Buffer.from(c.bytes).equals(Buffer.from(g.bytes))).toBe(true);
  return g.bytes;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const DEC38 = 10n ** 38n - 1n;

describe('scalar encodings', () => {
  it('numbers: integers of every size, -0, fractions, NaN and infinities come back exactly', () => {
    const values = [0, -0, 1, -1, 63, 64, -64, -65, 127, 128, INT_MAX, INT_MIN, INT_MAX + 1, INT_MIN - 1, 2 ** 32, -(2 ** 32), 2 ** 50, -(2 ** 50),
      2 ** 50 + 1, -(2 ** 50) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 60, 0.5, -1.25, 1e-300, Math.PI, NaN, Infinity, -Infinity,
      Number.MAX_VALUE, Number.MIN_VALUE, 1_700_000_000_123];
    const w = new BinaryWriter(16);
    for (const v of values) writeNumber(w, v);
    const r = new BinaryReader(w.view());
    for (const v of values) expect(Object.is(readNumber(r), v), `${v}`).toBe(true);
    expect(r.remaining).toBe(0);
  });

  it('small integers take one byte', () => {
    for (const v of [0, 1, -1, 31, -32]) {
      const w = new BinaryWriter(16);
      writeNumber(w, v);
      expect(w.length, `${v}`).toBe(1);
      writeLong(w, BigInt(v));
      expect(w.length, `${v}n`).toBe(2);
    }
  });

  it('bigints: the inline range, its edges and beyond, BIGINT extremes and 38-digit decimals', () => {
    const values = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 32n, 2n ** 50n, -(2n ** 50n), 2n ** 50n + 1n, -(2n ** 50n) - 1n, 2n ** 53n, 2n ** 53n + 1n,
      -(2n ** 53n) - 1n, 2n ** 64n + 5n, LONG_MAX, LONG_MIN, DEC38, -DEC38, 12345n, 2n ** 200n + 3n];
    const w = new BinaryWriter(16);
    for (const v of values) writeLong(w, v);
    const r = new BinaryReader(w.view());
    for (const v of values) expect(readLong(r)).toBe(v);
    expect(r.remaining).toBe(0);
  });
});

describe('rowCodec round trips', () => {
  const scalars: RowCodecField[] = [
    f('b', t('BOOLEAN')),
    f('ti', t('TINYINT')),
    f('si', t('SMALLINT')),
    f('i', t('INTEGER')),
    f('l', t('BIGINT')),
    f('fl', t('FLOAT')),
    f('d', t('DOUBLE')),
    f('dec', t('DECIMAL', { precision: 38, scale: 10 })),
    f('c', t('CHAR', { precision: 3 })),
    f('vc', t('VARCHAR', { precision: 2147483647 })),
    f('bin', t('BINARY', { precision: 4 })),
    f('vb', t('VARBINARY', { precision: 2147483647 })),
    f('date', t('DATE')),
    f('time', t('TIME', { precision: 3 })),
    f('ts', t('TIMESTAMP', { precision: 3 })),
    f('ltz', t('TIMESTAMP_LTZ', { precision: 3 })),
    f('iym', t('INTERVAL_YEAR_MONTH')),
    f('ids', t('INTERVAL_DAY_TIME')),
    f('n', t('NULL')),
  ];
  const full = (kind: RowKind, k: number): Row => ({
    kind,
    fields: [
      k % 2 === 0,
      -128 + k,
      32767 - k,
      k % 3 === 0 ? INT_MIN : INT_MAX - k,
      [LONG_MIN, LONG_MAX, 0n, -1n, 1_000_000_007n * BigInt(k)][k % 5],
      Math.fround(1.5 + k),
      k % 4 === 0 ? -0 : k / 7,
      k % 2 === 0 ? DEC38 : -DEC38 + BigInt(k),
      'abc',
      ['', 'plain ascii', 'ünïcødé ✓ 𝄞', 'x'.repeat(70_000), 'replacement \ufffd char'][k % 5],
      new Uint8Array([k, 255, 0, 7]),
      new Uint8Array(k * 10).fill(k),
      k % 2 === 0 ? -719162 : 2932896, // 0001-01-01 and 9999-12-31
      86_399_999 - k,
      k % 2 === 0 ? 1_700_000_000_123 + k : -62135596800000,
      1_700_000_000_000.5, // sub-millisecond values are not produced, but survive
      -13 * k,
      86_400_000 * k + 1,
      null,
    ],
  });

  for (const [mode, codegen] of MODES) {
    it(`every scalar type, all four kinds (${mode} vs the other path: same bytes)`, () => {
      const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => full((k % 4) as RowKind, k));
      const back = roundTrip(scalars, rows, codegen).rows;
      expect(back).toEqual(rows);
      // -0 survives DOUBLE; toEqual does not tell -0 from 0.
      expect(Object.is(back[0]!.fields[6], -0)).toBe(true);
      expect(back.every((r) => r.fields[10] instanceof Uint8Array)).toBe(true);
    });
  }

  it('NULL in every column, in every position of the header (6 in the kind byte, then 8 per byte)', () => {
    checkRoundTrip(scalars, [{ kind: RowKind.DELETE, fields: scalars.map(() => null) }]);
    // One column null at a time, the others set.
    const rows: Row[] = [];
    for (let i = 0; i < scalars.length - 1; i++) {
      const r = full(RowKind.UPDATE_AFTER, i);
      r.fields[i] = null;
      rows.push(r);
    }
    checkRoundTrip(scalars, rows);
  });

  it('undefined is written as NULL', () => {
    const fields = [f('a', t('BIGINT')), f('b', t('VARCHAR')), f('c', t('VARCHAR'))];
    checkRoundTrip(fields, [{ kind: RowKind.INSERT, fields: [undefined, undefined, 'x'] }], [{ kind: RowKind.INSERT, fields: [null, null, 'x'] }]);
  });

  it('NOT NULL columns still carry NULL (nullability inference is not trusted by the wire format)', () => {
    checkRoundTrip([f('a', t('INTEGER', {}, false)), f('b', t('VARCHAR', {}, false))], [{ kind: RowKind.INSERT, fields: [null, null] }]);
  });

  it('empty and wide rows (header bytes past 6 and 14 fields; the widest go through closures)', () => {
    checkRoundTrip([], [{ kind: RowKind.UPDATE_BEFORE, fields: [] }]);
    for (const n of [6, 7, 14, 15, 64, 600]) {
      const fields = Array.from({ length: n }, (_, i) => f(`c${i}`, t(i % 2 === 0 ? 'BIGINT' : 'VARCHAR')));
      const rows = [0, 1, 2].map((k) => ({
        kind: RowKind.INSERT,
        fields: fields.map((_, i) => ((i + k) % 3 === 0 ? null : i % 2 === 0 ? BigInt(i * k) : `v${i}`)),
      }));
      checkRoundTrip(fields, rows);
    }
  });

  it('nested types: ARRAY, MAP, MULTISET, ROW, nested in each other, with NULLs at every level', () => {
    const str = t('VARCHAR');
    const fields: RowCodecField[] = [
      f('arr', t('ARRAY', { element: t('BIGINT') })),
      f('strs', t('ARRAY', { element: str })),
      f('m', t('MAP', { key: str, element: t('DOUBLE') })),
      f('ms', t('MULTISET', { element: str })),
      f('r', t('ROW', { fields: [{ name: 'x', type: t('INTEGER') }, { name: 'y', type: t('ARRAY', { element: t('ROW', { fields: [{ name: 'z', type: t('DECIMAL', { precision: 20, scale: 2 }) }] }) }) }] })),
      f('deep', t('MAP', { key: t('INTEGER'), element: t('ARRAY', { element: t('MAP', { key: str, element: t('BOOLEAN') }) }) })),
      f('bytesArr', t('ARRAY', { element: t('VARBINARY') })),
      f('tsArr', t('ARRAY', { element: t('TIMESTAMP', { precision: 3 }) })),
    ];
    const rows: Row[] = [
      {
        kind: RowKind.INSERT,
        fields: [
          [1n, null, LONG_MIN, LONG_MAX, 0n, null, null, null, null, 5n],
          [],
          new Map<unknown, unknown>([['a', 1.5], [null, -0], ['c', null], ['d', NaN], ['e', 2]]),
          new Map<unknown, unknown>([['x', 3], [null, 1]]),
          [7, [[12345678901234567890n], null, [null]]],
          new Map<unknown, unknown>([[1, [new Map<unknown, unknown>([['t', true], ['f', false], ['n', null]]), null]], [2, null], [3, []]]),
          [new Uint8Array([1, 2]), null, new Uint8Array(0)],
          [1_700_000_000_000, null, -1],
        ],
      },
      { kind: RowKind.UPDATE_AFTER, fields: [null, [null], new Map(), new Map(), [null, null], new Map(), [], []] },
      { kind: RowKind.DELETE, fields: [Array.from({ length: 1000 }, (_, i) => (i % 9 === 0 ? null : BigInt(i))), null, null, null, null, null, null, null] },
    ];
    checkRoundTrip(fields, rows);
  });

  it('a producer and a consumer compiling the same row type independently agree (and share the compiled codec)', () => {
    const make = (): RowCodecField[] => [f('a', t('BIGINT')), f('b', t('VARCHAR'))];
    expect(rowCodec(make())).toBe(rowCodec(make()));
    const w = new BinaryWriter(64);
    rowCodec(make()).write(w, { kind: RowKind.INSERT, fields: [42n, 'x'] });
    expect(rowCodec(make(), { codegen: false }).read(new BinaryReader(w.view()))).toEqual({ kind: RowKind.INSERT, fields: [42n, 'x'] });
  });
});

describe('rowCodec refuses what does not fit', () => {
  const fields = [f('id', t('BIGINT')), f('name', t('VARCHAR')), f('tags', t('ARRAY', { element: t('INTEGER') })), f('nothing', t('NULL'))];
  for (const [mode, codegen] of MODES) {
    it(`values of another representation, arity and kind, naming the column (${mode})`, () => {
      const codec = rowCodec(fields, { codegen });
      const w = new BinaryWriter(64);
      expect(() => codec.write(w, { kind: 0, fields: [5, 'a', null, null] })).toThrow(/column 'id' \(BIGINT\): expected a bigint, got number 5/);
      expect(() => codec.write(w, { kind: 0, fields: [5n, 7, null, null] })).toThrow(/column 'name' \(STRING\): expected a string, got number 7/);
      expect(() => codec.write(w, { kind: 0, fields: [5n, 'a', [1, 'x'], null] })).toThrow(/column 'tags' \(ARRAY<INTEGER>\), an element: expected a number, got string "x"/);
      expect(() => codec.write(w, { kind: 0, fields: [5n, 'a', null, 1] })).toThrow(/column 'nothing' \(NULL\): expected null/);
      expect(() => codec.write(w, { kind: 0, fields: [5n, 'a', null] })).toThrow(/a row of 3 fields with the codec of a row type of 4 fields/);
      expect(() => codec.write(w, { kind: 4 as RowKind, fields: [5n, 'a', null, null] })).toThrow(/kind 4: expected a RowKind/);
      expect(() => codec.write(w, { kind: undefined as unknown as RowKind, fields: [5n, 'a', null, null] })).toThrow(/kind undefined/);
    });

    it(`truncated and malformed input raise RangeErrors (${mode})`, () => {
      const codec = rowCodec(fields, { codegen });
      const w = new BinaryWriter(64);
      codec.write(w, { kind: 0, fields: [LONG_MAX, 'hello', [1, 2, 3], null] });
      const bytes = w.view().slice();
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => codec.read(new BinaryReader(bytes.subarray(0, cut))), `cut at ${cut}`).toThrow(RangeError);
      }
      // The NULL column's null bit cleared: there is no value of type NULL to read.
      const noNullBit = bytes.slice();
      noNullBit[0] = noNullBit[0]! & ~(1 << 5);
      expect(() => codec.read(new BinaryReader(noNullBit))).toThrow(/Cannot decode a row: a value of type NULL/);
    });
  }
});

// ---- micro benchmark (printed, not asserted) ----

/** A Nexmark bid: auction, bidder, price BIGINT; channel, url STRING; dateTime TIMESTAMP(3); extra STRING. */
const BID_FIELDS: RowCodecField[] = [
  f('auction', t('BIGINT')),
  f('bidder', t('BIGINT')),
  f('price', t('BIGINT')),
  f('channel', t('VARCHAR')),
  f('url', t('VARCHAR')),
  f('dateTime', t('TIMESTAMP', { precision: 3 })),
  f('extra', t('VARCHAR')),
];
const CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];

function bids(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: RowKind.INSERT,
    fields: [
      BigInt(1000 + (i % 1000)),
      BigInt(2000 + ((i * 7) % 5000)),
      BigInt(100 + ((i * 13) % 10_000_000)),
      CHANNELS[i % 4]!,
      `https://www.nexmark.com/${CHANNELS[i % 4]!.toLowerCase()}/item.htm?query=1&channel_id=${i % 10_000}`,
      1_700_000_000_000 + i,
      '',
    ],
  }));
}

interface Measured {
  encode: number;
  decode: number;
  bytesPerRow: number;
}

/** Best of several rounds of encoding `rows` into 32 KiB buffers (as the exchange does) and decoding them. */
function measure(rows: readonly Row[], write: (w: BinaryWriter, r: Row) => void, read: (r: BinaryReader) => Row): Measured {
  const w = new BinaryWriter(32 * 1024 + 1024);
  const buffers: ArrayBuffer[] = [];
  let bytes = 0;
  let encode = 0;
  let decode = 0;
  for (let round = 0; round < 7; round++) {
    buffers.length = 0;
    bytes = 0;
    let t0 = performance.now();
    let inBuffer = 0;
    for (let i = 0; i < rows.length; i++) {
      write(w, rows[i]!);
      if (++inBuffer === 2048 || w.length >= 32 * 1024) {
        bytes += w.length;
        buffers.push(w.take());
        inBuffer = 0;
      }
    }
    bytes += w.length;
    buffers.push(w.take());
    const encodeMs = performance.now() - t0;
    const r = new BinaryReader();
    let sink = 0;
    t0 = performance.now();
    for (const b of buffers) {
      r.reset(b);
      while (r.remaining > 0) sink += read(r).kind;
    }
    const decodeMs = performance.now() - t0;
    if (sink !== 0) throw new Error('unexpected kinds');
    if (round >= 2) {
      encode = Math.max(encode, rows.length / (encodeMs / 1000));
      decode = Math.max(decode, rows.length / (decodeMs / 1000));
    }
  }
  return { encode, decode, bytesPerRow: bytes / rows.length };
}

describe('micro benchmark (printed, not asserted)', () => {
  it('rows/s encoding and decoding a Nexmark-bid-like row: row codec vs the generic writeValue/readValue', () => {
    const rows = bids(100_000);
    const generic = measure(rows, (w, r) => w.writeValue(r), (r) => r.readValue() as Row);
    const generated = rowCodec(BID_FIELDS);
    const closures = rowCodec(BID_FIELDS, { codegen: false });
    const gen = measure(rows, (w, r) => generated.write(w, r), (r) => generated.read(r));
    const clo = measure(rows, (w, r) => closures.write(w, r), (r) => closures.read(r));
    const fmt = (name: string, m: Measured): string =>
      `${name.padEnd(22)} encode ${(m.encode / 1e6).toFixed(2).padStart(6)} M rows/s   decode ${(m.decode / 1e6).toFixed(2).padStart(6)} M rows/s   ${m.bytesPerRow.toFixed(1)} bytes/row`;
    console.log(
      ['Nexmark bid row (3 BIGINT, 3 STRING, 1 TIMESTAMP), 100k rows, best of 5:', fmt('generic writeValue', generic), fmt('rowCodec (generated)', gen), fmt('rowCodec (closures)', clo)].join('\n'),
    );
    // The decoded rows are the same either way.
    const w = new BinaryWriter(1024);
    generated.write(w, rows[12345]!);
    expect(generated.read(new BinaryReader(w.view()))).toEqual(rows[12345]);
  });
});
