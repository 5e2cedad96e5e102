import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../lib/config';
import { SmpError } from '../../lib/errors';
import { fromRoot } from '../../lib/package-root';
import { javaBinary, runMaven } from './prerequisites';
import { isLocalHost, waitFor } from './probes';
import { isAlive, runningPid, spawnDetached, stopProcess, tail } from './processes';
import type { Health, StackService } from './service';

const POM = fromRoot('infra', 'registry', 'pom.xml');
/** Apicurio keeps its tables in this schema of the project's database. */
const STORAGE_SCHEMA = 'apicurio';

/**
 * Apicurio Registry, whose Quarkus application Maven Central publishes as
 * `io.apicurio:apicurio-registry-app:<version>:tar.gz:all`. It stores
 * schemas in PostgreSQL (schema `apicurio` of DATABASE_URL's database), so a
 * restart keeps every schema id. Clients use its Confluent-compatible API.
 */
export class RegistryService implements StackService {
  readonly name = 'registry';
  readonly endpoint: string;
  readonly local: boolean;
  readonly port: number;
  readonly logFile: string;
  private readonly origin: string;
  private readonly host: string;
  private readonly distDir: string;
  private readonly pidFile: string;

  constructor(
    private readonly config: Config,
    dir: string,
  ) {
    const url = new URL(config.schemaRegistryUrl);
    this.endpoint = config.schemaRegistryUrl;
    this.origin = url.origin;
    this.host = url.hostname;
    this.local = isLocalHost(url.hostname);
    this.port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    this.distDir = path.join(dir, 'dist');
    this.pidFile = path.join(dir, 'registry.pid');
    this.logFile = path.join(dir, 'registry.log');
  }

  ownPid(): number | undefined {
    return runningPid(this.pidFile, this.distDir);
  }

  async probe(): Promise<Health> {
    try {
      const subjects = await fetch(`${this.endpoint.replace(/\/+$/, '')}/subjects`, {
        signal: AbortSignal.timeout(2000),
      });
      if (!subjects.ok) return { healthy: false, detail: `subjects answered ${subjects.status}` };
      return { healthy: true, version: await this.version() };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    }
  }

  async install(): Promise<void> {
    if (!this.runnableJar()) {
      rmSync(this.distDir, { recursive: true, force: true });
      mkdirSync(this.distDir, { recursive: true });
      runMaven(
        ['-f', POM, 'dependency:unpack', `-Dregistry.dir=${this.distDir}`],
        'Apicurio Registry',
      );
      if (!this.runnableJar()) {
        throw new SmpError(
          'SMP_STACK_START_FAILED',
          `the Apicurio archive unpacked into ${this.distDir} holds no runnable jar`,
        );
      }
    }
    await this.createStorageSchema();
  }

  async start(): Promise<void> {
    const url = new URL(this.config.databaseUrl);
    const jdbc =
      `jdbc:postgresql://${url.hostname}:${url.port || 5432}${url.pathname}` +
      `?currentSchema=${STORAGE_SCHEMA}`;
    const pid = spawnDetached({
      command: javaBinary(),
      args: ['-Xms128m', '-Xmx512m', '-jar', this.runnableJar()!],
      cwd: this.distDir,
      env: {
        ...process.env,
        QUARKUS_HTTP_HOST: this.host === 'localhost' ? '127.0.0.1' : this.host,
        QUARKUS_HTTP_PORT: String(this.port),
        APICURIO_STORAGE_KIND: 'sql',
        APICURIO_STORAGE_SQL_KIND: 'postgresql',
        APICURIO_DATASOURCE_URL: jdbc,
        APICURIO_DATASOURCE_USERNAME: decodeURIComponent(url.username),
        APICURIO_DATASOURCE_PASSWORD: decodeURIComponent(url.password),
        APICURIO_SQL_INIT: 'true',
      },
      logFile: this.logFile,
      pidFile: this.pidFile,
    });
    await waitFor('registry', async () => ((await this.probe()).healthy ? true : undefined), {
      timeoutMs: 180_000,
      abortIf: () =>
        isAlive(pid) ? undefined : `the registry exited during start-up:\n${tail(this.logFile)}`,
    });
  }

  async stop(): Promise<void> {
    const pid = this.ownPid();
    if (pid) await stopProcess(pid, 20_000);
  }

  private async version(): Promise<string> {
    try {
      const info = await fetch(`${this.origin}/apis/registry/v3/system/info`, {
        signal: AbortSignal.timeout(2000),
      });
      const body = (await info.json()) as { name?: string; version?: string };
      return `Apicurio Registry ${body.version ?? '?'}`;
    } catch {
      return 'Confluent-compatible registry';
    }
  }

  private runnableJar(): string | undefined {
    if (!existsSync(this.distDir)) return undefined;
    const quarkus = path.join(this.distDir, 'quarkus-run.jar');
    if (existsSync(quarkus)) return quarkus;
    const runner = readdirSync(this.distDir).find((f) => f.endsWith('-runner.jar'));
    return runner ? path.join(this.distDir, runner) : undefined;
  }

  private async createStorageSchema(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${STORAGE_SCHEMA}`);
    } finally {
      await client.end();
    }
  }
}
