// The committable's serializer: bound values (texts, numbers, NULL, bytes) round-trip exactly, and a corrupt or
// foreign payload fails at restore instead of becoming wrong rows.
import { describe, expect, it } from 'vitest';
import { mysqlCommittableSerializer, type MySqlCommittable } from '../../src/sink/mysql-committable.js';

describe('mysqlCommittableSerializer', () => {
  it('round-trips texts, numbers, NULL and bytes', () => {
    const c: MySqlCommittable = {
      batchId: 'token:7',
      subtask: 1,
      checkpointId: 7,
      rows: [
        ['18446744073709551615', 1.5, null, Buffer.from([0, 1, 255])],
        ['x\u0000y', -3, '😀', Buffer.alloc(0)],
      ],
      deletes: [['k']],
    };
    const back = mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize(c), 1);
    expect(back).toEqual(c);
    const plain: MySqlCommittable = { batchId: 'b', subtask: 0, checkpointId: 1, rows: [['a', 1, null]], deletes: [] };
    expect(mysqlCommittableSerializer.deserialize(mysqlCommittableSerializer.serialize(plain), 1)).toEqual(plain);
  });

  it('refuses other versions and corrupt payloads', () => {
    const bytes = mysqlCommittableSerializer.serialize({ batchId: 'b', subtask: 0, checkpointId: 1, rows: [], deletes: [] });
    expect(() => mysqlCommittableSerializer.deserialize(bytes, 2)).toThrow(/cannot read version 2/);
    expect(() => mysqlCommittableSerializer.deserialize(new TextEncoder().encode('{"batchId":"b","subtask":0,"checkpointId":1,"rows":[[{"x":1}]],"deletes":[]}'), 1)).toThrow(/invalid payload/);
    expect(() => mysqlCommittableSerializer.deserialize(new TextEncoder().encode('{"rows":[]}'), 1)).toThrow(/batchId, subtask or checkpointId missing/);
  });
});
