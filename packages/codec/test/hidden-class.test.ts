// Decoded objects of one shape must share a V8 hidden class (map), so that downstream operators stay
// monomorphic. Checked with the V8 intrinsic %HaveSameMap, enabled at runtime for this test process.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '../src/index.js';

setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b);') as (a: object, b: object) => boolean;

function decodeAll(batch: ArrayBuffer): object[] {
  const r = new BinaryReader(batch);
  const out: object[] = [];
  while (r.remaining > 0) out.push(r.readValue() as object);
  return out;
}

describe('hidden classes of decoded objects', () => {
  it('equal-shaped objects share a map, within a batch, across batches and across readers', () => {
    const w = new BinaryWriter();
    for (let i = 0; i < 10; i++) w.writeValue({ auction: i, price: i * 1.5, channel: `c${i}` });
    const first = decodeAll(w.take());
    w.writeValue({ auction: 99, price: 0.25, channel: 'z' });
    const second = decodeAll(w.take());
    for (const o of [...first.slice(1), ...second]) expect(haveSameMap(first[0]!, o)).toBe(true);
  });

  it('objects with other key orders get another map', () => {
    const w = new BinaryWriter();
    w.writeValue({ a: 1, b: 2 });
    w.writeValue({ b: 2, a: 1 });
    const [ab, ba] = decodeAll(w.take());
    expect(haveSameMap(ab!, ba!)).toBe(false);
  });
});
