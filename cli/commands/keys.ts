import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { createPool, migrate, withSession, type Pool } from '../../lib/db';
import { ApiKeyStore, parseScopes, type KeyRateLimit } from '../../gateway/auth';
import { EXIT_FAILURE, table } from '../output';

interface CreateOptions {
  name: string;
  scopes: string;
  json?: boolean;
  rate?: string;
  burst?: string;
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys of the gateway');

  keys
    .command('create')
    .description('create a key and print it once (only a hash is stored)')
    .requiredOption('--name <name>', 'who or what the key is for')
    .requiredOption(
      '--scopes <list>',
      'comma-separated: data:ingest, predict, reports:generate, admin',
    )
    .option('--json', 'print one JSON line {"id","key","scopes"}')
    .option('--rate <readings/s>', "this key's sustained ingest rate limit")
    .option('--burst <readings>', "this key's burst allowance")
    .action((options: CreateOptions) =>
      withStore(async (store) => {
        const scopes = parseScopes(options.scopes);
        const created = await store.create(options.name, scopes, rateLimit(options));
        if (options.json) {
          console.log(JSON.stringify({ id: created.id, key: created.key, scopes: created.scopes }));
        } else {
          console.log(
            `created key ${created.id} for ${JSON.stringify(options.name)} with scopes ${scopes.join(', ')}`,
          );
          console.log(`key (shown once, store it now): ${created.key}`);
        }
      }),
    );

  keys
    .command('revoke <id>')
    .description('revoke a key; every gateway refuses it within the key cache time')
    .action((id: string) =>
      withStore(async (store) => {
        if (await store.revoke(id)) {
          console.log(`revoked key ${id}`);
        } else {
          console.error(`smp: no active key with id ${id}`);
          process.exitCode = EXIT_FAILURE;
        }
      }),
    );

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .action(() =>
      withStore(async (store) => {
        const rows = (await store.list()).map((k) => [
          k.id,
          k.name,
          k.scopes.join(','),
          k.createdAt.toISOString(),
          k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
        ]);
        console.log(table([['ID', 'NAME', 'SCOPES', 'CREATED', 'STATE'], ...rows]));
      }),
    );
}

async function withStore(fn: (store: ApiKeyStore) => Promise<void>): Promise<void> {
  const pool: Pool = createPool(loadConfig(), { applicationName: 'smp-keys', max: 2 });
  try {
    await withSession(pool, (session) => migrate(session));
    await fn(new ApiKeyStore(pool));
  } finally {
    await pool.end();
  }
}

function rateLimit(options: CreateOptions): KeyRateLimit | undefined {
  if (options.rate === undefined && options.burst === undefined) return undefined;
  const positive = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number, got ${raw}`);
    return value;
  };
  return {
    readingsPerSecond: positive('rate', options.rate),
    burst: positive('burst', options.burst),
  };
}
