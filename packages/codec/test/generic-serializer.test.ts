import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, genericSerializer, GENERIC_SERIALIZER_ID } from '../src/index.js';

describe('genericSerializer', () => {
  it('has id runnel.generic and version 1', () => {
    expect(genericSerializer.id).toBe('runnel.generic');
    expect(GENERIC_SERIALIZER_ID).toBe('runnel.generic');
    expect(genericSerializer.version).toBe(1);
  });

  it('round-trips values JSON cannot hold', () => {
    const v = { n: -0, nan: NaN, big: 2n ** 70n, at: new Date(5), m: new Map([[1, new Set(['a'])]]), u: undefined, b: new Uint8Array([9]) };
    const bytes = genericSerializer.serialize(v);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(genericSerializer.deserialize(bytes, 1)).toEqual(v);
  });

  it('refuses versions it does not know', () => {
    const bytes = genericSerializer.serialize(1);
    expect(() => genericSerializer.deserialize(bytes, 2)).toThrow(/version 2/);
  });

  it('produces independent, exactly-sized byte arrays', () => {
    const a = genericSerializer.serialize('first');
    const b = genericSerializer.serialize('second');
    expect(a.byteLength).toBe(a.buffer.byteLength);
    expect(genericSerializer.deserialize(a, 1)).toBe('first');
    expect(genericSerializer.deserialize(b, 1)).toBe('second');
  });
});

describe('encodeValue / decodeValue', () => {
  it('round-trips and rejects trailing bytes', () => {
    const bytes = encodeValue({ a: [1, 2] });
    expect(decodeValue(bytes)).toEqual({ a: [1, 2] });
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    expect(() => decodeValue(padded)).toThrow(/trailing/);
  });

  it('stays usable after a failed encode, and supports reentrant use from getters', () => {
    expect(() => encodeValue({ f: () => 0 })).toThrow(TypeError);
    expect(decodeValue(encodeValue({ ok: true }))).toEqual({ ok: true });
    const tricky = {
      get inner(): Uint8Array {
        return encodeValue({ nested: 'yes' });
      },
    };
    const out = decodeValue(encodeValue(tricky)) as { inner: Uint8Array };
    expect(decodeValue(out.inner)).toEqual({ nested: 'yes' });
  });
});
