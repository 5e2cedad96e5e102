import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { authenticate, requireScope, type RouteMount } from '../../../gateway';
import { scopes, type Scope } from '../../../gateway/auth';
import { fromRoot } from '../../../lib/package-root';
import { postReadings, reading, useGateway } from '../../support/gateway';

const run = promisify(execFile);
const smp = (...args: string[]) =>
  run(process.execPath, [fromRoot('bin', 'smp.js'), ...args], { env: process.env });

// One route per scope, so the whole matrix runs through the real middleware.
const scopeRoutes: RouteMount = (app, { keyStore }) => {
  for (const scope of scopes) {
    app.get(
      `/test/scope/${scope.replace(':', '-')}`,
      authenticate(keyStore),
      requireScope(scope),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
  }
};

describe('API keys and scopes', () => {
  const cacheMs = 1_500;
  const first = useGateway({ gatewayKeyCacheMs: cacheMs }, { routes: [scopeRoutes] });
  const second = useGateway({ gatewayKeyCacheMs: cacheMs });
  const gateways = () => [first.gateway, second.gateway];

  const url = () => first.gateway.url;

  const held: Scope[][] = [
    ['data:ingest'],
    ['predict'],
    ['reports:generate'],
    ['admin'],
    ['predict', 'reports:generate'],
  ];

  it.each(held.map((h) => [h.join('+'), h]))(
    'lets a key with %s reach exactly its routes',
    async (_name, granted) => {
      const { key } = await first.keys.create(granted);
      for (const scope of scopes) {
        const response = await fetch(`${url()}/test/scope/${scope.replace(':', '-')}`, {
          headers: { 'x-api-key': key },
        });
        const allowed = granted.includes(scope) || granted.includes('admin');
        expect({ scope, status: response.status }).toEqual({ scope, status: allowed ? 200 : 403 });
        if (!allowed) {
          expect(((await response.json()) as { error: { code: string } }).error).toEqual({
            code: 'SMP_SCOPE_MISSING',
            message: `this route needs the ${scope} scope`,
            details: [{ required: scope, held: granted }],
          });
        }
      }
      const ingest = await postReadings(url(), key, [reading()]);
      const mayIngest = granted.includes('data:ingest') || granted.includes('admin');
      expect(ingest.status).toBe(mayIngest ? 202 : 403);
    },
  );

  it.each([
    ['no key', undefined, 'SMP_AUTH_REQUIRED'],
    ['an empty key', '', 'SMP_AUTH_REQUIRED'],
    ['a malformed key', 'let-me-in', 'SMP_AUTH_INVALID'],
    ['an unknown key', `smp_0123456789abcdef_${'A'.repeat(43)}`, 'SMP_AUTH_INVALID'],
  ])('answers %s with 401', async (_name, key, code) => {
    const answer = await postReadings(url(), key, [reading()]);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe(code);
  });

  it('refuses a known key id with the wrong secret', async () => {
    const { key } = await first.keys.create(['data:ingest']);
    const forged = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect((await postReadings(url(), forged, [reading()])).status).toBe(401);
    expect((await postReadings(url(), key, [reading()])).status).toBe(202);
  });

  it('checks the key before reading the body', async () => {
    const answer = await postReadings(url(), undefined, 'not even json', {
      'content-type': 'text/plain',
    });
    expect(answer.status).toBe(401);
  });

  it('makes `smp keys create --json` print one line with id, key and scopes', async () => {
    const { stdout } = await smp(
      'keys',
      'create',
      '--name',
      'cli-test',
      '--scopes',
      'data:ingest,predict',
      '--json',
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0]!);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      key: expect.stringMatching(/^smp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/),
      scopes: ['data:ingest', 'predict'],
    });
    expect((await postReadings(url(), created.key, [reading()])).status).toBe(202);
  });

  it('refuses unknown scopes at creation', async () => {
    await expect(
      smp('keys', 'create', '--name', 'x', '--scopes', 'data:ingest,root'),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/unknown scope "root"/),
    });
  });

  it('stops a revoked key on every gateway instance within the key cache time', async () => {
    const { stdout } = await smp(
      'keys',
      'create',
      '--name',
      'revoke-test',
      '--scopes',
      'data:ingest',
      '--json',
    );
    const { id, key } = JSON.parse(stdout);
    for (const g of gateways())
      expect((await postReadings(g.url, key, [reading()])).status).toBe(202);

    await smp('keys', 'revoke', id);
    const revokedAt = Date.now();
    const refusedAfter = await Promise.all(
      gateways().map(async (g) => {
        for (;;) {
          const answer = await postReadings(g.url, key, [reading()]);
          if (answer.status === 401) return Date.now() - revokedAt;
          expect(answer.status).toBe(202);
          if (Date.now() - revokedAt > 10_000) throw new Error('the revoked key still works');
          await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );
    for (const ms of refusedAfter) expect(ms).toBeLessThanOrEqual(cacheMs + 500);
    const list = (await smp('keys', 'list')).stdout;
    expect(list).toMatch(new RegExp(`${id} .* revoked `));
  });

  it('never writes a key or its secret to logs, the database or `smp keys list`', async () => {
    const { id, key } = await first.keys.create(['data:ingest']);
    const secret = key.slice('smp_'.length + 16 + 1);
    const forged = `smp_${id}_${'Z'.repeat(43)}`;
    await postReadings(url(), key, [reading()]);
    await postReadings(url(), key, 'broken');
    await postReadings(url(), forged, [reading()]);
    await fetch(`${url()}/test/scope/admin`, { headers: { 'x-api-key': key } });

    const logs = gateways()
      .flatMap((g) => g.logs)
      .join('\n');
    expect(logs).toContain(id);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain('Z'.repeat(43));

    const { rows } = await first.keys.pool.query('SELECT * FROM api_keys WHERE id = $1', [id]);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(Buffer.from(rows[0].secret_hash)).toEqual(createHash('sha256').update(secret).digest());
    expect((await smp('keys', 'list')).stdout).not.toContain(secret);
  });
});
