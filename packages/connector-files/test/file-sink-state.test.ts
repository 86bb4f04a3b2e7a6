import { describe, expect, it } from 'vitest';
import { fileSinkCommittableSerializer, fileSinkWriterStateSerializer } from '../src/file-sink-state.js';

const encode = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

describe('file sink serializers', () => {
  it('round-trip committables and writer state under stable ids and versions', () => {
    const c = { pendingName: '.part-0-3-1.jsonl.inprogress', finalName: 'part-0-4-1.jsonl', size: 1234 };
    expect([fileSinkCommittableSerializer.id, fileSinkCommittableSerializer.version]).toEqual(['runnel.files.sink-committable', 1]);
    expect(fileSinkCommittableSerializer.deserialize(fileSinkCommittableSerializer.serialize(c), 1)).toEqual(c);
    const s = { subtask: 3, checkpointId: 42, nextCounter: 7 };
    expect([fileSinkWriterStateSerializer.id, fileSinkWriterStateSerializer.version]).toEqual(['runnel.files.sink-writer-state', 1]);
    expect(fileSinkWriterStateSerializer.deserialize(fileSinkWriterStateSerializer.serialize(s), 1)).toEqual(s);
  });

  it('refuses unknown versions, names that leave the sink directory, and malformed payloads', () => {
    const c = { pendingName: '.a', finalName: 'a', size: 1 };
    expect(() => fileSinkCommittableSerializer.deserialize(fileSinkCommittableSerializer.serialize(c), 2)).toThrow(/version 2/);
    for (const finalName of ['../x', 'a/b', '..', '', 'c:\\x']) {
      expect(() => fileSinkCommittableSerializer.deserialize(encode({ ...c, finalName }), 1)).toThrow(/plain file names/);
    }
    expect(() => fileSinkCommittableSerializer.deserialize(encode({ ...c, size: -1 }), 1)).toThrow(/size/);
    expect(() => fileSinkWriterStateSerializer.deserialize(encode({ subtask: 0, checkpointId: 1 }), 1)).toThrow(/invalid payload/);
  });
});
