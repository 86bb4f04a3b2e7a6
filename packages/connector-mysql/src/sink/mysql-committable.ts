// What an exactly-once MySQL sink writer pre-commits at a checkpoint barrier and the committer applies when the
// checkpoint completes: the checkpoint's changes, already converted to bound values and packed (packed-values.ts),
// under a batch id that is unique for ever (the writer's random token and the checkpoint id). The committer applies
// the rows and records the batch id in the fence table in one transaction; a replay after a restore finds the id
// there and changes nothing.
// Persisted in checkpoints (id `runnel.mysql.committable`). Version 3: a uint32 (little-endian) length, a UTF-8 JSON
// header (batch id, subtask, checkpoint id, the writer's previous checkpoint with changes and the writers whose fence
// rows go once it is committed — what the fence table's layout 2 needs, mysql-fence.ts —, widths, counts, byte
// lengths), then the
// packed rows and the packed keys as they are — serializing is one copy, not a JSON of every value. Version 2 is the
// same header without the fence's fields; version 1 (JSON, an array of values per row, bytes as base64) is still
// read too, so checkpoints taken before stay restorable. A payload whose packed values are not well formed fails at
// restore.
import type { VersionedSerializer } from '@runnel/api';
import type { MySqlBindValue } from '../types/mysql-types.js';
import type { MySqlChangeBatch } from './mysql-statements.js';
import { loadValues } from '../jdbc/bind-values-json.js';
import { checkPacked, packValues } from './packed-values.js';

/**
 * One writer's changes of one checkpoint.
 *
 * @public
 */
export interface MySqlCommittable extends MySqlChangeBatch {
  /** Unique for ever: `<writer token>:<checkpoint id>`; the fence table's key. */
  readonly batchId: string;
  readonly subtask: number;
  readonly checkpointId: number;
  /**
   * The checkpoint of the writer's previous committable with changes (0: none). Absent in committables of
   * checkpoints taken before version 3 of the serializer.
   */
  readonly previousCheckpointId?: number;
  /**
   * Writers of the runs before this writer's (the ones whose state it restored), whose fence rows are deleted once
   * this committable is committed: no checkpoint from this one on can hold their committables.
   */
  readonly retiredWriters?: readonly string[];
}

/**
 * The id of the writer that made a committable: its batch id without the checkpoint.
 *
 * @internal
 */
export function writerIdOf(c: MySqlCommittable): string {
  const i = c.batchId.lastIndexOf(':');
  return i < 0 ? c.batchId : c.batchId.slice(0, i);
}

const ID = 'runnel.mysql.committable';
const decoder = new TextDecoder('utf-8', { fatal: true });

function invalid(why: string): Error {
  return new Error(`${ID}: invalid payload: ${why}`);
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(`${what} is not a count`);
  return v;
}

/** The retired writers of a version 3 header (absent when none). */
function writersOf(v: unknown): { retiredWriters?: string[] } {
  if (v === undefined) return {};
  if (!Array.isArray(v) || !v.every((w) => typeof w === 'string')) throw invalid('retiredWriters is not a list of writer ids');
  return { retiredWriters: v as string[] };
}

/** A checkpoint id of a version 3 header (absent there when the committable came from an older version). */
function checkpointOf(h: Record<string, unknown>, key: string): { [k: string]: number } {
  return h[key] === undefined ? {} : { [key]: count(h[key], key) };
}

/** Version 1's rows (an array of values per row), packed; every row must have the same width. */
function loadV1(rows: unknown, what: string): { packed: Buffer; width: number; count: number } {
  if (!Array.isArray(rows)) throw invalid(`${what} is not a list`);
  const values: MySqlBindValue[] = [];
  let w = -1;
  for (const r of rows) {
    let vs: MySqlBindValue[];
    try {
      vs = loadValues(r, `a row of ${what}`);
    } catch (e) {
      throw new Error(`${ID}: ${(e as Error).message}`);
    }
    if (w >= 0 && vs.length !== w) throw invalid(`rows of ${what} differ in length`);
    w = vs.length;
    for (const v of vs) values.push(v);
  }
  return { packed: packValues(values), width: Math.max(w, 0), count: rows.length };
}

