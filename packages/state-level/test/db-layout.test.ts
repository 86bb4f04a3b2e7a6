// The LevelDB key layout: keys encoded through the shared writer must be byte-identical to the generic encoding.
import { describe, expect, it } from 'vitest';
import { encodeValue } from '@runnel/codec';
import { dbKey, encodeBytes, encodeKeyScratch, keyScratch, namespaceBytes, VOID_NS_BYTES } from '../src/db-layout.js';

const samples: unknown[] = [0, 1, 127, 128, -1, 2 ** 31, 1.5, 'k', 'ключ', '', ['a', 3], { id: 7, name: 'x' }, true, null];

describe('db keys', () => {
  it('are [key group u16][state id u16][generic key][namespace] for any key', () => {
    for (const key of samples) {
      const k = dbKey(0x1234, 0x0506, key, namespaceBytes(42));
      const expected = Buffer.concat([Buffer.from([0x12, 0x34, 0x05, 0x06]), encodeValue(key), encodeValue(42)]);
      expect(k.equals(expected)).toBe(true);
      expect(encodeBytes(key).equals(Buffer.from(encodeValue(key)))).toBe(true);
      expect(dbKey(3, 0, key, VOID_NS_BYTES).subarray(4, -VOID_NS_BYTES.length).equals(encodeBytes(key))).toBe(true);
    }
  });

  it('stay correct after the shared writer grew for a large key (the scratch view is rebound)', () => {
    const big = 'x'.repeat(100_000);
    const small = { a: 1 };
    expect(dbKey(1, 2, big, VOID_NS_BYTES).subarray(4, -VOID_NS_BYTES.length).equals(Buffer.from(encodeValue(big)))).toBe(true);
    expect(encodeBytes(small).equals(Buffer.from(encodeValue(small)))).toBe(true);
    const n = encodeKeyScratch(big);
    expect(Buffer.from(keyScratch().subarray(0, n)).equals(Buffer.from(encodeValue(big)))).toBe(true);
    const m = encodeKeyScratch(12345);
    expect(Buffer.from(keyScratch().subarray(0, m)).equals(Buffer.from(encodeValue(12345)))).toBe(true);
  });
});
