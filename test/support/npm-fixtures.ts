/** Oracles for the npm detector tests: npm's own view of a lockfile or an installed tree. */
import { execFile } from 'node:child_process';

export interface NpmLsNode {
  version?: string;
  missing?: boolean;
  path?: string;
  dependencies?: Record<string, NpmLsNode>;
}

/** Flattens `npm ls --json` into distinct `name@version` (no paths), skipping missing entries. */
export function flattenNames(root: NpmLsNode): Set<string> {
  const out = new Set<string>();
  const walk = (deps: Record<string, NpmLsNode> | undefined): void => {
    for (const [name, dep] of Object.entries(deps ?? {})) {
      if (dep.version && !dep.missing) out.add(`${name}@${dep.version}`);
      walk(dep.dependencies);
    }
  };
  walk(root.dependencies);
  return out;
}

/**
 * Flattens `npm ls --all --json --long` into `name@version path` rows. A "deduped" node appears once
 * per parent that requires it, always with the path of the one installed copy, so the set collapses it.
 */
export function flattenWithPaths(root: NpmLsNode): Set<string> {
  const out = new Set<string>();
  const walk = (deps: Record<string, NpmLsNode> | undefined): void => {
    for (const [name, dep] of Object.entries(deps ?? {})) {
      if (dep.version && !dep.missing && dep.path) out.add(`${name}@${dep.version} ${dep.path}`);
      walk(dep.dependencies);
    }
  };
  walk(root.dependencies);
  return out;
}

/** `npm ls --package-lock-only --all --json [extra]` in `dir` with the npm on this machine (no network). */
export function npmLsLockfile(dir: string, extra: string[] = []): Promise<NpmLsNode> {
  return new Promise((resolve, reject) => {
    const args = ['ls', '--package-lock-only', '--all', '--json', ...extra];
    execFile('npm', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout) => {
      // npm ls exits 1 on problems it still reports in the JSON; only unparsable output is fatal.
      try {
        resolve(JSON.parse(stdout) as NpmLsNode);
      } catch {
        reject(error ?? new Error(`npm ls printed no JSON in ${dir}`));
      }
    });
  });
}

/** The same over an image's installed tree: `docker run --network none IMAGE npm ls --all --json --long [extra]` in `cwd`. */
export function npmLsInImage(image: string, cwd: string, extra: string[] = []): Promise<NpmLsNode> {
  return new Promise((resolve, reject) => {
    const args = ['run', '--rm', '--network', 'none', '-w', cwd, image, 'npm', 'ls', '--all', '--json', '--long', ...extra];
    execFile('docker', args, { maxBuffer: 256 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as NpmLsNode);
      } catch {
        reject(new Error(`npm ls in ${image} printed no JSON: ${String(error)} ${stderr.slice(-2000)}`));
      }
    });
  });
}
