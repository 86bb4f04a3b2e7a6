// fromElements/fromCollection checkpoints hold these bytes: the collection source must keep reading them (and keep
// writing the same bytes for the same values). The hex strings are what its serializers wrote before they moved onto
// `@runnel/codec`'s jsonVersionedSerializer (the source had its own JSON helper until then).
import { describe, expect, it } from 'vitest';
import { CollectionSource } from '../../src/api/collection-source.js';

const hex = (...parts: string[]): Uint8Array => Uint8Array.from(Buffer.from(parts.join(''), 'hex'));
const source = new CollectionSource([1, 2, 3]);

describe('persisted bytes of the collection source', () => {
  it('runnel.collection-split version 1', () => {
    const bytes = hex(
      // {"splitId":"1","stride":2,"next":3}
      '7b2273706c69744964223a2231222c22737472696465223a322c226e657874223a337d',
    );
    const split = { splitId: '1', stride: 2, next: 3 };
    expect([source.splitSerializer.id, source.splitSerializer.version]).toEqual(['runnel.collection-split', 1]);
    expect(source.splitSerializer.deserialize(bytes, 1)).toEqual(split);
    expect(source.splitSerializer.serialize(split)).toEqual(bytes);
  });

  it('runnel.collection-enumerator version 1', () => {
    const bytes = hex(
      // [{"splitId":"0","stride":2,"next":0},{"splitId":"1","stride":2,"next":1}]
      '5b7b2273706c69744964223a2230222c22737472696465223a322c226e657874223a307d2c7b2273706c69744964223a',
      '2231222c22737472696465223a322c226e657874223a317d5d',
    );
    const state = [{ splitId: '0', stride: 2, next: 0 }, { splitId: '1', stride: 2, next: 1 }];
    expect([source.enumeratorStateSerializer.id, source.enumeratorStateSerializer.version]).toEqual(['runnel.collection-enumerator', 1]);
    expect(source.enumeratorStateSerializer.deserialize(bytes, 1)).toEqual(state);
    expect(source.enumeratorStateSerializer.serialize(state)).toEqual(bytes);
  });

  it('refuses payloads that are not splits', () => {
    const bad = new TextEncoder().encode('{"splitId":"1","stride":0,"next":3}');
    expect(() => source.splitSerializer.deserialize(bad, 1)).toThrow(/runnel.collection-split: invalid payload/);
    expect(() => source.enumeratorStateSerializer.deserialize(new TextEncoder().encode('{}'), 1)).toThrow(/invalid payload/);
    expect(() => source.splitSerializer.deserialize(new TextEncoder().encode('{"splitId":"1","stride":2,"next":3}'), 2)).toThrow(/version 2/);
  });
});
