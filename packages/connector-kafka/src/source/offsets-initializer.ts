// Where a split starts and, for a bounded read, where it stops (Flink's `OffsetsInitializer`): the earliest
// retained offset, the end offset, the group's committed offset (with a reset strategy for partitions the group has
// none for), the first record at or after a timestamp, or given offsets per partition. Initializers are plain data
// (no closures), so a source built from options is the same in every worker; `resolveOffsets` turns one into
// concrete offsets with the enumerator's client, once per discovered partition.
import { ConfigurationError } from '@runnel/api/config';
import { partitionKey, type KafkaClient, type TopicPartition } from '../client/kafka-client.js';

/**
 * What `committedOffsets` does for a partition the group has not committed: start at the earliest or latest
 * offset, or fail (`none`, Kafka's `auto.offset.reset` values).
 *
 * @public
 */
export type OffsetResetStrategy = 'earliest' | 'latest' | 'none';

/**
 * An offsets initializer (build one with {@link OffsetsInitializer}'s functions).
 *
 * @public
 */
export type OffsetsInitializer =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'committed'; readonly reset: OffsetResetStrategy }
  | { readonly kind: 'timestamp'; readonly timestamp: number }
  | { readonly kind: 'specific'; readonly offsets: ReadonlyMap<string, number>; readonly reset: OffsetResetStrategy };

/**
 * The offsets initializers.
 *
 * @public
 */
export const OffsetsInitializer = {
  /** The earliest retained offset of each partition. */
  earliest(): OffsetsInitializer {
    return { kind: 'earliest' };
  },
  /** The end offset of each partition (when the partition is discovered). */
  latest(): OffsetsInitializer {
    return { kind: 'latest' };
  },
  /** The group's committed offsets; `reset` for partitions without one (default `none`: fail). */
  committedOffsets(reset: OffsetResetStrategy = 'none'): OffsetsInitializer {
    return { kind: 'committed', reset };
  },
  /** The first offset whose record timestamp is at or after `timestamp` (ms since the epoch); the end offset when none. */
  timestamp(timestamp: number): OffsetsInitializer {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`timestamp must be a non-negative integer (ms), got ${timestamp}`);
    return { kind: 'timestamp', timestamp };
  },
  /**
   * Given offsets per partition; partitions not listed start at the group's committed offset, else as `reset` says
   * (default `earliest`). As stopping offsets, partitions not listed are not read.
   */
  offsets(offsets: Iterable<TopicPartition & { readonly offset: number }>, reset: OffsetResetStrategy = 'earliest'): OffsetsInitializer {
    const map = new Map<string, number>();
    for (const o of offsets) {
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) throw new RangeError(`offset of ${partitionKey(o)} must be a non-negative integer, got ${o.offset}`);
      map.set(partitionKey(o), o.offset);
    }
    return { kind: 'specific', offsets: map, reset };
  },
} as const;

/**
 * A one-line description of an initializer, for plan summaries.
 *
 * @public
 */
export function describeOffsetsInitializer(init: OffsetsInitializer): string {
  switch (init.kind) {
    case 'earliest':
    case 'latest':
      return init.kind;
    case 'committed':
      return `committed (reset ${init.reset})`;
    case 'timestamp':
      return `timestamp ${init.timestamp}`;
    case 'specific':
      return `offsets ${[...init.offsets].map(([k, v]) => `${k}:${v}`).join(',')}`;
  }
}

/**
 * Resolves an initializer into concrete offsets for `partitions` (by `partitionKey`). `role` `stopping` makes
 * partitions missing from `specific` offsets stop where they start (not read), as Flink's bounded
 * `specific-offsets` does.
 *
 * @param groupId - the group whose committed offsets `committed` (and `specific`'s fallback) reads
 * @throws ConfigurationError when committed offsets are asked for without a group id, or a partition has none and
 *   the reset strategy is `none`
 * @public
 */
export async function resolveOffsets(
  init: OffsetsInitializer,
  partitions: readonly TopicPartition[],
  client: KafkaClient,
  groupId: string | undefined,
  role: 'starting' | 'stopping',
): Promise<Map<string, number>> {
  if (partitions.length === 0) return new Map();
  switch (init.kind) {
    case 'earliest':
      return client.earliestOffsets(partitions);
    case 'latest':
      return client.latestOffsets(partitions);
    case 'timestamp':
      return client.offsetsForTimestamp(partitions, init.timestamp);
    case 'committed':
      return committedOrReset(partitions, client, groupId, init.reset);
    case 'specific': {
      const out = new Map<string, number>();
      const rest: TopicPartition[] = [];
      for (const tp of partitions) {
        const o = init.offsets.get(partitionKey(tp));
        if (o !== undefined) out.set(partitionKey(tp), o);
        else rest.push(tp);
      }
      if (rest.length === 0) return out;
      if (role === 'stopping') {
        // Not listed: not read (stopping at 0 is before any starting offset, so the split ends at once).
        for (const tp of rest) out.set(partitionKey(tp), 0);
        return out;
      }
      const fallback = groupId === undefined ? await resolveReset(rest, client, init.reset, undefined) : await committedOrReset(rest, client, groupId, init.reset);
      for (const [k, v] of fallback) out.set(k, v);
      return out;
    }
  }
}

async function committedOrReset(
  partitions: readonly TopicPartition[],
  client: KafkaClient,
  groupId: string | undefined,
  reset: OffsetResetStrategy,
): Promise<Map<string, number>> {
  if (groupId === undefined || groupId === '') {
    throw new ConfigurationError(
      "the group's committed offsets are asked for (scan.startup.mode 'group-offsets'), but no group is set: set 'properties.group.id'",
      'properties.group.id',
    );
  }
  const committed = await client.committedOffsets(groupId, partitions);
  const out = new Map<string, number>();
  const missing: TopicPartition[] = [];
  for (const tp of partitions) {
    const o = committed.get(partitionKey(tp));
    if (o === undefined || o < 0) missing.push(tp);
    else out.set(partitionKey(tp), o);
  }
  if (missing.length > 0) for (const [k, v] of await resolveReset(missing, client, reset, groupId)) out.set(k, v);
  return out;
}

async function resolveReset(
  partitions: readonly TopicPartition[],
  client: KafkaClient,
  reset: OffsetResetStrategy,
  groupId: string | undefined,
): Promise<Map<string, number>> {
  if (reset === 'earliest') return client.earliestOffsets(partitions);
  if (reset === 'latest') return client.latestOffsets(partitions);
  const names = partitions.map(partitionKey).join(', ');
  throw new ConfigurationError(
    `no committed offset for ${names} in group '${groupId ?? ''}' and the reset strategy is 'none': ` +
      "set 'properties.auto.offset.reset' to 'earliest' or 'latest', or choose another 'scan.startup.mode'",
    'properties.auto.offset.reset',
  );
}
