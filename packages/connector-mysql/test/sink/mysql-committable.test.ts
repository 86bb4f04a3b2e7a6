// The committable's serializer: packed bound values (texts, numbers, NULL, bytes) and the fence's checkpoints
// (the writer's previous checkpoint, the writers to retire) round-trip exactly, version 2 payloads (no such checkpoints: read
// without them, which the fence treats as committables of before layout 2) and version 1
// payloads (JSON, an array per row: checkpoints taken before the packed layout) are still read, and a corrupt or
// foreign payload fails at restore instead of becoming wrong rows.
import { describe, expect, it } from 'vitest';
import { mysqlCommittableSerializer, type MySqlCommittable } from '../../src/sink/mysql-committable.js';
import { packValues, unpackValues } from '../../src/sink/packed-values.js';
import type { MySqlBindValue } from '../../src/types/mysql-types.js';

const encode = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const unpack = (bytes: Uint8Array, n: number): MySqlBindValue[] => {
  const out: MySqlBindValue[] = [];
  expect(unpackValues(bytes, 0, n, out)).toBe(bytes.length);
  return out;
};

function committable(values: MySqlBindValue[], width: number, keys: MySqlBindValue[], keyWidth: number): MySqlCommittable {
  return {
    batchId: 'token:7',
    subtask: 1,
    checkpointId: 7,
    width,
    keyWidth,
    rowCount: width > 0 ? values.length / width : 0,
    deleteCount: keyWidth > 0 ? keys.length / keyWidth : 0,
    rows: packValues(values),
    deletes: packValues(keys),
  };
}

describe('mysqlCommittableSerializer', () => {
  it('round-trips texts, numbers, NULL and bytes', () => {
    const values = ['18446744073709551615', 1.5, null, Buffer.from([0, 1, 255]), 'x\u0000y\'`"\\;', -3, '😀\u200f', Buffer.alloc(0)];
    const c = { ...committable(values, 4, ['k', 'é'], 1), previousCheckpointId: 5, retiredWriters: ['w-a', 'w-b'] };
    expect(mysqlCommittableSerializer.version).toBe(3);
    const back = mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize(c), 3);
    expect(back).toEqual(c);
    expect(unpack(back.rows, 8)).toEqual(values);
    expect(unpack(back.deletes, 2)).toEqual(['k', 'é']);
    const empty = { ...committable([], 3, [], 1), previousCheckpointId: 0 };
    expect(mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize(empty), 3)).toEqual(empty);
    // A committable read from version 2 has no fence checkpoints, and keeps having none when written again.
    const old = committable(values, 4, ['k', 'é'], 1);
    expect(mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize(old), 3)).toEqual(old);
    expect(() => mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize({ ...c, previousCheckpointId: -1 }), 3)).toThrow(/previousCheckpointId is not a count/);
    expect(() => mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize({ ...c, retiredWriters: [1 as unknown as string] }), 3)).toThrow(/retiredWriters is not a list/);
  });

  it('reads version 2 payloads (the header without the fence checkpoints)', () => {
    const rows = packValues(['1', 'a']);
    const header = Buffer.from(JSON.stringify({ batchId: 'w:6', subtask: 0, checkpointId: 6, width: 2, keyWidth: 1, rowCount: 1, deleteCount: 0, rowBytes: rows.length, deleteBytes: 0 }));
    const v2 = Buffer.concat([Buffer.alloc(4), header, rows]);
    v2.writeUInt32LE(header.length, 0);
    const c = mysqlCommittableSerializer.deserialize(v2, 2);
    expect(c).toEqual({ batchId: 'w:6', subtask: 0, checkpointId: 6, width: 2, keyWidth: 1, rowCount: 1, deleteCount: 0, rows: Buffer.from(rows), deletes: Buffer.alloc(0) });
    expect('previousCheckpointId' in c).toBe(false);
  });

  it('reads version 1 payloads (JSON, an array per row) into the packed layout', () => {
    const v1 = encode({ batchId: 't:3', subtask: 2, checkpointId: 3, rows: [['1', 'a', { b: 'AAH/' }], ['2', null, { b: '' }]], deletes: [['9'], ['8']] });
    const c = mysqlCommittableSerializer.deserialize(v1, 1);
    expect({ ...c, rows: undefined, deletes: undefined }).toEqual({ batchId: 't:3', subtask: 2, checkpointId: 3, width: 3, keyWidth: 1, rowCount: 2, deleteCount: 2 });
    expect(unpack(c.rows, 6)).toEqual(['1', 'a', Buffer.from([0, 1, 255]), '2', null, Buffer.alloc(0)]);
    expect(unpack(c.deletes, 2)).toEqual(['9', '8']);
    expect(() => mysqlCommittableSerializer.deserialize(encode({ batchId: 'b', subtask: 0, checkpointId: 1, rows: [['1', 'a'], ['2']], deletes: [] }), 1)).toThrow(/differ in length/);
  });

  it('refuses other versions and corrupt payloads', () => {
    const good = mysqlCommittableSerializer.serialize(committable(['a', 1], 2, ['a'], 1));
    expect(() => mysqlCommittableSerializer.deserialize(good, 4)).toThrow(/cannot read version 4/);
    expect(() => mysqlCommittableSerializer.deserialize(encode({ batchId: 'b', subtask: 0, checkpointId: 1, rows: [[{ x: 1 }]], deletes: [] }), 1)).toThrow(/invalid payload/);
    expect(() => mysqlCommittableSerializer.deserialize(encode({ rows: [] }), 1)).toThrow(/batchId, subtask or checkpointId missing/);
    // Cut off, one byte too many, a tag flipped, a length that runs past the end, a count that does not match.
    expect(() => mysqlCommittableSerializer.deserialize(good.subarray(0, good.length - 1), 3)).toThrow(/invalid payload/);
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(() => mysqlCommittableSerializer.deserialize(longer, 3)).toThrow(/invalid payload/);
    const headerEnd = 4 + Buffer.from(good).readUInt32LE(0);
    const badTag = Uint8Array.from(good);
    badTag[headerEnd] = 9;
    expect(() => mysqlCommittableSerializer.deserialize(badTag, 3)).toThrow(/unknown tag 9/);
    const badLength = Uint8Array.from(good);
    Buffer.from(badLength.buffer).writeUInt32LE(1000, headerEnd + 1);
    expect(() => mysqlCommittableSerializer.deserialize(badLength, 3)).toThrow(/not well formed/);
    const wrongCount = mysqlCommittableSerializer.serialize({ ...committable(['a', 1], 2, [], 1), rowCount: 2 });
    expect(() => mysqlCommittableSerializer.deserialize(wrongCount, 3)).toThrow(/not well formed/);
    expect(() => mysqlCommittableSerializer.deserialize(new Uint8Array([1, 0]), 3)).toThrow(/header is cut off/);
  });
});
