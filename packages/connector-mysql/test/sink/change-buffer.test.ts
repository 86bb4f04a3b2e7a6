// The packed, reducing change buffer against a plain model (a Map from key to the last change): random changelogs
// over few keys (many updates per key, deletes after inserts, re-inserts after deletes, composite keys with texts,
// numbers, NULL-free bytes), with drains in between and enough updates to trigger the compaction of dead records.
import { row, RowKind, type LogicalType, type Row } from '@runnel/api';
import { describe, expect, it } from 'vitest';
import { ChangeBuffer } from '../../src/sink/change-buffer.js';
import { unpackValues } from '../../src/sink/packed-values.js';
import { RowConverter } from '../../src/sink/row-converter.js';
import type { MySqlBindValue } from '../../src/types/mysql-types.js';

const BIG: LogicalType = { root: 'BIGINT', nullable: false };
const STR: LogicalType = { root: 'VARCHAR', nullable: true, precision: 100 };
const INT: LogicalType = { root: 'INTEGER', nullable: true };
const BYTES: LogicalType = { root: 'VARBINARY', nullable: true, precision: 100 };

function converter(types: LogicalType[]): RowConverter {
  return new RowConverter(
    types.map((type, i) => ({ name: `c${i}`, type })),
    [],
    undefined,
  );
}

function unpackRows(bytes: Uint8Array, count: number, width: number): MySqlBindValue[][] {
  const out: MySqlBindValue[][] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const r: MySqlBindValue[] = [];
    p = unpackValues(bytes, p, width, r);
    out.push(r);
  }
  expect(p).toBe(bytes.length);
  return out;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ChangeBuffer', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the last change per key, as a model does (seed ${seed})`, () => {
      const rnd = random(seed);
      // Columns: k1 BIGINT, k2 VARCHAR (the key), v INTEGER, b VARBINARY.
      const types = [BIG, STR, INT, BYTES];
      const buffer = new ChangeBuffer(4, [0, 1], 'test');
      buffer.setConverter(converter(types));
      let model = new Map<string, { kind: 'up' | 'del'; values: MySqlBindValue[] }>();
      const check = (): void => {
        const batch = buffer.drain();
        const ups = unpackRows(batch.rows, batch.rowCount, 4);
        const dels = unpackRows(batch.deletes, batch.deleteCount, 2);
        const expectUps = [...model.values()].filter((m) => m.kind === 'up').map((m) => m.values);
        const expectDels = [...model.values()].filter((m) => m.kind === 'del').map((m) => m.values.slice(0, 2));
        const order = (rows: MySqlBindValue[][]) => rows.map((r) => JSON.stringify(r)).sort();
        expect(order(ups)).toEqual(order(expectUps));
        expect(order(dels)).toEqual(order(expectDels));
        expect(buffer.size).toBe(0);
        model = new Map();
      };
      for (let i = 0; i < 60_000; i++) {
        const k1 = BigInt(Math.floor(rnd() * 500)); // 3000 keys: the hash table grows past its first 1024 slots
        const k2 = ['a', 'b', "it's", '`;--', 'é😀', ''][Math.floor(rnd() * 6)]!;
        const v = Math.floor(rnd() * 1000) - 500;
        const b = Buffer.from([Math.floor(rnd() * 256), 0]);
        const p = rnd();
        const kind = p < 0.5 ? RowKind.INSERT : p < 0.7 ? RowKind.UPDATE_AFTER : p < 0.8 ? RowKind.UPDATE_BEFORE : RowKind.DELETE;
        const r: Row = row(kind, [k1, k2, v, b]);
        buffer.add(r);
        const key = `${k1}|${k2}`;
        if (kind === RowKind.DELETE) model.set(key, { kind: 'del', values: [String(k1), k2] });
        else if (kind !== RowKind.UPDATE_BEFORE) model.set(key, { kind: 'up', values: [String(k1), k2, v, b] });
        expect(buffer.size).toBe(model.size);
        if (rnd() < 0.0002) check();
      }
      check();
    });
  }

  it('appends inserts in order without a key, and waits for the converter', () => {
    const buffer = new ChangeBuffer(2, [], 'test');
    buffer.add(row(RowKind.INSERT, [1, 'x']));
    buffer.add(row(RowKind.INSERT, [1, 'x']));
    expect(buffer.ready).toBe(false);
    expect(buffer.size).toBe(2);
    buffer.setConverter(converter([INT, STR]));
    buffer.add(row(RowKind.INSERT, [2, null]));
    const batch = buffer.drain();
    expect(unpackRows(batch.rows, batch.rowCount, 2)).toEqual([
      [1, 'x'],
      [1, 'x'],
      [2, null],
    ]);
    expect(() => buffer.add(row(RowKind.DELETE, [1, 'x']))).toThrow(/without a primary key/);
  });

  it('fails a row whose value cannot be converted without staging any of it', () => {
    const buffer = new ChangeBuffer(2, [0], 'test');
    buffer.setConverter(converter([BIG, INT]));
    buffer.add(row(RowKind.INSERT, [1n, 1]));
    expect(() => buffer.add(row(RowKind.INSERT, [2n, 1.5]))).toThrow(/column 'c1'.*not an integer/);
    const batch = buffer.drain();
    expect(unpackRows(batch.rows, batch.rowCount, 2)).toEqual([['1', 1]]);
  });
});
