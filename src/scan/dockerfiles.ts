import { posix } from 'node:path';
import type { Finding } from '../core/finding.js';
import { isBulwarkError } from '../core/errors.js';
import type { Notice } from '../core/package.js';
import type { FileSystemView } from '../image/types.js';
import { lintDockerfile, MAX_DOCKERFILE_SIZE } from '../modules/rules/dockerfile/index.js';

/** Extensions that mark a `Dockerfile.<x>` as something else: docs, code, data, editor files. */
const NOT_A_DOCKERFILE = /\.(?:md|markdown|rst|txt|html?|js|cjs|mjs|ts|cts|mts|map|json|ya?ml|toml|go|py|rb|java|rs|sh|bak|orig|swp|tmp|dockerignore)$/i;

/**
 * Names Docker and Podman build from: Dockerfile and Containerfile (any case), their variants
 * `Dockerfile.prod`, and `<name>.Dockerfile`; not `dockerfile.md`, `Dockerfile.js` or BuildKit's
 * per-Dockerfile ignore files.
 */
export function isDockerfileName(name: string): boolean {
  if (/^(?:dockerfile|containerfile)$/i.test(name)) return true;
  if (NOT_A_DOCKERFILE.test(name)) return false;
  return /^(?:Dockerfile|Containerfile)\..+$/.test(name) || /.\.(?:dockerfile|containerfile)$/i.test(name);
}

/** For the walk: capture every Dockerfile (relative paths, as content options see them). */
export function dockerfileWants(relativePath: string): boolean {
  return isDockerfileName(relativePath.slice(relativePath.lastIndexOf('/') + 1));
}

/** Lints every Dockerfile of a scanned directory; a malformed one is a warning naming it, not a failed scan. */
export function lintDockerfilesIn(view: FileSystemView, target: string): { findings: Finding[]; notices: Notice[] } {
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  for (const path of view.capturedPaths()) {
    if (!isDockerfileName(posix.basename(path))) continue;
    const info = view.stat(path);
    if (info?.type !== 'file') continue;
    if (info.size > MAX_DOCKERFILE_SIZE) {
      notices.push({ level: 'warning', detector: 'dockerfile', message: `${path}: ${info.size} bytes, over the 4 MiB Dockerfile limit; not linted` });
      continue;
    }
    const text = view.read(path)?.toString('utf8') ?? '';
    const dir = posix.dirname(path);
    const hasDockerignore = view.stat(posix.join(dir, '.dockerignore'))?.type === 'file' || view.stat(`${path}.dockerignore`)?.type === 'file';
    try {
      for (const f of lintDockerfile(text, { path, hasDockerignore })) findings.push({ ...f, target });
    } catch (e) {
      if (!isBulwarkError(e)) throw e;
      notices.push({ level: 'warning', detector: 'dockerfile', message: e.message });
    }
  }
  return { findings, notices };
}
