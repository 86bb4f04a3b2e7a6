import { describe, expect, it } from 'vitest';
import { CheckpointCorruptedError, checksumOf, decodeMetadata, encodeMetadata, referencedHandles, type CheckpointMetadata } from '../../src/index.js';

const handle = (ref: string, size = 100): { ref: string; size: number; checksum: string } => ({ ref, size, checksum: 'crc32:0badf00d' });

const meta: CheckpointMetadata = {
  format: 'runnel-checkpoint',
  version: 1,
  checkpointId: 7,
  kind: 'checkpoint',
  jobName: 'jöb ✓',
  timestamp: 1_700_000_000_123,
  operators: [
    {
      uid: 'agg',
      name: 'Window',
      parallelism: 2,
      maxParallelism: 128,
      keyedStates: [
        { name: 'acc', kind: 'aggregating', valueSerializer: { id: 'runnel.generic', version: 1 }, ttl: { ttlMs: 1000 } as never },
        { name: 'm', kind: 'map', valueSerializer: { id: 'runnel.generic', version: 1 }, mapKeySerializer: { id: 'runnel.generic', version: 1 } },
      ],
      keyGroupHandles: [
        { start: 0, end: 63, handle: handle('agg.keyed.0'), index: [[3, 19, 40], [9, 59, 30]] },
        { start: 64, end: 127, handle: handle('agg.keyed.1', 20), index: [] },
      ],
      operatorStates: [{ name: 'o', mode: 'union', serializer: { id: 'runnel.generic', version: 1 } }],
      operatorStateHandles: [{ subtask: 1, handle: handle('agg.op.1') }],
      coordinatorState: { serializer: { id: 'x', version: 2 }, handle: handle('agg.coord') },
    },
  ],
};

function envelope(json: string): Uint8Array {
  // Re-wrap arbitrary JSON with a correct header: tests the validation behind the checksum.
  const body = Buffer.from(json, 'utf8');
  return Buffer.concat([Buffer.from(`RUNNEL-CHECKPOINT-METADATA 1 ${checksumOf(body)} ${body.length}\n`), body]);
}

function mutated(mutate: (m: Record<string, any>) => void): Uint8Array {
  const m = JSON.parse(JSON.stringify(meta)) as Record<string, any>;
  mutate(m);
  return envelope(JSON.stringify(m));
}

describe('checkpoint metadata format', () => {
  it('round-trips and starts with a readable header', () => {
    const bytes = encodeMetadata(meta);
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/^RUNNEL-CHECKPOINT-METADATA 1 crc32:[0-9a-f]{8} \d+\n\{/);
    expect(decodeMetadata(bytes)).toEqual(meta);
    expect(referencedHandles(meta).map((h) => h.handle.ref)).toEqual(['agg.keyed.0', 'agg.keyed.1', 'agg.op.1', 'agg.coord']);
  });

  it("records an operator's watermark (absent when it had none) and rejects one that is not a finite number", () => {
    const withWatermark: CheckpointMetadata = { ...meta, operators: [{ ...meta.operators[0]!, watermark: 59_446 }] };
    expect(decodeMetadata(encodeMetadata(withWatermark)).operators[0]!.watermark).toBe(59_446);
    expect(decodeMetadata(encodeMetadata(meta)).operators[0]!.watermark).toBeUndefined();
    expect(() => decodeMetadata(mutated((m) => (m.operators[0].watermark = 'high')))).toThrow(/operators\[0\]\.watermark/);
  });

  it('refuses to encode invalid metadata', () => {
    expect(() => encodeMetadata({ ...meta, checkpointId: -1 })).toThrow(/checkpointId/);
  });

  it('detects every single-bit flip', () => {
    const bytes = encodeMetadata(meta);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = bytes.slice();
        damaged[i]! ^= 1 << bit;
        expect(() => decodeMetadata(damaged), `byte ${i} bit ${bit}`).toThrow(CheckpointCorruptedError);
      }
    }
  });

  it('detects truncation at every length and appended bytes, naming sizes', () => {
    const bytes = encodeMetadata(meta);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeMetadata(bytes.subarray(0, n)), `length ${n}`).toThrow(CheckpointCorruptedError);
    }
    expect(() => decodeMetadata(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated \(size \d+ of \d+ JSON bytes\)/);
    expect(() => decodeMetadata(new Uint8Array(0))).toThrow(/empty/);
    expect(() => decodeMetadata(Buffer.concat([bytes, Buffer.from('x')]))).toThrow(/1 bytes after the declared/);
  });

  it.each([
    ['garbage', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2]), 'malformed', /not a Runnel checkpoint metadata file \(starts with 0xdeadbeef/],
    ['bare JSON', Buffer.from(JSON.stringify(meta)), 'malformed', /not a Runnel checkpoint metadata file/],
    ['header version 2', Buffer.from('RUNNEL-CHECKPOINT-METADATA 2 crc32:00000000 2\n{}'), 'unsupported-version', /format version 2 is not supported/],
    ['JSON version 2', mutated((m) => (m.version = 2)), 'unsupported-version', /format version 2 is not supported/],
    ['wrong format name', mutated((m) => (m.format = 'flink')), 'malformed', /format: expected "runnel-checkpoint"/],
    ['not JSON', envelope('{"format": '), 'malformed', /not valid JSON/],
    ['missing operators', mutated((m) => delete m.operators), 'malformed', /operators: expected an array, got nothing/],
    ['bad size', mutated((m) => (m.operators[0].keyGroupHandles[0].handle.size = -3)), 'malformed', /operators\[0\]\.keyGroupHandles\[0\]\.handle\.size/],
    ['path traversal', mutated((m) => (m.operators[0].operatorStateHandles[0].handle.ref = '../chk-1/x')), 'malformed', /unsafe state file name/],
    ['absolute path', mutated((m) => (m.operators[0].coordinatorState.handle.ref = '/etc/passwd')), 'malformed', /path separator/],
    ['unknown checksum', mutated((m) => (m.operators[0].coordinatorState.handle.checksum = 'md5:00')), 'malformed', /unsupported or malformed checksum/],
    ['index outside range', mutated((m) => (m.operators[0].keyGroupHandles[0].index[0][0] = 64)), 'malformed', /outside the range \[0, 63\]/],
    ['index beyond file', mutated((m) => (m.operators[0].keyGroupHandles[0].index[1][2] = 1000)), 'malformed', /beyond the file size 100/],
    ['subtask >= parallelism', mutated((m) => (m.operators[0].operatorStateHandles[0].subtask = 2)), 'malformed', /not below the parallelism 2/],
    ['duplicate uid', mutated((m) => m.operators.push(m.operators[0])), 'malformed', /"agg" appears twice/],
    ['unknown state kind', mutated((m) => (m.operators[0].keyedStates[0].kind = 'bag')), 'malformed', /keyedStates\[0\]\.kind/],
  ])('rejects %s', (_name, bytes, problem, message) => {
    let error: unknown;
    try {
      decodeMetadata(bytes, { checkpoint: 'chk-7', file: '_metadata' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CheckpointCorruptedError);
    const e = error as CheckpointCorruptedError;
    expect(e.problem).toBe(problem);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^checkpoint chk-7, file "_metadata": /);
  });
});
