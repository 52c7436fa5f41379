import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { LOCK_FILE } from './paths.js';

export interface DbLock {
  path: string;
  release(): void;
}

/**
 * Takes the writer lock of a database directory: a file created exclusively ('wx') holding our pid.
 * A lock left by a process that no longer exists (killed with SIGKILL, power loss) is taken over.
 */
export function acquireLock(dbDir: string): DbLock {
  const path = join(dbDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      } finally {
        closeSync(fd);
      }
      return lockHandle(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BulwarkError('E_DB', `cannot create the database lock ${path} (${(e as Error).message})`, { cause: e });
      }
      const holder = readHolder(path);
      if (attempt === 0 && holder !== undefined && !isAlive(holder)) {
        rmSync(path, { force: true });
        continue;
      }
      const who = holder === undefined ? 'another bulwark process' : `another bulwark process (pid ${holder})`;
      throw new BulwarkError('E_DB', `${who} is writing the vulnerability database in ${dbDir}; wait for it to finish (or delete ${path} if it is gone)`);
    }
  }
}

function lockHandle(path: string): DbLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    rmSync(path, { force: true });
  };
  // A process ending mid-write (process.exit on Ctrl-C) must not leave the lock behind.
  process.once('exit', release);
  return { path, release };
}

function readHolder(path: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