function deserializeV1(bytes: Uint8Array): MySqlCommittable {
  const v = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  if (typeof v['batchId'] !== 'string' || typeof v['subtask'] !== 'number' || typeof v['checkpointId'] !== 'number') {
    throw invalid('batchId, subtask or checkpointId missing');
  }
  const rows = loadV1(v['rows'], 'rows');
  const deletes = loadV1(v['deletes'], 'deletes');
  return {
    batchId: v['batchId'],
    subtask: v['subtask'],
    checkpointId: v['checkpointId'],
    width: rows.width,
    keyWidth: deletes.width,
    rowCount: rows.count,
    deleteCount: deletes.count,
    rows: rows.packed,
    deletes: deletes.packed,
  };
}

/**
 * The serializer of {@link MySqlCommittable}s.
 *
 * @public
 */
export const mysqlCommittableSerializer: VersionedSerializer<MySqlCommittable> = Object.freeze({
  id: ID,
  version: 3,
  serialize(c: MySqlCommittable): Uint8Array {
    const header = Buffer.from(
      JSON.stringify({
        batchId: c.batchId,
        subtask: c.subtask,
        checkpointId: c.checkpointId,
        previousCheckpointId: c.previousCheckpointId,
        retiredWriters: c.retiredWriters !== undefined && c.retiredWriters.length > 0 ? c.retiredWriters : undefined,
        width: c.width,
        keyWidth: c.keyWidth,
        rowCount: c.rowCount,
        deleteCount: c.deleteCount,
        rowBytes: c.rows.length,
        deleteBytes: c.deletes.length,
      }),
      'utf8',
    );
    const out = Buffer.allocUnsafe(4 + header.length + c.rows.length + c.deletes.length);
    out.writeUInt32LE(header.length, 0);
    let p = 4 + header.copy(out, 4);
    out.set(c.rows, p);
    p += c.rows.length;
    out.set(c.deletes, p);
    return out;
  },
  deserialize(bytes: Uint8Array, version: number): MySqlCommittable {
    if (version === 1) return deserializeV1(bytes);
    if (version !== 2 && version !== 3) throw new RangeError(`${ID}: cannot read version ${version} (this serializer reads versions 1 to 3)`);
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (b.length < 4 || 4 + b.readUInt32LE(0) > b.length) throw invalid('the header is cut off');
    const end = 4 + b.readUInt32LE(0);
    let h: Record<string, unknown>;
    try {
      h = JSON.parse(decoder.decode(b.subarray(4, end))) as Record<string, unknown>;
    } catch (e) {
      throw invalid(`the header is not JSON (${(e as Error).message})`);
    }
    if (typeof h['batchId'] !== 'string' || typeof h['subtask'] !== 'number' || typeof h['checkpointId'] !== 'number') {
      throw invalid('batchId, subtask or checkpointId missing');
    }
    const width = count(h['width'], 'width');
    const keyWidth = count(h['keyWidth'], 'keyWidth');
    const rowCount = count(h['rowCount'], 'rowCount');
    const deleteCount = count(h['deleteCount'], 'deleteCount');
    const rowBytes = count(h['rowBytes'], 'rowBytes');
    const deleteBytes = count(h['deleteBytes'], 'deleteBytes');
    if (end + rowBytes + deleteBytes !== b.length) throw invalid(`${b.length - end} bytes of values, the header says ${rowBytes + deleteBytes}`);
    // Copies: the committable must not pin (or see changes of) the buffer it was read from.
    const rows = Buffer.from(b.subarray(end, end + rowBytes));
    const deletes = Buffer.from(b.subarray(end + rowBytes));
    const bad = checkPacked(rows, rowCount * width) ?? checkPacked(deletes, deleteCount * keyWidth);
    if (bad !== undefined) throw invalid(`the packed values are not well formed: ${bad}`);
    return {
      batchId: h['batchId'],
      subtask: h['subtask'],
      checkpointId: h['checkpointId'],
      ...checkpointOf(h, 'previousCheckpointId'),
      ...writersOf(h['retiredWriters']),
      width,
      keyWidth,
      rowCount,
      deleteCount,
      rows,
      deletes,
    };
  },
});
