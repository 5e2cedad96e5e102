import path from 'node:path';
import type { Config } from '../../lib/config';
import { fromRoot } from '../../lib/package-root';

export interface Health {
  readonly healthy: boolean;
  readonly version?: string;
  readonly detail?: string;
}

/** One server of the local stack. */
export interface StackService {
  readonly name: string;
  /** Where clients reach it, with secrets masked. */
  readonly endpoint: string;
  /** Whether the endpoint is on this machine, so that the stack may start it. */
  readonly local: boolean;
  /** The pid of the server this stack started, if it is running. */
  ownPid(): number | undefined;
  probe(): Promise<Health>;
  /** Fetches binaries and prepares data folders; cheap when already done. */
  install(): Promise<void>;
  /** Starts the server and returns once it answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The TCP port the server will listen on, to report a conflict. */
  readonly port: number;
  readonly logFile: string;
}

export interface StackLayout {
  readonly root: string;
  readonly logs: string;
  readonly run: string;
  dir(service: string): string;
}

export function stackLayout(config: Config): StackLayout {
  const root = path.resolve(config.stackDir ?? fromRoot('.stack'));
  return {
    root,
    logs: path.join(root, 'logs'),
    run: path.join(root, 'run'),
    dir: (service) => path.join(root, service),
  };
}
