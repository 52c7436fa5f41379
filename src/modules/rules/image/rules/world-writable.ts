import type { Finding } from '../../../../core/finding.js';
import type { FileInfo } from '../../../../image/types.js';
import { defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-006',
  title: 'World-writable file or directory outside temporary directories',
  severity: 'MEDIUM',
  rationale:
    'Any process in the container, whatever its user, can change a world-writable file or plant files in a world-writable directory: code, configuration or data that another user (often root) later trusts.',
  remediation:
    'Give the files to the user that must write them (`COPY --chown`, `chown`) with mode 755/644 or tighter; keep shared scratch space in /tmp-like directories with the sticky bit.',
  references: ['https://docs.docker.com/reference/dockerfile/#copy---chown---chmod', 'https://www.cisecurity.org/benchmark/docker'],
  aliases: [],
});

/** Scratch directories that are world-writable by design; fine with the sticky bit set. */
export const TMP_LIKE = ['/tmp', '/var/tmp', '/dev/shm', '/run/lock', '/var/lock'];

const writable = (e: FileInfo): boolean => (e.type === 'file' || e.type === 'dir') && (e.mode & 0o002) !== 0;

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const reported: Array<{ entry: FileInfo; inside: number }> = [];
    for (const e of input.fs.entries()) {
      if (!writable(e)) continue;
      const tmpRoot = TMP_LIKE.find((t) => e.path === t || e.path.startsWith(`${t}/`));
      if (tmpRoot && (e.path !== tmpRoot || (e.mode & 0o1000) !== 0)) continue;
      const parent = reported.find((r) => r.entry.type === 'dir' && e.path.startsWith(`${r.entry.path}/`));
      if (parent) {
        parent.inside++;
        continue;
      }
      reported.push({ entry: e, inside: 0 });
    }
    const out: Finding[] = [];
    for (const { entry, inside } of reported) {
      const mode = entry.mode.toString(8).padStart(4, '0');
      const kind = entry.type === 'dir' ? 'directory' : 'file';
      const sticky = entry.type === 'dir' && TMP_LIKE.includes(entry.path) ? ' without the sticky bit' : '';
      const more = inside ? `, with ${inside} more world-writable ${inside === 1 ? 'entry' : 'entries'} inside` : '';
      out.push(ctx.finding(meta, { path: entry.path, layer: ctx.layer(entry.layer) }, `${entry.path} is a world-writable ${kind}${sticky} (mode ${mode})${more}`));
    }
    return out;
  },
};
