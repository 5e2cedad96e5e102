import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { contractTopicSpecs, ensureTopics, topics } from '../../../lib/kafka/topics';
import { startPrivateKafka, type PrivateKafka } from '../../support/servers';
import {
  TestKeys,
  postReadings,
  reading,
  recordsBetween,
  startTestGateway,
  testKafka,
  topicEnds,
  type TestGateway,
} from '../../support/gateway';

interface Outcome {
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  readonly assetIds: readonly string[];
}

/**
 * Kills the broker under a steady stream of batches and brings it back:
 * the gateway must answer 503 with Retry-After while Kafka is gone, never
 * 202 for records Kafka did not take, and accept again by itself once the
 * broker is back. Every reading answered 202 must be on the topic.
 */
describe('a Kafka outage under load', () => {
  let broker: PrivateKafka;
  let kafka: Kafka;
  let gateway: TestGateway;
  let keys: TestKeys;

  beforeAll(async () => {
    broker = await startPrivateKafka();
    kafka = testKafka(broker.config);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, contractTopicSpecs(broker.config));
    await admin.disconnect();
    gateway = await startTestGateway({
      kafkaBrokers: broker.config.kafkaBrokers,
      gatewayProduceTimeoutMs: 1_500,
    });
    keys = new TestKeys();
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await keys?.close();
    await broker?.dispose();
  }, 60_000);

  it('answers 503 with Retry-After while the broker is down and recovers by itself', async () => {
    const { key } = await keys.create(['data:ingest']);
    const outcomes: Outcome[] = [];
    let streaming = true;
    let sequence = 0;
    const stream = async () => {
      while (streaming) {
        const ts = Date.now() - 1_000;
        const batch = Array.from({ length: 20 }, () =>
          reading({ assetId: `outage-${sequence++}`, ts }),
        );
        const sentAt = Date.now();
        const answer = await postReadings(gateway.url, key, batch);
        outcomes.push({
          sentAt,
          answeredAt: Date.now(),
          status: answer.status,
          code: answer.body?.error?.code,
          retryAfter: answer.headers.get('retry-after'),
          assetIds: batch.map((r) => r.assetId as string),
        });
        if (answer.status !== 202) await sleep(100);
      }
    };
    const streams = [stream(), stream()];
    const readiness = async () => (await fetch(`${gateway.url}/readyz`)).status;

    await sleep(2_000);
    expect(await readiness()).toBe(200);
    broker.service.kill();
    while (broker.service.ownPid() !== undefined) await sleep(20);
    const deadAt = Date.now();

    await sleep(5_000);
    expect(await readiness()).toBe(503);
    const restartAt = Date.now();
    await broker.service.start();
    const backAt = Date.now();

    const recoveryDeadline = backAt + 45_000;
    while (!outcomes.some((o) => o.status === 202 && o.sentAt > backAt)) {
      if (Date.now() > recoveryDeadline) throw new Error('the gateway did not recover');
      await sleep(200);
    }
    await sleep(1_000);
    streaming = false;
    await Promise.all(streams);

    const during = outcomes.filter((o) => o.sentAt > deadAt && o.answeredAt < restartAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((o) => o.status === 202)).toEqual([]);
    for (const o of during) {
      expect(o.status).toBe(503);
      expect(['SMP_KAFKA_UNAVAILABLE', 'SMP_OVERLOADED']).toContain(o.code);
      expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([202, 503]));
    expect(outcomes.filter((o) => o.status === 202 && o.sentAt < deadAt).length).toBeGreaterThan(0);
    expect(await readiness()).toBe(200);

    // Everything answered 202 is on the topic; 503'd batches may be there too.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await topicEnds(admin, topics.readings);
    await admin.disconnect();
    const starts = new Map([...ends.keys()].map((p) => [p, 0]));
    const records = await recordsBetween(kafka, broker.config, topics.readings, starts, ends);
    const stored = new Set(records.map((r) => r.key));
    const acknowledged = outcomes.filter((o) => o.status === 202).flatMap((o) => o.assetIds);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  }, 150_000);
});
