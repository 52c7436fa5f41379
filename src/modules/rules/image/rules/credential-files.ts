import type { Finding } from '../../../../core/finding.js';
import { CIS_DOCKER, DOCKLE, defineMeta, type ImageRule } from '../rule.js';
import { credentialKind } from '../sensitive.js';

export const meta = defineMeta({
  id: 'BW-IMG-007',
  title: 'Credential or private key file in the image',
  severity: 'HIGH',
  rationale:
    'Everyone who can pull the image can read every file in every layer: private keys, cloud credential files, .env files and package-registry tokens left in it are disclosed to all of them, and deleting them in a later layer does not remove them from the earlier one.',
  remediation:
    'Do not COPY credentials into images: pass them at build time with `RUN --mount=type=secret` and at run time with the orchestrator\'s secrets; add them to .dockerignore; rotate any credential that was ever in a pushed image.',
  references: ['https://docs.docker.com/build/building/secrets/', CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DI-0010', 'CIS-DOCKER-4.10'],
});

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    for (const e of input.fs.entries()) {
      if (e.type !== 'file' || e.size === 0) continue;
      const kind = credentialKind(e.path.slice(1));
      if (!kind) continue;
      const why = kind.judge(input.fs.read(e.path)?.toString('utf8'), e.path);
      if (why) out.push(ctx.finding(meta, { path: e.path, layer: ctx.layer(e.layer) }, `${e.path}: ${why}`));
    }
    return out;
  },
};
