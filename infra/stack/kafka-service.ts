import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { SmpError } from '../../lib/errors';
import { fromRoot } from '../../lib/package-root';
import { javaBinary, runMaven } from './prerequisites';
import { isLocalHost, waitFor } from './probes';
import { isAlive, runningPid, spawnDetached, stopProcess, tail } from './processes';
import type { Health, StackService } from './service';

export interface KafkaServiceOptions {
  /** host:port clients connect to; the broker advertises exactly this. */
  readonly bootstrap: string;
  /** Where libs, data, configuration and logs live. */
  readonly dir: string;
  /** Port of the KRaft controller listener. */
  readonly controllerPort?: number;
  readonly heapMb?: number;
  /** Where the jars live, if not `<dir>/libs`; test brokers share the stack's. */
  readonly libsDir?: string;
}

const POM = fromRoot('infra', 'kafka', 'pom.xml');
const MAIN_CLASS = 'kafka.Kafka';

/**
 * Apache Kafka in KRaft mode, one process acting as broker and controller,
 * run from the Apache jars that Maven fetches from Maven Central. Tests that
 * need to stop and restart a broker start a private one of these on other
 * ports, leaving the shared stack alone.
 */
export class KafkaService implements StackService {
  readonly name = 'kafka';
  readonly endpoint: string;
  readonly local: boolean;
  readonly port: number;
  readonly logFile: string;
  private readonly host: string;
  private readonly libs: string;
  private readonly data: string;
  private readonly pidFile: string;
  private readonly controllerPort: number;

  constructor(private readonly options: KafkaServiceOptions) {
    const [host, port] = options.bootstrap.split(':') as [string, string];
    this.host = host;
    this.port = Number(port);
    this.endpoint = options.bootstrap;
    this.local = isLocalHost(host);
    this.controllerPort = options.controllerPort ?? this.port + 1;
    this.libs = options.libsDir ?? path.join(options.dir, 'libs');
    this.data = path.join(options.dir, 'data');
    this.pidFile = path.join(options.dir, 'kafka.pid');
    this.logFile = path.join(options.dir, 'kafka.log');
  }

  ownPid(): number | undefined {
    return runningPid(this.pidFile, this.configFile());
  }

  /** Kafka's version, read from the name of the server jar Maven fetched. */
  version(): string | undefined {
    if (!existsSync(this.libs)) return undefined;
    const jar = readdirSync(this.libs).find((f) => /^kafka_2\.13-.*\.jar$/.test(f));
    return jar?.replace(/^kafka_2\.13-(.*)\.jar$/, '$1');
  }

  async probe(): Promise<Health> {
    const kafka = new Kafka({
      brokers: [this.endpoint],
      clientId: 'smp-stack-probe',
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      const version = this.version();
      return {
        healthy: true,
        version: this.ownPid() && version ? `Kafka ${version} (KRaft)` : 'Kafka',
        detail: `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`,
      };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async install(): Promise<void> {
    this.installLibs();
    this.writeConfiguration();
    if (!existsSync(path.join(this.data, 'meta.properties'))) this.format();
  }

  /**
   * Fetches the Kafka jars unless the pom is unchanged since the last fetch,
   * and returns their folder; the benchmarks run Kafka's own tools from it.
   */
  installLibs(): string {
    const stamp = path.join(this.libs, `.pom-${hashOf(POM)}`);
    if (!existsSync(stamp)) {
      rmSync(this.libs, { recursive: true, force: true });
      mkdirSync(this.libs, { recursive: true });
      runMaven(
        [
          '-f',
          POM,
          'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
          `-DoutputDirectory=${this.libs}`,
          '-DincludeScope=runtime',
        ],
        'Apache Kafka',
      );
      writeFileSync(stamp, '');
    }
    return this.libs;
  }

  async start(): Promise<void> {
    const pid = spawnDetached({
      command: javaBinary(),
      args: [
        `-Xms256m`,
        `-Xmx${this.options.heapMb ?? 1024}m`,
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${this.log4jFile()}`,
        `-Dkafka.logs.dir=${this.options.dir}`,
        '-cp',
        `${this.libs}/*`,
        MAIN_CLASS,
        this.configFile(),
      ],
      logFile: this.logFile,
      pidFile: this.pidFile,
    });
    await waitFor('kafka', async () => ((await this.probe()).healthy ? true : undefined), {
      timeoutMs: 90_000,
      abortIf: () =>
        isAlive(pid) ? undefined : `the broker exited during start-up:\n${tail(this.logFile)}`,
    });
  }

  async stop(): Promise<void> {
    const pid = this.ownPid();
    if (pid) await stopProcess(pid, 30_000);
  }

  /** Stops the broker abruptly, as a crash or power loss would. */
  kill(): void {
    const pid = this.ownPid();
    if (pid) process.kill(pid, 'SIGKILL');
  }

  private configFile(): string {
    return path.join(this.options.dir, 'server.properties');
  }

  private log4jFile(): string {
    return path.join(this.options.dir, 'log4j2.properties');
  }

  private writeConfiguration(): void {
    mkdirSync(this.data, { recursive: true });
    const bind = this.host === 'localhost' ? '127.0.0.1' : this.host;
    const properties = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': `1@127.0.0.1:${this.controllerPort}`,
      listeners: `PLAINTEXT://${bind}:${this.port},CONTROLLER://127.0.0.1:${this.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${this.endpoint}`,
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': this.data,
      // Topics are created by `smp topics` with explicit settings, never by accident.
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '10',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'transaction.state.log.num.partitions': '10',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      // A single local broker has no reason to wait for more members to join.
      'group.initial.rebalance.delay.ms': '0',
      'log.retention.check.interval.ms': '60000',
    };
    writeFileSync(
      this.configFile(),
      Object.entries(properties)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    writeFileSync(
      this.log4jFile(),
      [
        'appender.file.type = File',
        'appender.file.name = file',
        `appender.file.fileName = ${path.join(this.options.dir, 'server.log')}`,
        'appender.file.layout.type = PatternLayout',
        'appender.file.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = INFO',
        'rootLogger.appenderRef.file.ref = file',
        'logger.kafka.name = kafka',
        'logger.kafka.level = INFO',
        'logger.state.name = state.change.logger',
        'logger.state.level = WARN',
        '',
      ].join('\n'),
    );
  }

  private format(): void {
    const clusterId = randomBytes(16).toString('base64url');
    const result = spawnSync(
      javaBinary(),
      [
        `-Dlog4j2.configurationFile=${this.log4jFile()}`,
        '-cp',
        `${this.libs}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        this.configFile(),
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new SmpError(
        'SMP_STACK_START_FAILED',
        `formatting Kafka storage in ${this.data} failed:\n${result.stderr || result.stdout}`,
      );
    }
  }
}

function hashOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
}
