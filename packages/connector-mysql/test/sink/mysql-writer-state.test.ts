// The writer state's serializer (the writer ids whose fence rows are still to be deleted): round trip, and a corrupt
// payload or an unknown version fails at restore instead of dropping the ids.
import { describe, expect, it } from 'vitest';
import { mysqlWriterStateSerializer } from '../../src/sink/mysql-writer-state.js';

describe('mysqlWriterStateSerializer', () => {
  it('round-trips a writer id and refuses corrupt payloads and other versions', () => {
    const s = { writerId: '0b6f3c1e-0c39-4a7b-9a37-3f1d2d0c9e11' };
    expect(mysqlWriterStateSerializer.deserialize(mysqlWriterStateSerializer.serialize(s), 1)).toEqual(s);
    expect(() => mysqlWriterStateSerializer.deserialize(mysqlWriterStateSerializer.serialize(s), 2)).toThrow(/cannot read version 2/);
    expect(() => mysqlWriterStateSerializer.deserialize(new TextEncoder().encode('{"writerId":'), 1)).toThrow(/invalid payload/);
    expect(() => mysqlWriterStateSerializer.deserialize(new TextEncoder().encode('{"writerId":""}'), 1)).toThrow(/no writer id/);
    expect(() => mysqlWriterStateSerializer.deserialize(new TextEncoder().encode('null'), 1)).toThrow(/no writer id/);
  });
});
