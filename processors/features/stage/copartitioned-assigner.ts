import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * Gives each member the same partition numbers of every subscribed topic:
 * partition p of the readings and partition p of the state changelog go
 * together, so the process that owns an asset's readings also owns its
 * checkpoints and can restore them before it reads on. Partitions are
 * dealt round robin over the members sorted by id.
 */
export const COPARTITIONED_PROTOCOL = 'SmpCopartitioned';

export const copartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: COPARTITIONED_PROTOCOL,
  version: 0,

  async assign({ members, topics }) {
    const counts = topics.map((t) => cluster.findTopicPartitionMetadata(t).length);
    const partitions = counts[0] ?? 0;
    if (counts.some((c) => c !== partitions)) {
      const list = topics.map((t, i) => `${t} (${counts[i]})`).join(', ');
      throw new Error(`co-partitioned topics differ in partition count: ${list}`);
    }
    const ids = members.map((m) => m.memberId).sort();
    const owned = new Map<string, number[]>(ids.map((id) => [id, []]));
    for (let p = 0; p < partitions; p++) owned.get(ids[p % ids.length]!)!.push(p);

    return ids.map((memberId) => {
      const assignment = Object.fromEntries(topics.map((t) => [t, owned.get(memberId)!]));
      return {
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment,
          userData: Buffer.alloc(0),
        }),
      };
    });
  },

  protocol({ topics }) {
    return {
      name: COPARTITIONED_PROTOCOL,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 0,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});
