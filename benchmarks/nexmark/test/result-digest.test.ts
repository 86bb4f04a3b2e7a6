import { describe, expect, it } from 'vitest';
import { combineDigests, DigestBuilder, DigestSink, DIGEST_CHANNEL, rowHash, sqlRowHash, type SubtaskDigest } from '../src/result-digest.js';
import type { SinkWriterContext } from '@runnel/api';

const rows = Array.from({ length: 1000 }, (_, i) => ({ bidder: 1000 + (i % 37), bidCount: i, start: 1_700_000_000_000 + i, end: 1_700_000_010_000 + i }));

function digestOf(rs: typeof rows) {
  const b = new DigestBuilder();
  for (const r of rs) b.add(rowHash.q11(r));
  return b.digest();
}

function sinkDigests(parts: (typeof rows)[]): SubtaskDigest[] {
  const sent: SubtaskDigest[] = [];
  parts.forEach((part, subtask) => {
    const ctx = { subtaskIndex: subtask, parallelism: parts.length, sendToClient: (ch: string, vs: readonly unknown[]) => { expect(ch).toBe(DIGEST_CHANNEL); sent.push(...(vs as SubtaskDigest[])); } } as unknown as SinkWriterContext;
    const w = new DigestSink(rowHash.q11).createWriter(ctx);
    for (const r of part) w.write(r, { timestamp: 0, currentWatermark: 0 });
    void w.flush(false); // a checkpoint: nothing sent
    void w.flush(true);
  });
  return sent;
}

describe('result digest', () => {
  it('does not depend on row order, property order or how subtasks split the rows', () => {
    const d = digestOf(rows);
    expect(d.rows).toBe(1000);
    expect(d.checksum).toMatch(/^[0-9a-f]{8}$/);
    expect(digestOf([...rows].reverse())).toEqual(d);
    expect(digestOf(rows.map((r) => ({ end: r.end, start: r.start, bidCount: r.bidCount, bidder: r.bidder })))).toEqual(d);
    expect(combineDigests(sinkDigests([rows.filter((_, i) => i % 3 !== 0), rows.filter((_, i) => i % 3 === 0)]))).toEqual(d);
  });

  it('changes with any field of any row, a missing row and a duplicated row', () => {
    const d = digestOf(rows);
    expect(digestOf(rows.map((r, i) => (i === 500 ? { ...r, end: r.end + 1 } : r))).checksum).not.toBe(d.checksum);
    expect(digestOf(rows.map((r, i) => (i === 7 ? { ...r, bidCount: r.bidCount + 0.5 } : r))).checksum).not.toBe(d.checksum);
    expect(digestOf(rows.slice(1))).not.toEqual(d);
    expect(digestOf([...rows, rows[0]!])).not.toEqual(d);
    // Two rows swapping a field: the rows differ, so does the sum of their hashes.
    const swapped = rows.map((r, i) => (i === 1 ? { ...r, bidCount: rows[2]!.bidCount } : i === 2 ? { ...r, bidCount: rows[1]!.bidCount } : r));
    expect(digestOf(swapped).checksum).not.toBe(d.checksum);
  });

  it('hashes strings by length and sampled characters', () => {
    const bid = { auction: 1, bidder: 2, price: 3, channel: 'Google', url: 'https://www.nexmark.com/abc/def/item.htm?query=1', dateTime: 4, extra: 'x'.repeat(80) };
    const h = rowHash.q0(bid);
    expect(rowHash.q0({ ...bid, channel: 'Googlf' })).not.toBe(h); // short strings: every character
    expect(rowHash.q0({ ...bid, extra: 'x'.repeat(81) })).not.toBe(h);
    expect(rowHash.q0({ ...bid, extra: 'y' + 'x'.repeat(79) })).not.toBe(h);
    expect(rowHash.q0({ ...bid, extra: 'x'.repeat(79) + 'y' })).not.toBe(h);
  });

  it('needs exactly one digest from every subtask of the sink', () => {
    const parts = sinkDigests([rows.slice(0, 10), rows.slice(10, 20), rows.slice(20)]);
    expect(() => combineDigests(parts.slice(1))).toThrow(/each of the sink's 3 subtasks, got 2/);
    expect(() => combineDigests([...parts, parts[0]!])).toThrow(/got 4/);
    expect(() => combineDigests([])).toThrow(/no subtask/);
  });

  it('hashes SQL rows by value: a bigint as the equal number, larger bigints, NULL and booleans apart', () => {
    expect(sqlRowHash([12n, 'abc', 1.5])).toBe(sqlRowHash([12, 'abc', 1.5]));
    expect(sqlRowHash([2n, 3n])).toBe(rowHash.q2({ auction: 2, price: 3 }));
    expect(sqlRowHash([2n ** 60n])).not.toBe(sqlRowHash([2n ** 60n + 1n]));
    expect(sqlRowHash([2n ** 53n])).not.toBe(sqlRowHash([2 ** 53]));
    expect(sqlRowHash([BigInt(Number.MAX_SAFE_INTEGER)])).toBe(sqlRowHash([Number.MAX_SAFE_INTEGER]));
    expect(sqlRowHash([null])).not.toBe(sqlRowHash([0]));
    expect(sqlRowHash([true])).not.toBe(sqlRowHash([1]));
    expect(() => sqlRowHash([[1]])).toThrow(/unexpected/);
  });

  it('hashes a bigint in the safe range exactly as Number(x) (edges of 32, 53 and 64 bits, random values)', () => {
    const values = [0n, 1n, -1n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), -(2n ** 31n) - 1n, 2n ** 32n, 2n ** 32n - 1n, -(2n ** 32n), 2n ** 53n - 1n, -(2n ** 53n - 1n)];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const bits = 1 + (seed % 53);
      const v = BigInt(Math.floor((seed / 2 ** 32) * 2 ** bits));
      values.push(seed & 1 ? -v : v);
    }
    for (const v of values) expect(sqlRowHash([v, 'x']), String(v)).toBe(sqlRowHash([Number(v), 'x']));
    // outside the safe range (and beyond 64 bits, where a BigInt64Array would wrap): by halves, never as a small number
    for (const v of [2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n + 5n, 10n ** 23n]) {
      expect(sqlRowHash([v])).not.toBe(sqlRowHash([Number(BigInt.asIntN(64, v))]));
      expect(sqlRowHash([v])).not.toBe(sqlRowHash([Number(v)]));
    }
    expect(sqlRowHash([2n ** 64n + 5n])).not.toBe(sqlRowHash([5n]));
    // the 64-bit path (columns whose type bounds their bigints to 64 bits) hashes every 64-bit value as the exact path,
    // next to a column that takes the exact path (q1: BIGINT ids and a DECIMAL(23, 3) price)
    const edges = [2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n), -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 62n + 12345n];
    for (const v of [...values, ...edges]) {
      expect(sqlRowHash([v, 'x'], [true, false]), String(v)).toBe(sqlRowHash([v, 'x']));
      expect(sqlRowHash([v, 10n ** 23n + v], [true, false]), String(v)).toBe(sqlRowHash([v, 10n ** 23n + v]));
    }
  });

  it('digests a changelog as applied: a retraction removes what its row added', () => {
    const b = new DigestBuilder();
    b.add(sqlRowHash(['k', 1n]));
    b.remove(sqlRowHash(['k', 1n]));
    b.add(sqlRowHash(['k', 2n]));
    const once = new DigestBuilder();
    once.add(sqlRowHash(['k', 2n]));
    expect(b.changelogDigest()).toEqual({ ...once.digest(), changes: 3 });
  });
});
