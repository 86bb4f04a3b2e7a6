import { describe, expect, it } from 'vitest';
import { fileEnumeratorStateSerializer, fileSplitSerializer } from '../src/file-split.js';

describe('file split serializers', () => {
  it('round-trips splits and enumerator state under stable ids', () => {
    const split = { splitId: '/d/ä.jsonl', path: '/d/ä.jsonl', offset: 123_456_789_012, line: 42 };
    expect(fileSplitSerializer.id).toBe('runnel.files.split');
    expect(fileSplitSerializer.deserialize(fileSplitSerializer.serialize(split), 1)).toEqual(split);
    const state = { pendingSplits: [split], discoveredPaths: ['/d/a', '/d/ä.jsonl'], initialDiscoveryDone: true };
    expect(fileEnumeratorStateSerializer.id).toBe('runnel.files.enumerator-state');
    const bytes = fileEnumeratorStateSerializer.serialize(state);
    expect(fileEnumeratorStateSerializer.deserialize(bytes, 1)).toEqual(state);
  });

  it('refuses unknown versions and malformed payloads', () => {
    const bytes = fileSplitSerializer.serialize({ splitId: 'a', path: 'a', offset: 0, line: 1 });
    expect(() => fileSplitSerializer.deserialize(bytes, 2)).toThrow(/version 2/);
    const bad = new TextEncoder().encode(JSON.stringify({ splitId: 'a', path: 'a', offset: -1, line: 1 }));
    expect(() => fileSplitSerializer.deserialize(bad, 1)).toThrow(/offset/);
    const noState = new TextEncoder().encode('{"pendingSplits":[]}');
    expect(() => fileEnumeratorStateSerializer.deserialize(noState, 1)).toThrow(/invalid payload/);
  });
});
