import net from 'node:net';
import { postReadings, reading, useGateway } from '../../support/gateway';

/** Writes raw bytes to the gateway and returns all it answers until it closes the connection. */
function exchange(
  port: number,
  write: (socket: net.Socket) => void,
): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => write(socket));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    const timer = setTimeout(
      () => socket.destroy(new Error('the gateway kept the connection open')),
      15_000,
    );
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
    });
  });
}

function bodyOf(text: string): { error: { code: string }; correlationId: string } {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

describe('the HTTP edge', () => {
  const fixture = useGateway({ gatewayHeadersTimeoutMs: 1_000, gatewayRequestTimeoutMs: 2_000 });
  const port = () => Number(new URL(fixture.gateway.url).port);

  it('cuts off a client that trickles its headers, answering 408 in the contract body', async () => {
    const { text, ms } = await exchange(port(), (s) =>
      s.write('POST /v1/readings HTTP/1.1\r\nHost: x\r\n'),
    );
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(text).error.code).toBe('SMP_REQUEST_TIMEOUT');
    expect(ms).toBeLessThan(4_000);
  });

  it('cuts off a client that trickles its body', async () => {
    const { key } = await fixture.keys.create(['data:ingest']);
    const { text, ms } = await exchange(port(), (s) =>
      s.write(
        'POST /v1/readings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `X-API-Key: ${key}\r\nContent-Length: 1000\r\n\r\n[{"assetId":`,
      ),
    );
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(5_000);
  });

  it('answers malformed HTTP with 400 in the contract body', async () => {
    const { text } = await exchange(port(), (s) => s.write('NOT HTTP AT ALL\r\n\r\n'));
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(text)).toEqual({
      error: {
        code: 'SMP_BAD_REQUEST',
        message: expect.stringMatching(/not valid HTTP/),
        details: [],
      },
      correlationId: expect.any(String),
    });
  });

  it('answers unknown routes with 404 in the contract body', async () => {
    const response = await fetch(`${fixture.gateway.url}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'SMP_NOT_FOUND',
    );
  });

  it('reports liveness and readiness of Kafka, the registry and the database', async () => {
    expect(await (await fetch(`${fixture.gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${fixture.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', kafka: 'ok', 'schema-registry': 'ok', 'kafka-producer': 'ok' },
    });
  });
});

describe('a schema registry that does not answer', () => {
  // Nothing listens on port 1: every connection is refused.
  const fixture = useGateway({ schemaRegistryUrl: 'http://127.0.0.1:1/apis/ccompat/v7' });

  it('answers 503 with Retry-After, reports not ready, and logs the outage once', async () => {
    const { key } = await fixture.keys.create(['data:ingest']);
    for (let i = 0; i < 3; i++) {
      const answer = await postReadings(fixture.gateway.url, key, [reading()]);
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('SMP_REGISTRY_UNAVAILABLE');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const ready = await fetch(`${fixture.gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(
      ((await ready.json()) as { checks: Record<string, string> }).checks['schema-registry'],
    ).not.toBe('ok');
    expect(
      fixture.gateway.logs.filter((l) => l.includes('schema registry unavailable')),
    ).toHaveLength(1);
    expect(fixture.gateway.logs.filter((l) => /"level":"error"/.test(l))).toEqual([]);
  });
});

describe('a gateway started while Kafka is away', () => {
  const fixture = useGateway({ kafkaBrokers: ['127.0.0.1:1'] });

  it('serves, answering 503 with Retry-After and reporting itself not ready', async () => {
    const { key } = await fixture.keys.create(['data:ingest']);
    const answer = await postReadings(fixture.gateway.url, key, [reading()]);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({
      code: 'SMP_KAFKA_UNAVAILABLE',
      message: 'the gateway is not connected to Kafka',
    });
    expect(answer.headers.get('retry-after')).toBe('5');
    const ready = await fetch(`${fixture.gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    const { checks } = (await ready.json()) as { checks: Record<string, string> };
    expect(checks['kafka-producer']).toBe('not connected to Kafka');
  });
});
