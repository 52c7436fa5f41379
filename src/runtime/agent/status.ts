/**
 * The agent's state directory: the baseline store, the drift index cache, the status file the agent
 * rewrites atomically every few seconds, and the control folder through which `bulwark runtime accept`
 * and `import` hand changes to a running agent.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ModelStatus } from '../baseline/model.js';
import type { SensorStats } from '../sensors/types.js';
import type { WhySource } from './alert.js';
import type { SinkStats } from './sinks.js';

export const STATUS_VERSION = 1;

export interface AgentStatus {
  version: number;
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  updatedAt: string;
  /** False in the last status an agent writes when it stops. */
  running: boolean;
  store?: string;
  sensors: Array<{ id: string } & SensorStats>;
  queue: { capacity: number; depth: number; accepted: number; dropped: number; processed: number };
  /** `total` alerts written; per source, the reasons they carried (an alert can carry several). */
  alerts: { total: number } & Record<WhySource, number>;
  /** Events whose processing failed (attribution, drift index): counted, never fatal. */
  errors: { attribution: number; drift: number; rules: number; baseline: number; lastError?: string };
  sinks: SinkStats[];
  models: ModelStatus[];
}

/** $BULWARK_STATE_DIR, else /var/lib/bulwark/runtime for root, else $XDG_STATE_HOME/bulwark/runtime. */
export function resolveStateDir(dir?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (dir) return resolve(dir);
  if (env['BULWARK_STATE_DIR']) return resolve(env['BULWARK_STATE_DIR']);
  if (process.getuid?.() === 0) return '/var/lib/bulwark/runtime';
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'bulwark', 'runtime');
}

export const statePaths = (stateDir: string) => ({
  store: join(stateDir, 'baselines.sqlite'),
  status: join(stateDir, 'status.json'),
  control: join(stateDir, 'control'),
  indexCache: join(stateDir, 'image-index'),
});

/** Writes the status file atomically (temp file + rename). */
export function writeStatusFile(path: string, status: AgentStatus): void {
  const tmp = `${path}.tmp-${process.pid}`;
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(tmp, path);
}

export function readStatusFile(path: string): AgentStatus | undefined {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as AgentStatus;
    return s && typeof s === 'object' && s.version === STATUS_VERSION ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the agent that wrote `status` still runs (its pid is alive and it did not say it stopped). */
export function agentAlive(status: AgentStatus | undefined): boolean {
  if (!status || !status.running) return false;
  try {
    process.kill(status.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
