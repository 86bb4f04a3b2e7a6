// Checkpoints and savepoints already written hold these bytes: the serializers must keep reading them (and keep
// writing the same bytes for the same values). The hex strings are what the serializers wrote before they moved
// onto `@runnel/codec`'s jsonVersionedSerializer (the connector had its own JSON helper until then).
import { describe, expect, it } from 'vitest';
import type { VersionedSerializer } from '@runnel/api';
import { DataGenSource, NexmarkSource } from '../src/index.js';

const hex = (...parts: string[]): Uint8Array => Uint8Array.from(Buffer.from(parts.join(''), 'hex'));

const nexmark = new NexmarkSource({ eventsNum: 1000 });
const datagen = new DataGenSource({ rowsPerSecond: 0, numberOfRows: 100, fields: { id: { type: 'bigint', kind: 'sequence', start: 1, end: 100 } } });
const nexmarkSplits = [
  { splitId: 'nexmark-0', index: 0, next: 0, stride: 2, end: 1000 },
  { splitId: 'nexmark-1', index: 1, next: 1, stride: 2, end: 1000 },
];
const datagenSplits = [
  { splitId: 'datagen-0', index: 0, next: 0, stride: 1, end: 50 },
  { splitId: 'datagen-1', index: 1, next: 50, stride: 1, end: 100 },
];
const cases: { serializer: VersionedSerializer<any>; id: string; value: unknown; bytes: Uint8Array }[] = [
  {
    serializer: nexmark.splitSerializer,
    id: 'runnel.nexmark.split',
    value: { ...nexmarkSplits[1], next: 501 },
    bytes: hex(
      // {"splitId":"nexmark-1","index":1,"next":501,"stride":2,"end":1000}
      '7b2273706c69744964223a226e65786d61726b2d31222c22696e646578223a312c226e657874223a3530312c22737472',
      '696465223a322c22656e64223a313030307d',
    ),
  },
  {
    serializer: nexmark.splitSerializer,
    id: 'runnel.nexmark.split',
    value: { splitId: 'nexmark-0', index: 0, next: 0, stride: 1, end: null },
    bytes: hex(
      // {"splitId":"nexmark-0","index":0,"next":0,"stride":1,"end":null}
      '7b2273706c69744964223a226e65786d61726b2d30222c22696e646578223a302c226e657874223a302c227374726964',
      '65223a312c22656e64223a6e756c6c7d',
    ),
  },
  {
    serializer: nexmark.enumeratorStateSerializer,
    id: 'runnel.nexmark.enumerator-state',
    value: { pending: nexmarkSplits },
    bytes: hex(
      // {"pending":[{"splitId":"nexmark-0","index":0,"next":0,"stride":2,"end":1000},{"splitId":"nexmark-1","index":1,"next":1,"stride":2,"end":1000}]}
      '7b2270656e64696e67223a5b7b2273706c69744964223a226e65786d61726b2d30222c22696e646578223a302c226e65',
      '7874223a302c22737472696465223a322c22656e64223a313030307d2c7b2273706c69744964223a226e65786d61726b',
      '2d31222c22696e646578223a312c226e657874223a312c22737472696465223a322c22656e64223a313030307d5d7d',
    ),
  },
  {
    serializer: datagen.splitSerializer,
    id: 'runnel.datagen.split',
    value: datagenSplits[0],
    bytes: hex(
      // {"splitId":"datagen-0","index":0,"next":0,"stride":1,"end":50}
      '7b2273706c69744964223a226461746167656e2d30222c22696e646578223a302c226e657874223a302c227374726964',
      '65223a312c22656e64223a35307d',
    ),
  },
  {
    serializer: datagen.enumeratorStateSerializer,
    id: 'runnel.datagen.enumerator-state',
    value: { pending: datagenSplits },
    bytes: hex(
      // {"pending":[{"splitId":"datagen-0","index":0,"next":0,"stride":1,"end":50},{"splitId":"datagen-1","index":1,"next":50,"stride":1,"end":100}]}
      '7b2270656e64696e67223a5b7b2273706c69744964223a226461746167656e2d30222c22696e646578223a302c226e65',
      '7874223a302c22737472696465223a312c22656e64223a35307d2c7b2273706c69744964223a226461746167656e2d31',
      '222c22696e646578223a312c226e657874223a35302c22737472696465223a312c22656e64223a3130307d5d7d',
    ),
  },
];

describe('persisted bytes of the generator sources', () => {
  it('the sources still create the splits the bytes were written from', () => {
    expect(nexmark.createSplits(2)).toEqual(nexmarkSplits);
    expect(datagen.createSplits(2)).toEqual(datagenSplits);
  });
  for (const c of cases) {
    it(`${c.id} version 1: reads the bytes written before, writes the same bytes (${JSON.stringify(c.value)})`, () => {
      expect([c.serializer.id, c.serializer.version]).toEqual([c.id, 1]);
      expect(c.serializer.deserialize(c.bytes, 1)).toEqual(c.value);
      expect(c.serializer.serialize(c.value)).toEqual(c.bytes);
    });
  }
});
