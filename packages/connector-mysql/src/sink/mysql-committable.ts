// What an exactly-once MySQL sink writer pre-commits at a checkpoint barrier and the committer applies when the
// checkpoint completes: the checkpoint's changes, already converted to bound values, under a batch id that is
// unique for ever (the writer's random token and the checkpoint id). The committer applies the rows and records the
// batch id in the fence table in one transaction; a replay after a restore finds the id there and changes nothing.
// Persisted in checkpoints as UTF-8 JSON (id `runnel.mysql.committable`, version 1); byte values as base64.
import type { VersionedSerializer } from '@runnel/api';
import type { MySqlBindValue } from '../types/mysql-types.js';
import type { MySqlChangeBatch } from './mysql-statements.js';
import { loadValues, storeValues, type StoredBindValue } from '../jdbc/bind-values-json.js';

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
}

const ID = 'runnel.mysql.committable';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function store(rows: readonly MySqlBindValue[][]): readonly (readonly StoredBindValue[])[] {
  // Without byte values the rows are their own JSON (the common case: no copy of a checkpoint's rows).
  for (const r of rows) for (const v of r) if (Buffer.isBuffer(v)) return rows.map(storeValues);
  return rows as readonly (readonly StoredBindValue[])[];
}

function load(rows: unknown, what: string): MySqlBindValue[][] {
  if (!Array.isArray(rows)) throw new Error(`${ID}: invalid payload: ${what} is not a list`);
  try {
    return rows.map((r: unknown) => loadValues(r, `a row of ${what}`));
  } catch (e) {
    throw new Error(`${ID}: ${(e as Error).message}`);
  }
}

/**
 * The serializer of {@link MySqlCommittable}s.
 *
 * @public
 */
export const mysqlCommittableSerializer: VersionedSerializer<MySqlCommittable> = Object.freeze({
  id: ID,
  version: 1,
  serialize(c: MySqlCommittable): Uint8Array {
    return encoder.encode(JSON.stringify({ batchId: c.batchId, subtask: c.subtask, checkpointId: c.checkpointId, rows: store(c.rows), deletes: store(c.deletes) }));
  },
  deserialize(bytes: Uint8Array, version: number): MySqlCommittable {
    if (version !== 1) throw new RangeError(`${ID}: cannot read version ${version} (this serializer reads version 1)`);
    const v = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
    if (typeof v['batchId'] !== 'string' || typeof v['subtask'] !== 'number' || typeof v['checkpointId'] !== 'number') {
      throw new Error(`${ID}: invalid payload: batchId, subtask or checkpointId missing`);
    }
    return { batchId: v['batchId'], subtask: v['subtask'], checkpointId: v['checkpointId'], rows: load(v['rows'], 'rows'), deletes: load(v['deletes'], 'deletes') };
  },
});
