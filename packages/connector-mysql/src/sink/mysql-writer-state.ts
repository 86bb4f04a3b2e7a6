// What an exactly-once MySQL sink writer keeps in checkpoints: the ids of the writers whose fence rows are still to
// be deleted — its own (a writer of the next run deletes it) and those of the runs before it that it has not yet
// seen deleted. A restored writer gets them back (dealt over the subtasks at another parallelism) and names them
// in its committables; the committer deletes their rows once one is committed (mysql-fence.ts). Carried in the
// checkpoint rather than held by a committer, so a run killed before its first commit hands them on to the next.
// Persisted (id `runnel.mysql.writer-state`, version 1: UTF-8 JSON `{"writerId": ...}`).
import type { VersionedSerializer } from '@runnel/api';

/**
 * One writer id in an exactly-once MySQL sink writer's state.
 *
 * @public
 */
export interface MySqlWriterState {
  readonly writerId: string;
}

const ID = 'runnel.mysql.writer-state';
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The serializer of {@link MySqlWriterState}s.
 *
 * @public
 */
export const mysqlWriterStateSerializer: VersionedSerializer<MySqlWriterState> = Object.freeze({
  id: ID,
  version: 1,
  serialize(s: MySqlWriterState): Uint8Array {
    return Buffer.from(JSON.stringify({ writerId: s.writerId }), 'utf8');
  },
  deserialize(bytes: Uint8Array, version: number): MySqlWriterState {
    if (version !== 1) throw new RangeError(`${ID}: cannot read version ${version} (this serializer reads version 1)`);
    let v: unknown;
    try {
      v = JSON.parse(decoder.decode(bytes));
    } catch (e) {
      throw new Error(`${ID}: invalid payload: ${(e as Error).message}`);
    }
    const id = (v as { writerId?: unknown } | null)?.writerId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) throw new Error(`${ID}: invalid payload: no writer id`);
    return { writerId: id };
  },
});
