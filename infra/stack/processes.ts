import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DetachedProcess {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Standard output and error are appended here. */
  readonly logFile: string;
  readonly pidFile: string;
}

/**
 * Starts a server that outlives the CLI: its own process group, output to a
 * log file, its pid in a file so that `smp stack down` stops exactly what
 * `smp stack up` started.
 */
export function spawnDetached(spec: DetachedProcess): number {
  mkdirSync(path.dirname(spec.logFile), { recursive: true });
  mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const out = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  writeFileSync(spec.pidFile, `${child.pid}\n`);
  return child.pid;
}

/**
 * The pid recorded in `pidFile` if that process still runs and its command
 * line contains `marker` (guarding against a recycled pid).
 */
export function runningPid(pidFile: string, marker: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim().split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) && commandLine(pid).includes(marker) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0 but is gone for every purpose here.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return true;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(pid: number, graceMs: number): Promise<'stopped' | 'killed'> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(200);
  }
  signal(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return 'killed';
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The last lines of a log file, to explain why a server did not come up. */
export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const text = readFileSync(file, 'utf8');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
