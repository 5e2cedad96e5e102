import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SmpError } from '../../lib/errors';

const MIN_JAVA = 17;

/** The java binary to run Kafka and the registry with: $JAVA_HOME's, else the PATH's. */
export function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

export function requireJava(): number {
  const java = javaBinary();
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw prerequisite(
      `Java ${MIN_JAVA} or newer is needed to run Kafka and the schema registry, ` +
        `but \`${java} -version\` failed. Install it (Debian: apt-get install ` +
        'openjdk-17-jre-headless) or point JAVA_HOME at a JDK.',
    );
  }
  const major = javaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined || major < MIN_JAVA) {
    throw prerequisite(
      `Java ${MIN_JAVA} or newer is needed; \`${java} -version\` reports ` +
        `${major ?? 'an unknown version'}. Set JAVA_HOME to a newer JDK.`,
    );
  }
  return major;
}

export function javaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

export function requireMaven(): void {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw prerequisite(
      'Maven is needed to fetch Kafka and the schema registry from Maven Central, ' +
        'but `mvn -v` failed. Install it (Debian: apt-get install maven).',
    );
  }
}

/**
 * Runs Maven quietly and turns its usual failures into a sentence: no network
 * to the repository, or an artifact the repository does not have.
 */
export function runMaven(args: readonly string[], what: string): void {
  const result = spawnSync('mvn', ['-B', '-q', ...args], { encoding: 'utf8' });
  if (result.status === 0) return;
  const output = `${result.stdout}${result.stderr}`;
  let reason = 'see the output below';
  if (/UnknownHost|Connection refused|connect timed out|Could not transfer/i.test(output)) {
    reason =
      'Maven cannot reach its repository; check network access to Maven Central ' +
      'or the mirror in ~/.m2/settings.xml';
  } else if (/Could not find artifact|Could not resolve dependencies/i.test(output)) {
    reason = 'the repository does not serve an artifact this project names';
  }
  const excerpt = output
    .split('\n')
    .filter((l) => /ERROR/.test(l))
    .slice(0, 8)
    .join('\n');
  throw prerequisite(`fetching ${what} with Maven failed: ${reason}\n${excerpt}`);
}

/**
 * The folder holding PostgreSQL's server programs (initdb, pg_ctl). Debian
 * keeps them out of the PATH under /usr/lib/postgresql/<major>/bin.
 */
export function postgresBinDir(): string {
  const fromPath = which('pg_ctl');
  if (fromPath) return path.dirname(fromPath);
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0]) return path.join(root, majors[0], 'bin');
  throw prerequisite(
    'PostgreSQL server programs (initdb, pg_ctl) were not found and DATABASE_URL does ' +
      'not answer. Install them (Debian: apt-get install postgresql) or point ' +
      'DATABASE_URL at a running PostgreSQL.',
  );
}

function which(program: string): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

function prerequisite(message: string): SmpError {
  return new SmpError('SMP_STACK_PREREQUISITE', message);
}
