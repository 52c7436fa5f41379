import type { Finding } from '../../../../core/finding.js';
import { CIS_DOCKER, DOCKLE, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-005',
  title: 'setuid or setgid file',
  severity: 'LOW',
  rationale:
    'A setuid or setgid executable runs with its owner\'s or group\'s privileges whoever starts it; a flaw in any of them (or a copied shell) turns a container user into root. Most containers need none.',
  remediation:
    'Remove the bits in the final stage, e.g. `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`, or remove the files; run the container with `--security-opt no-new-privileges`.',
  references: [CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DI-0008', 'CIS-DOCKER-4.8'],
});

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    for (const e of input.fs.entries()) {
      if (e.type !== 'file' || (e.mode & 0o6000) === 0) continue;
      const bits = [(e.mode & 0o4000) !== 0 ? `setuid (runs as UID ${e.uid})` : '', (e.mode & 0o2000) !== 0 ? `setgid (runs as GID ${e.gid})` : ''].filter(Boolean);
      const mode = e.mode.toString(8).padStart(4, '0');
      out.push(ctx.finding(meta, { path: e.path, layer: ctx.layer(e.layer) }, `${e.path} is ${bits.join(' and ')}, mode ${mode}`));
    }
    return out;
  },
};
