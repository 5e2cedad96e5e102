import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { loadConfig } from '../../../lib/config';
import { createPool, type Pool } from '../../../lib/db';
import { createKafka, safeProducerConfig } from '../../../lib/kafka/client';
import { topics } from '../../../lib/kafka/topics';
import { createLogger } from '../../../lib/log';
import { AvroSerde, readSchemaId } from '../../../lib/serde/avro-serde';
import { RegistryAdmin, catalogEntry } from '../../../schemas';

const config = loadConfig();
const logger = createLogger({ level: 'warn', name: 'test' });

describe('the foundation against the real stack', () => {
  const kafka = createKafka(config, { stage: 'test', logger });
  let producer: Producer;
  let consumer: Consumer;
  let pool: Pool;

  beforeAll(async () => {
    producer = kafka.producer(safeProducerConfig());
    await producer.connect();
    pool = createPool(config, { applicationName: 'smp-test' });
  });

  afterAll(async () => {
    await producer.disconnect();
    await consumer?.disconnect();
    await pool.end();
  });

  it('produces a Reading as registered Avro and consumes the same Reading back', async () => {
    const serde = new AvroSerde({ registryUrl: config.schemaRegistryUrl, autoRegister: true });
    const assetId = `pump-${randomUUID()}`;
    const reading = {
      assetId,
      ts: Date.UTC(2026, 11, 3, 10, 0, 0),
      metrics: { temp: 71.2, vib_rms: 0.31 },
      tags: { site: 'a' },
      receivedAt: null,
    };
    const value = await serde.encode('readings', reading);
    const correlationId = randomUUID();

    const [ack] = await producer.send({
      topic: topics.readings,
      acks: -1,
      messages: [{ key: assetId, value, headers: { 'x-correlation-id': correlationId } }],
    });

    consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.readings, fromBeginning: true });
    const received = await new Promise<{ key: string; value: unknown; header: string }>(
      (resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              if (message.key?.toString() !== assetId) return;
              resolve({
                key: message.key.toString(),
                value: await serde.decode('readings', message.value),
                header: message.headers?.['x-correlation-id']?.toString() ?? '',
              });
            },
          })
          .catch(reject);
      },
    );

    expect(ack?.errorCode).toBe(0);
    expect(received.key).toBe(assetId);
    expect(received.value).toEqual(reading);
    expect(received.header).toBe(correlationId);

    // The id in the wire header is the one the registry holds for the subject.
    const latest = await new RegistryAdmin(config.schemaRegistryUrl).lookup(
      `${topics.readings}-value`,
      catalogEntry('readings').text,
    );
    expect(readSchemaId(value)).toBe(latest?.id);
  });

  it('writes a row to PostgreSQL and reads it back', async () => {
    const table = `smp_test_${randomUUID().replace(/-/g, '')}`;
    await pool.query(
      `CREATE TABLE ${table} (asset_id text, ts timestamptz, value double precision)`,
    );
    try {
      await pool.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, ['FD001-1', new Date(0), 0.5]);
      const { rows } = await pool.query(`SELECT asset_id, ts, value FROM ${table}`);
      expect(rows).toEqual([{ asset_id: 'FD001-1', ts: new Date(0), value: 0.5 }]);
    } finally {
      await pool.query(`DROP TABLE ${table}`);
    }
  });
});
