// A consumer group's committed offsets, read and committed without being a member of the group, as Flink's
// KafkaSource does (it commits for monitoring only; its readers are assigned partitions, not group members).
//
// Kafka: OffsetFetch needs no membership, and OffsetCommit with generation -1 and an empty member id (a "simple"
// commit, what the Java client sends for a consumer using `assign()`) is accepted while the group has no active
// members. kafkajs's admin `fetchOffsets`/`setOffsets` would do the same but first call DescribeGroups/ListGroups,
// which Mokapi does not implement, so this module talks to the coordinator directly.
//
// Mokapi (and any broker that ties offsets to membership) answers both requests with UNKNOWN_MEMBER_ID unless the
// connection itself joined the group. The fallback: when a group-less request gets UNKNOWN_MEMBER_ID and the group
// has no active members (DescribeGroups says Empty/Dead, or the broker cannot describe groups, as Mokapi), join the
// group on the coordinator connection as its only member with an empty assignment, then repeat the request. The
// membership is kept for the connection's life (Mokapi has no LeaveGroup) and renewed when the broker forgets it.
// On a real Kafka cluster the fallback is never taken: a simple commit only fails with UNKNOWN_MEMBER_ID when the
// group has active members, and then DescribeGroups says so and the commit fails with a configuration error instead
// of joining (joining would rebalance those members). A join costs a rebalance delay (3 s on Mokapi), once per
// client and group.
import type { TopicPartition } from './kafka-client.js';
import { KafkaClientError, partitionKey } from './kafka-client.js';
import { assignerProtocol, type InternalBroker, type InternalCluster, type PartitionRequest } from './kafkajs-internals.js';
import { toKafkaClientError } from './kafkajs-errors.js';

interface Membership {
  readonly memberId: string;
  readonly generationId: number;
}

/** Reads and commits a group's offsets through the group coordinator. */
export class KafkajsGroupOffsets {
  private readonly memberships = new Map<string, Promise<Membership>>();

  constructor(
    private readonly cluster: InternalCluster,
    private readonly secrets: readonly string[],
  ) {}

  /** Committed offsets (the next offset to read); undefined where the group has none. */
  async committed(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number | undefined>> {
    const result = new Map<string, number | undefined>();
    if (partitions.length === 0) return result;
    const topics = byTopic(partitions, (tp) => ({ partition: tp.partition }));
    const response = await this.withGroup(groupId, `Reading committed offsets of group '${groupId}'`, (coordinator) =>
      coordinator.offsetFetch({ groupId, topics }),
    );
    for (const { topic, partitions: answered } of response.responses) {
      for (const { partition, offset } of answered) {
        const value = Number(offset);
        result.set(partitionKey({ topic, partition }), value >= 0 ? value : undefined);
      }
    }
    for (const tp of partitions) if (!result.has(partitionKey(tp))) result.set(partitionKey(tp), undefined);
    return result;
  }

  /** Commits offsets (the next offset to read) for a group. */
  async commit(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): Promise<void> {
    if (offsets.length === 0) return;
    const topics = byTopic(offsets, (tp) => ({ partition: tp.partition, offset: String(tp.offset) }));
    await this.withGroup(groupId, `Committing offsets of group '${groupId}'`, async (coordinator, membership) =>
      coordinator.offsetCommit({
        groupId,
        groupGenerationId: membership?.generationId ?? -1,
        memberId: membership?.memberId ?? '',
        topics,
      }),
    );
  }

  /** Drops memberships (the connections they lived on are closed). */
  reset(): void {
    this.memberships.clear();
  }

  /**
   * Runs a request on the group's coordinator; on UNKNOWN_MEMBER_ID (or ILLEGAL_GENERATION after a membership
   * lapsed), joins as the only member where that disturbs nobody and runs it once more.
   */
  private async withGroup<T>(
    groupId: string,
    action: string,
    request: (coordinator: InternalBroker, membership: Membership | undefined) => Promise<T>,
  ): Promise<T> {
    try {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId });
      const known = this.memberships.get(groupId);
      const membership = known === undefined ? undefined : await known.catch(() => undefined);
      try {
        return await request(coordinator, membership);
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (type !== 'UNKNOWN_MEMBER_ID' && type !== 'ILLEGAL_GENERATION') throw error;
        if (membership !== undefined && this.memberships.get(groupId) === known) this.memberships.delete(groupId);
        const joined = await this.join(groupId, coordinator);
        return await request(coordinator, joined);
      }
    } catch (error) {
      throw toKafkaClientError(error, action, this.secrets);
    }
  }

  private join(groupId: string, coordinator: InternalBroker): Promise<Membership> {
    let membership = this.memberships.get(groupId);
    if (membership === undefined) {
      membership = this.joinAsSoleMember(groupId, coordinator);
      this.memberships.set(groupId, membership);
      membership.catch(() => this.memberships.delete(groupId));
    }
    return membership;
  }

  private async joinAsSoleMember(groupId: string, coordinator: InternalBroker): Promise<Membership> {
    try {
      const described = await coordinator.describeGroups({ groupIds: [groupId] });
      const group = described.groups.find((g) => g.groupId === groupId);
      if (group !== undefined && group.members.length > 0) {
        throw new KafkaClientError(
          `Group '${groupId}' has ${group.members.length} active member(s) (state ${group.state}): its offsets can only be ` +
            `committed by its members; use a 'properties.group.id' that no running consumer uses`,
          'configuration',
        );
      }
    } catch (error) {
      if (error instanceof KafkaClientError) throw error;
      // The broker cannot describe groups (Mokapi): nothing to check against; go on and join.
    }
    const join = await coordinator.joinGroup({
      groupId,
      // Long enough that the membership outlives commit intervals without heartbeats; renewed on UNKNOWN_MEMBER_ID.
      sessionTimeout: 300_000,
      rebalanceTimeout: 60_000,
      memberId: '',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'runnel-offsets', metadata: assignerProtocol.MemberMetadata.encode({ version: 0, topics: [] }) }],
    });
    await coordinator.syncGroup({
      groupId,
      generationId: join.generationId,
      memberId: join.memberId,
      groupAssignment:
        join.leaderId === join.memberId
          ? [{ memberId: join.memberId, memberAssignment: assignerProtocol.MemberAssignment.encode({ version: 0, assignment: {} }) }]
          : [],
    });
    return { memberId: join.memberId, generationId: join.generationId };
  }
}

function byTopic<T extends TopicPartition, P>(items: readonly T[], entry: (item: T) => P): PartitionRequest<P>[] {
  const topics = new Map<string, P[]>();
  for (const item of items) {
    let list = topics.get(item.topic);
    if (list === undefined) topics.set(item.topic, (list = []));
    list.push(entry(item));
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}
