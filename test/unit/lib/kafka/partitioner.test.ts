import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { JavaCompatiblePartitioner, murmur2 } from '../../../../lib/kafka/partitioner';

const metadata = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    partitionId: i,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

describe('the Java-compatible partitioner', () => {
  it("matches Kafka's murmur2 on known keys", () => {
    // Values of org.apache.kafka.common.utils.Utils.murmur2 for these keys.
    expect(murmur2(Buffer.from(''))).toBe(275646681);
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(
      -58897971,
    );
  });

  it("puts every key on the partition kafkajs's default partitioner chooses", () => {
    const ours = JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 6, 7, 64]) {
      const partitionMetadata = metadata(partitions);
      for (let i = 0; i < 2_000; i++) {
        const key = i % 2 === 0 ? randomBytes(i % 40) : `pump-${i}-ü`;
        const args = { topic: 't', partitionMetadata, message: { key, value: null } };
        expect(ours(args)).toBe(theirs(args));
      }
    }
  });

  it('keeps an explicit partition and spreads records without a key', () => {
    const partition = JavaCompatiblePartitioner();
    const partitionMetadata = metadata(6);
    expect(
      partition({
        topic: 't',
        partitionMetadata,
        message: { key: 'a', value: null, partition: 4 },
      }),
    ).toBe(4);
    const chosen = new Set(
      Array.from({ length: 12 }, () =>
        partition({ topic: 't', partitionMetadata, message: { value: null } }),
      ),
    );
    expect(chosen.size).toBe(6);
  });
});
