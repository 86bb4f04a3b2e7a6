import { describe, expect, it } from 'vitest';
import { KeyGroupsEncoder, decodeKeyGroups, encodeKeyGroups } from '../../src/index.js';

describe('KeyGroupsEncoder streaming API', () => {
  it('writes the same bytes as add() and skips empty key groups', () => {
    const groups = [
      { keyGroup: 3, entries: [{ state: 'count', key: 1, namespace: '', value: 5 }, { state: 'sum', key: 1, namespace: '', value: { a: [1, 2] } }] },
      { keyGroup: 9, entries: [{ state: 'count', key: 'k', namespace: 100, value: 7 }] },
    ];
    const reference = encodeKeyGroups(groups);
    const enc = new KeyGroupsEncoder();
    for (let kg = 0; kg < 12; kg++) {
      enc.beginKeyGroup(kg);
      for (const e of groups.find((g) => g.keyGroup === kg)?.entries ?? []) enc.entry(e.state, e.key, e.namespace, e.value);
      enc.endKeyGroup();
    }
    const streamed = enc.finish();
    expect(Buffer.from(streamed.bytes).equals(Buffer.from(reference.bytes))).toBe(true);
    expect(streamed.index).toEqual(reference.index);
    expect(decodeKeyGroups(streamed.bytes, streamed.index)).toEqual(groups);
  });

  it('reset() starts a new file in the same buffers: same bytes as a fresh encoder, earlier index intact', () => {
    const big = { keyGroup: 2, entries: Array.from({ length: 20_000 }, (_, i) => ({ state: 'count', key: i, namespace: 7, value: { n: i } })) };
    const small = { keyGroup: 5, entries: [{ state: 'sum', key: 'k', namespace: '', value: 1.5 }] };
    const enc = new KeyGroupsEncoder(64);
    enc.add(big);
    const first = enc.finish();
    const firstIndex = first.index.map((e) => [...e]);
    // Reset in every state: after finish, and in the middle of an open key group.
    for (const midGroup of [false, true]) {
      enc.reset();
      if (midGroup) {
        enc.beginKeyGroup(9);
        enc.entry('x', 1, '', 1);
        enc.reset();
      }
      enc.add(small);
      const again = enc.finish();
      const reference = encodeKeyGroups([small]);
      expect(Buffer.from(again.bytes).equals(Buffer.from(reference.bytes))).toBe(true);
      expect(again.index).toEqual(reference.index);
      expect(again.entryCount).toBe(1);
      expect(decodeKeyGroups(again.bytes, again.index)).toEqual([small]);
    }
    expect(first.index).toEqual(firstIndex);
  });

  it('rejects misuse', () => {
    const enc = new KeyGroupsEncoder();
    expect(() => enc.endKeyGroup()).toThrow(/without beginKeyGroup/);
    enc.beginKeyGroup(1);
    expect(() => enc.beginKeyGroup(2)).toThrow(/still open/);
    enc.endKeyGroup();
    expect(() => enc.beginKeyGroup(1)).toThrow();
  });
});
