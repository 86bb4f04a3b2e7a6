import { describe, expect, it } from 'vitest';
import type { KeyGroupEntries } from '@runnel/api';
import { CheckpointCorruptedError, decodeKeyGroups, encodeKeyGroups, encodeKeyGroupsAsync, KeyGroupsEncoder } from '../../src/index.js';
import { sampleKeyGroups } from '../helpers.js';

const rich: KeyGroupEntries[] = [
  {
    keyGroup: 0,
    entries: [
      { state: 'v', key: 'a', namespace: '', value: { n: 1, big: 12345678901234567890n, when: new Date(5), bytes: new Uint8Array([1, 2, 3]) } },
      { state: 'm', key: ['tuple', 1], namespace: 7, value: [['k1', 1], ['k2', NaN]] },
      { state: 'v', key: 'b', namespace: '', value: -0 },
    ],
  },
  { keyGroup: 5, entries: [] },
  { keyGroup: 127, entries: [{ state: 'l', key: 42, namespace: 'w', value: [new Map([[1, new Set(['x'])]]), undefined, null] }] },
];

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) {
    await Promise.resolve();
    yield i;
  }
}

describe('keyed-state format', () => {
  it('round-trips entries of every kind of value exactly', () => {
    const { bytes, index, entryCount } = encodeKeyGroups(rich);
    expect(entryCount).toBe(4);
    expect(index.map((e) => e[0])).toEqual([0, 5, 127]);
    expect(decodeKeyGroups(bytes)).toEqual(rich);
    expect(decodeKeyGroups(bytes, index)).toEqual(rich);
    const v = decodeKeyGroups(bytes)[0]!.entries[2]!.value;
    expect(Object.is(v, -0)).toBe(true);
  });

  it('the async variant writes the same bytes as the sync one', async () => {
    const groups = sampleKeyGroups(500, 3);
    const sync = encodeKeyGroups(groups);
    const async = await encodeKeyGroupsAsync(asAsync(groups));
    expect(Buffer.from(async.bytes).equals(Buffer.from(sync.bytes))).toBe(true);
    expect(async.index).toEqual(sync.index);
  });

  it('reads only the key groups a rescaled subtask owns, via the index or by scanning', () => {
    const groups = sampleKeyGroups(1000, 1);
    const { bytes, index } = encodeKeyGroups(groups);
    const owned = (kg: number): boolean => kg >= 4 && kg <= 9;
    const expected = groups.filter((g) => owned(g.keyGroup));
    expect(expected.length).toBeGreaterThan(2);
    expect(decodeKeyGroups(bytes, index, owned)).toEqual(expected);
    expect(decodeKeyGroups(bytes, undefined, owned)).toEqual(expected);
  });

  it('an indexed read does not touch blocks it skips', () => {
    const { bytes, index } = encodeKeyGroups(sampleKeyGroups(300, 1));
    const damaged = bytes.slice();
    const [, off, len] = index[0]!;
    damaged[off + Math.floor(len / 2)]! ^= 0xff;
    expect(() => decodeKeyGroups(damaged, index, (kg) => kg === index[0]![0])).toThrow(/checksum mismatch/);
    expect(decodeKeyGroups(damaged, index, (kg) => kg !== index[0]![0]).length).toBe(index.length - 1);
  });

  it('rejects repeated or invalid key groups and values the codec cannot encode', () => {
    const enc = new KeyGroupsEncoder();
    enc.add({ keyGroup: 1, entries: [] });
    expect(() => enc.add({ keyGroup: 1, entries: [] })).toThrow(/added twice/);
    expect(() => enc.add({ keyGroup: -1, entries: [] })).toThrow(/invalid key group/);
    expect(() => enc.add({ keyGroup: 2, entries: [{ state: 's', key: 1, namespace: '', value: () => 1 }] })).toThrow(/state "s"/);
    // the failed group left nothing behind
    enc.add({ keyGroup: 2, entries: [{ state: 's', key: 1, namespace: '', value: 1 }] });
    const { bytes } = enc.finish();
    expect(decodeKeyGroups(bytes).map((g) => g.keyGroup)).toEqual([1, 2]);
  });

  it('detects any single-bit flip anywhere in the file', () => {
    const { bytes, index } = encodeKeyGroups(rich);
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0, 3, 7]) {
        const damaged = bytes.slice();
        damaged[i]! ^= 1 << bit;
        expect(() => decodeKeyGroups(damaged), `byte ${i} bit ${bit}`).toThrow(CheckpointCorruptedError);
        expect(() => decodeKeyGroups(damaged, index), `indexed, byte ${i} bit ${bit}`).toThrow(CheckpointCorruptedError);
      }
    }
  });

  it('detects truncation at every length and trailing bytes', () => {
    const { bytes, index } = encodeKeyGroups(rich);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeKeyGroups(bytes.subarray(0, n)), `length ${n}`).toThrow(CheckpointCorruptedError);
    }
    const cut = bytes.subarray(0, index[2]![1] + 10);
    expect(() => decodeKeyGroups(cut, index)).toThrow(/no footer at the end/);
    expect(() => decodeKeyGroups(cut, undefined)).toThrow(/beyond the end/);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => decodeKeyGroups(longer)).toThrow(/trailing bytes/);
  });

  it('names wrong magic, unsupported versions and index/block disagreement', () => {
    const { bytes, index } = encodeKeyGroups(rich);
    const other = bytes.slice();
    other.set([0x52, 0x4e, 0x4f, 0x53]); // "RNOS"
    expect(() => decodeKeyGroups(other)).toThrow(/bad magic "RNOS"/);
    const wrongIndex = index.map(([kg, off, len]) => [kg === 0 ? 1 : kg, off, len] as [number, number, number]);
    expect(() => decodeKeyGroups(bytes, wrongIndex)).toThrow(/index puts key group 1 at offset/);
    const shifted = index.map(([kg, off, len]) => [kg, off + 1, len] as [number, number, number]);
    expect(() => decodeKeyGroups(bytes, shifted)).toThrow(CheckpointCorruptedError);
  });
});
