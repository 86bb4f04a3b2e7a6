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

  it('rejects misuse', () => {
    const enc = new KeyGroupsEncoder();
    expect(() => enc.endKeyGroup()).toThrow(/without beginKeyGroup/);
    enc.beginKeyGroup(1);
    expect(() => enc.beginKeyGroup(2)).toThrow(/still open/);
    enc.endKeyGroup();
    expect(() => enc.beginKeyGroup(1)).toThrow();
  });
});
