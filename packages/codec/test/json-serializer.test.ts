import { describe, expect, it } from 'vitest';
import { jsonSerializer, JSON_SERIALIZER_ID } from '../src/index.js';

describe('jsonSerializer', () => {
  it('has id runnel.json and version 1', () => {
    expect(jsonSerializer.id).toBe('runnel.json');
    expect(JSON_SERIALIZER_ID).toBe('runnel.json');
    expect(jsonSerializer.version).toBe(1);
  });

  it('writes UTF-8 JSON and reads it back', () => {
    const v = { name: 'zoë', list: [1, 2.5, null], nested: { ok: true } };
    const bytes = jsonSerializer.serialize(v);
    expect(Buffer.from(bytes).toString('utf8')).toBe(JSON.stringify(v));
    expect(jsonSerializer.deserialize(bytes, 1)).toEqual(v);
  });

  it('maps a top-level undefined to zero bytes and back', () => {
    const bytes = jsonSerializer.serialize(undefined);
    expect(bytes.length).toBe(0);
    expect(jsonSerializer.deserialize(bytes, 1)).toBeUndefined();
  });

  it('refuses unknown versions and invalid UTF-8', () => {
    expect(() => jsonSerializer.deserialize(jsonSerializer.serialize(1), 3)).toThrow(/version 3/);
    expect(() => jsonSerializer.deserialize(new Uint8Array([0x22, 0xff, 0x22]), 1)).toThrow();
  });
});
