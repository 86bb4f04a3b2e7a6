// What the exactly-once sink puts into checkpoints: per checkpoint, subtask and shard, the batches to insert when
// the checkpoint completes, as the exact JSONEachRow text (versions included). Committing the same committable
// again after a restore sends byte-identical batches with the same deduplication tokens, which is what makes the
// re-commit invisible (see clickhouse-committer.ts). Serialized as JSON under a serializer id and version.
import type { VersionedSerializer } from '@runnel/api';

/**
 * The rows of one checkpoint of one subtask for one shard.
 *
 * @public
 */
export interface ClickHouseCommittable {
  readonly subtask: number;
  readonly checkpointId: number;
  readonly shard: number;
  /** The batches, each JSONEachRow lines joined by `\n`, in the order they are inserted. */
  readonly batches: readonly string[];
  readonly rows: number;
}

const ID = 'runnel.clickhouse.sink-committable';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Serializer of {@link ClickHouseCommittable} (`runnel.clickhouse.sink-committable`, version 1).
 *
 * @public
 */
export const clickhouseCommittableSerializer: VersionedSerializer<ClickHouseCommittable> = {
  id: ID,
  version: 1,
  serialize(value: ClickHouseCommittable): Uint8Array {
    return encoder.encode(JSON.stringify(value));
  },
  deserialize(bytes: Uint8Array, version: number): ClickHouseCommittable {
    if (version !== 1) throw new Error(`${ID}: unknown version ${version} (this build reads version 1)`);
    const v = JSON.parse(decoder.decode(bytes)) as ClickHouseCommittable;
    if (typeof v !== 'object' || v === null || !Array.isArray(v.batches) || typeof v.checkpointId !== 'number' || typeof v.shard !== 'number' || typeof v.subtask !== 'number') {
      throw new Error(`${ID}: not a ClickHouse committable`);
    }
    return v;
  },
};
