import type { Finding } from '../../../../core/finding.js';
import { ARCHIVE, URL, withoutPassword } from '../../add-sources.js';
import { CIS_DOCKER, DOCKLE, HADOLINT_WIKI, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-011',
  title: 'ADD used where COPY would do',
  severity: 'MEDIUM',
  rationale:
    'ADD downloads URLs without verifying them (unless --checksum is given) and silently extracts local archives, so what lands in the image is not what the line says; COPY does exactly what it says.',
  remediation:
    'Use COPY; for downloads `RUN curl -fsSLO <url> && sha256sum -c` (or `ADD --checksum=sha256:...`); extract archives explicitly with tar in a RUN.',
  references: ['https://docs.docker.com/reference/dockerfile/#add', `${HADOLINT_WIKI}DL3020`, CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DI-0009', 'CIS-DOCKER-4.9', 'DL3020'],
});


/** What an ADD history line did, or null when it is not an ADD (or is a base image's root filesystem). */
export function describeAdd(createdBy: string): string | null {
  const text = createdBy.replace(/\s+/g, ' ').trim().replace(/^\/bin\/(?:ba)?sh -c #\(nop\) ?/, '').replace(/ # buildkit$/, '').trim();
  if (!/^ADD\s/.test(text)) return null;
  const words = text.split(' ').slice(1).filter((w) => w !== '');
  const checksum = words.some((w) => w.startsWith('--checksum'));
  const args = words.filter((w) => !w.startsWith('--'));
  // Legacy builder: "ADD file:<sha256> in /dest" (also "dir:" and "multi:"); the source name is gone.
  if (args.length === 3 && args[1] === 'in' && /^(file|dir|multi):[0-9a-f]+$/.test(args[0]!)) {
    if (args[2] === '/') return null;
    return `ADD copied local ${args[0]!.split(':')[0] === 'dir' ? 'directory' : 'content'} into ${args[2]}; COPY would do the same without implicit archive extraction`;
  }
  const sources = args.slice(0, -1);
  const dest = args[args.length - 1] ?? '';
  const url = sources.find((s) => URL.test(s));
  if (url) return checksum ? null : `ADD downloads ${withoutPassword(url)} into ${dest} without --checksum`;
  const archive = sources.find((s) => ARCHIVE.test(s));
  if (archive) return `ADD implicitly extracts the local archive ${archive} into ${dest}`;
  if (sources.length === 0) return null;
  return `ADD copies ${sources.join(' ')} into ${dest}; COPY would do`;
}

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    let layer = 0;
    (input.config.history ?? []).forEach((h, i) => {
      const index = h.empty_layer ? undefined : layer++;
      const why = describeAdd(h.created_by ?? '');
      if (why) out.push(ctx.finding(meta, { resource: `history[${i}]`, layer: ctx.layer(index ?? -1) }, why));
    });
    return out;
  },
};
