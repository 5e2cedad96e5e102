import { AssignerProtocol, type Cluster } from 'kafkajs';
import { copartitionedAssigner } from '../../../../processors/features/stage/copartitioned-assigner';

function assignerFor(partitions: Record<string, number>) {
  const cluster = {
    findTopicPartitionMetadata: (topic: string) =>
      Array.from({ length: partitions[topic] ?? 0 }, (_, partitionId) => ({ partitionId })),
  } as unknown as Cluster;
  return copartitionedAssigner({ cluster, groupId: 'g', logger: {} as never });
}

describe('the co-partitioned assigner', () => {
  it('gives each member the same partition numbers of the readings and the changelog', async () => {
    const assigner = assignerFor({ readings: 6, changelog: 6 });
    const members = ['m-b', 'm-a', 'm-c'].map((memberId) => ({
      memberId,
      memberMetadata: Buffer.alloc(0),
    }));
    const result = await assigner.assign({ members, topics: ['readings', 'changelog'] });
    const decoded = Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment,
      ]),
    );
    expect(decoded).toEqual({
      'm-a': { readings: [0, 3], changelog: [0, 3] },
      'm-b': { readings: [1, 4], changelog: [1, 4] },
      'm-c': { readings: [2, 5], changelog: [2, 5] },
    });
  });

  it('refuses topics whose partition counts differ', async () => {
    const assigner = assignerFor({ readings: 6, changelog: 3 });
    const members = [{ memberId: 'm', memberMetadata: Buffer.alloc(0) }];
    await expect(assigner.assign({ members, topics: ['readings', 'changelog'] })).rejects.toThrow(
      'co-partitioned topics differ in partition count: readings (6), changelog (3)',
    );
  });
});
