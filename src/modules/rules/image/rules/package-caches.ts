import type { Finding } from '../../../../core/finding.js';
import { BEST_PRACTICES, DOCKLE, HADOLINT_WIKI, defineMeta, humanBytes, plural, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-009',
  title: 'Package manager cache or index left in the image',
  severity: 'LOW',
  rationale:
    'Package indexes and downloaded archives (apt lists and .debs, apk, yum/dnf, pip and npm caches) are never used at run time: they make every pull and every layer bigger, and stale indexes invite installing outdated packages later.',
  remediation:
    'Clean in the same RUN that installs: `rm -rf /var/lib/apt/lists/*` after apt-get install, `apk add --no-cache`, `pip install --no-cache-dir`, `npm cache clean --force`, `dnf clean all`; or use `RUN --mount=type=cache` for the cache directories.',
  references: [`${BEST_PRACTICES}#apt-get`, `${HADOLINT_WIKI}DL3009`, `${HADOLINT_WIKI}DL3019`, `${HADOLINT_WIKI}DL3042`, DOCKLE],
  aliases: ['DKL-DI-0004', 'DKL-DI-0005', 'DKL-LI-0003', 'DL3009', 'DL3019', 'DL3042'],
});

interface Cache {
  name: string;
  /** The cache directory of an absolute path under it, or undefined. */
  dirOf(path: string): string | undefined;
  /** Files that do not count (lock files). */
  skip?: RegExp;
}

const under = (dir: string) => (path: string) => (path.startsWith(`${dir}/`) ? dir : undefined);
const inHome = (rest: string) => (path: string) => {
  const m = new RegExp(`^(/root|/home/[^/]+)/${rest.replace(/[.]/g, '\\.')}/`).exec(path);
  return m ? `${m[1]}/${rest}` : undefined;
};

export const CACHES: readonly Cache[] = [
  { name: 'apt package lists', dirOf: under('/var/lib/apt/lists'), skip: /\/lock$/ },
  { name: 'apt package cache', dirOf: under('/var/cache/apt'), skip: /\/lock$/ },
  { name: 'apk package cache', dirOf: under('/var/cache/apk') },
  { name: 'yum cache', dirOf: under('/var/cache/yum') },
  { name: 'dnf cache', dirOf: under('/var/cache/dnf') },
  { name: 'zypper cache', dirOf: under('/var/cache/zypp') },
  { name: 'pip cache', dirOf: inHome('.cache/pip') },
  { name: 'npm cache', dirOf: inHome('.npm/_cacache') },
  { name: 'yarn cache', dirOf: (p) => inHome('.cache/yarn')(p) ?? under('/usr/local/share/.cache/yarn')(p) },
  { name: 'Go build cache', dirOf: inHome('.cache/go-build') },
];

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const found = new Map<string, { name: string; files: number; bytes: number; layer: number }>();
    for (const e of input.fs.entries()) {
      if (e.type !== 'file') continue;
      for (const cache of CACHES) {
        const dir = cache.dirOf(e.path);
        if (!dir || cache.skip?.test(e.path)) continue;
        const acc = found.get(dir) ?? { name: cache.name, files: 0, bytes: 0, layer: -1 };
        acc.files++;
        acc.bytes += e.size;
        acc.layer = Math.max(acc.layer, e.layer);
        found.set(dir, acc);
        break;
      }
    }
    const out: Finding[] = [];
    for (const [dir, c] of found) {
      out.push(ctx.finding(meta, { path: dir, layer: ctx.layer(c.layer) }, `${c.name} left in ${dir}: ${plural(c.files, 'file')}, ${humanBytes(c.bytes)}`));
    }
    return out;
  },
};
