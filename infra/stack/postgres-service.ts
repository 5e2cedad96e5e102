import { spawnSync } from 'node:child_process';
import { accessSync, appendFileSync, chownSync, constants, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../lib/config';
import { SmpError } from '../../lib/errors';
import { redactUrl } from '../../lib/log';
import { postgresBinDir } from './prerequisites';
import { isLocalHost } from './probes';
import { runningPid, tail } from './processes';
import type { Health, StackLayout, StackService } from './service';

const SERVER_USER = 'postgres';

/**
 * A PostgreSQL cluster of the project's own under .stack/postgres, started
 * from the machine's PostgreSQL binaries when DATABASE_URL does not answer.
 * As root it runs as the `postgres` OS user, because PostgreSQL refuses to
 * run as root. It listens on 127.0.0.1 and on a socket inside its folder, so
 * it never collides with the distribution's own cluster.
 */
export class PostgresService implements StackService {
  readonly name = 'postgres';
  readonly endpoint: string;
  readonly local: boolean;
  readonly port: number;
  readonly logFile: string;
  private readonly url: URL;
  private readonly dataDir: string;
  private readonly socketDir: string;

  constructor(
    private readonly config: Config,
    layout: StackLayout,
  ) {
    this.url = new URL(config.databaseUrl);
    this.endpoint = redactUrl(config.databaseUrl);
    this.local = isLocalHost(this.url.hostname);
    this.port = Number(this.url.port || 5432);
    const dir = layout.dir('postgres');
    this.dataDir = path.join(dir, 'data');
    this.socketDir = path.join(dir, 'run');
    this.logFile = path.join(dir, 'postgres.log');
  }

  ownPid(): number | undefined {
    return runningPid(path.join(this.dataDir, 'postmaster.pid'), 'postgres');
  }

  async probe(): Promise<Health> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      connectionTimeoutMillis: 2000,
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>(
        "SELECT current_setting('server_version') AS v",
      );
      return { healthy: true, version: `PostgreSQL ${rows[0]?.v ?? '?'}` };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async install(): Promise<void> {
    const bin = postgresBinDir();
    if (existsSync(path.join(this.dataDir, 'PG_VERSION'))) return;
    mkdirSync(this.socketDir, { recursive: true });
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.handOverToServerUser();
    this.run(path.join(bin, 'initdb'), [
      '-D',
      this.dataDir,
      '-U',
      SERVER_USER,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    appendFileSync(
      path.join(this.dataDir, 'postgresql.conf'),
      [
        '',
        '# Set by smp stack',
        `listen_addresses = '127.0.0.1'`,
        `port = ${this.port}`,
        `unix_socket_directories = '${this.socketDir}'`,
        'max_connections = 200',
        'shared_buffers = 256MB',
        `timezone = 'UTC'`,
        '',
      ].join('\n'),
    );
    this.handOverToServerUser();
  }

  async start(): Promise<void> {
    const bin = postgresBinDir();
    this.run(path.join(bin, 'pg_ctl'), [
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    await this.createRoleAndDatabase();
  }

  async stop(): Promise<void> {
    if (!this.ownPid()) return;
    const bin = postgresBinDir();
    this.run(path.join(bin, 'pg_ctl'), [
      '-D',
      this.dataDir,
      '-m',
      'fast',
      '-w',
      '-t',
      '60',
      'stop',
    ]);
  }

  /** The superuser connection over the cluster's own socket, for set-up. */
  private async createRoleAndDatabase(): Promise<void> {
    const user = decodeURIComponent(this.url.username || 'smp');
    const password = decodeURIComponent(this.url.password || '');
    const database = decodeURIComponent(this.url.pathname.slice(1) || user);
    const admin = new pg.Client({
      host: this.socketDir,
      port: this.port,
      user: SERVER_USER,
      database: 'postgres',
    });
    await admin.connect();
    try {
      const role = admin.escapeIdentifier(user);
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await admin.query(`${verb} ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(password)}`);
      const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!db.rowCount) {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)} OWNER ${role}`);
      }
    } finally {
      await admin.end();
    }
  }

  /** PostgreSQL will not run as root; its files must belong to the user it runs as. */
  private handOverToServerUser(): void {
    if (!runningAsRoot()) return;
    const { uid, gid } = serverUserIds();
    for (const dir of [path.dirname(this.dataDir), this.dataDir, this.socketDir]) {
      chownSync(dir, uid, gid);
    }
    assertTraversable(this.dataDir);
  }

  private run(program: string, args: string[]): void {
    const [command, argv] = runningAsRoot()
      ? ['runuser', ['-u', SERVER_USER, '--', program, ...args]]
      : [program, args];
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new SmpError(
        'SMP_STACK_START_FAILED',
        `${path.basename(program)} ${args.at(-1)} failed:\n${result.stderr || result.stdout}\n` +
          `server log (${this.logFile}):\n${tail(this.logFile)}`,
      );
    }
  }
}

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function serverUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, SERVER_USER], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new SmpError(
      'SMP_STACK_PREREQUISITE',
      `running as root (${userInfo().username}) needs a '${SERVER_USER}' OS user to run ` +
        'PostgreSQL as; installing the postgresql package creates it',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Every folder above the data folder must be enterable by the server user. */
function assertTraversable(dir: string): void {
  const ancestors: string[] = [];
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) ancestors.unshift(d);
  for (const current of ancestors) {
    const check = spawnSync('runuser', ['-u', SERVER_USER, '--', 'test', '-x', current]);
    if (check.status !== 0) {
      throw new SmpError(
        'SMP_STACK_PREREQUISITE',
        `the '${SERVER_USER}' OS user cannot enter ${current}, so PostgreSQL cannot use ` +
          `${dir}; set SMP_STACK_DIR to a folder it can reach, such as /var/tmp/smp-stack`,
      );
    }
  }
  accessSync(dir, constants.F_OK);
}
