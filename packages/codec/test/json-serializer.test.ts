import { describe, expect, it } from 'vitest';
import { jsonSerializer, jsonVersionedSerializer, JSON_SERIALIZER_ID } from '../src/index.js';

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

describe('jsonVersionedSerializer', () => {
  const point = jsonVersionedSerializer('test.point', 2, (v, version) => {
    const o = v as { x?: unknown; y?: unknown };
    if (typeof o !== 'object' || o === null || typeof o.x !== 'number') throw new Error('test.point: invalid payload');
    // Version 1 had no y.
    return { x: o.x, y: version === 1 ? 0 : (o.y as number) };
  });

  it('writes jsonSerializer\'s bytes under its own id and version', () => {
    expect(point.id).toBe('test.point');
    expect(point.version).toBe(2);
    const bytes = point.serialize({ x: 1, y: 2 });
    expect(bytes).toEqual(jsonSerializer.serialize({ x: 1, y: 2 }));
    expect(point.deserialize(bytes, 2)).toEqual({ x: 1, y: 2 });
  });

  it('hands decode the written version, reads versions 1 up to its own and refuses others', () => {
    const v1 = new TextEncoder().encode('{"x":5}');
    expect(point.deserialize(v1, 1)).toEqual({ x: 5, y: 0 });
    expect(() => point.deserialize(v1, 3)).toThrow(/test\.point: cannot read version 3 \(this serializer reads versions 1 to 2\)/);
    expect(() => point.deserialize(v1, 0)).toThrow(/version 0/);
    expect(() => point.deserialize(v1, 1.5)).toThrow(/version 1\.5/);
    expect(() => point.deserialize(new TextEncoder().encode('{"y":1}'), 2)).toThrow(/invalid payload/);
    expect(() => jsonVersionedSerializer('bad', 0, (v) => v)).toThrow(/positive integer/);
  });
});
