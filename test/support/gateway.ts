import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../lib/config';
import { createPool, type Pool } from '../../lib/db';
import { createKafka } from '../../lib/kafka/client';
import { topics } from '../../lib/kafka/topics';
import { createLogger, type Logger } from '../../lib/log';
import { createRegistry, type Registry } from '../../lib/metrics';
import { AvroSerde } from '../../lib/serde/avro-serde';
import type { RouteMount } from '../../gateway';
import { startIngestGateway } from '../../gateway';
import { ApiKeyStore, type KeyRateLimit, type Scope } from '../../gateway/auth';

/** A gateway of a test's own, in this process, on a free port, its log lines kept. */
export interface TestGateway {
  readonly url: string;
  readonly config: Config;
  readonly registry: Registry;
  /** Every log line the gateway wrote, as text. */
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startTestGateway(
  overrides: Partial<Config> = {},
  options: { topic?: string; routes?: readonly RouteMount[] } = {},
): Promise<TestGateway> {
  const config: Config = { ...loadConfig(), gatewayPort: 0, ...overrides };
  const logs: string[] = [];
  const logger = capturingLogger(logs);
  const registry = createRegistry();
  const gateway = await startIngestGateway(config, {
    logger,
    registry,
    routes: options.routes ?? [],
    ...(options.topic ? { topic: options.topic } : {}),
  });
  return {
    url: `http://127.0.0.1:${gateway.port}`,
    config,
    registry,
    logs,
    close: () => gateway.close(),
  };
}

/** A logger at debug level whose lines land in `lines`. */
export function capturingLogger(lines: string[]): Logger {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return createLogger({ level: 'debug', name: 'test-gateway', destination });
}

/** Creates and revokes keys straight in the stack's database, as `smp keys` does. */
export class TestKeys {
  readonly pool: Pool;
  readonly store: ApiKeyStore;

  constructor(config: Config = loadConfig()) {
    this.pool = createPool(config, { applicationName: 'smp-test-keys', max: 2 });
    this.store = new ApiKeyStore(this.pool, 0);
  }

  async create(
    scopes: readonly Scope[],
    rateLimit?: KeyRateLimit,
  ): Promise<{ id: string; key: string }> {
    const created = await this.store.create(`test-${randomUUID()}`, scopes, rateLimit);
    return { id: created.id, key: created.key };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly text: string;
}

/** POSTs readings; `body` is sent as it is when it is a string or buffer. */
export async function postReadings(
  url: string,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const response = await fetch(`${url}/v1/readings`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'x-api-key': key }),
      ...headers,
    },
    body: raw,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A reading as a client sends it, unique by asset unless told otherwise. */
export function reading(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    assetId: `test-${randomUUID().slice(0, 8)}`,
    ts: new Date(Date.now() - 60_000).toISOString(),
    metrics: { temp: 71.2, vib_rms: 0.31 },
    tags: { site: 'a' },
    ...overrides,
  };
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly key: string;
  readonly value: unknown;
  readonly headers: IHeaders;
}

/** The high watermark of every partition of a topic. */
export async function topicEnds(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/**
 * Every record written to `topic` between two sets of partition ends,
 * decoded: exactly what was produced in between, nothing more.
 */
export async function recordsBetween(
  kafka: Kafka,
  config: Config,
  topic: string,
  from: Map<number, number>,
  to: Map<number, number>,
): Promise<ConsumedRecord[]> {
  const wanted = [...to].filter(([p, end]) => end > (from.get(p) ?? 0));
  if (wanted.length === 0) return [];
  const serde = new AvroSerde({ registryUrl: config.schemaRegistryUrl, autoRegister: false });
  const consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
  const records: ConsumedRecord[] = [];
  const remaining = new Map(wanted.map(([p, end]) => [p, end]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Set<string>();
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const start = from.get(partition) ?? 0;
        const end = to.get(partition) ?? 0;
        const offset = Number(message.offset);
        const id = `${partition}:${offset}`;
        if (offset < start || offset >= end || seen.has(id)) return;
        seen.add(id);
        records.push({
          partition,
          key: message.key?.toString('utf8') ?? '',
          value: await serde.decode('readings', message.value),
          headers: message.headers ?? {},
        });
        if (offset === end - 1) remaining.delete(partition);
        if (remaining.size === 0) done();
      },
    });
    for (const [partition] of wanted) {
      consumer.seek({ topic, partition, offset: String(from.get(partition) ?? 0) });
    }
    await withTimeout(finished, 30_000, `records of ${topic} did not arrive`);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export function testKafka(
  config: Config,
  logger: Logger = createLogger({ level: 'warn', name: 'test' }),
): Kafka {
  return createKafka(config, { stage: 'test', logger });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface GatewayFixture {
  readonly gateway: TestGateway;
  readonly keys: TestKeys;
}

/**
 * A gateway and a key store for the enclosing describe block: started
 * before its tests, closed after them. Read the fields inside tests.
 */
export function useGateway(
  overrides: Partial<Config> = {},
  options: { topic?: string; routes?: readonly RouteMount[] } = {},
): GatewayFixture {
  const fixture = {} as { gateway: TestGateway; keys: TestKeys };
  beforeAll(async () => {
    fixture.gateway = await startTestGateway(overrides, options);
    fixture.keys = new TestKeys();
  });
  afterAll(async () => {
    await fixture.gateway?.close();
    await fixture.keys?.close();
  });
  return fixture;
}

/**
 * What an action put on the readings topic of the broker `config` names:
 * the partition ends before and after it, and every record in between.
 */
export function useReadingsTopic(config: () => Config): {
  producedBy(act: () => Promise<unknown>): Promise<ConsumedRecord[]>;
} {
  let kafka: Kafka;
  let admin: Admin;
  beforeAll(async () => {
    kafka = testKafka(config());
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
  });
  return {
    producedBy: async (act) => {
      const before = await topicEnds(admin, topics.readings);
      await act();
      const after = await topicEnds(admin, topics.readings);
      return recordsBetween(kafka, config(), topics.readings, before, after);
    },
  };
}
