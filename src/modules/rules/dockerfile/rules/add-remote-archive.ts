import { CIS_DOCKER, DOCKLE, defineMeta, type DockerfileRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-008',
  title: 'ADD fetches a URL or unpacks a local archive',
  severity: 'MEDIUM',
  rationale:
    'ADD downloads URLs without verifying them (unless --checksum is given) and silently extracts local tar archives, so what lands in the image is not what the line says; COPY does exactly what it says.',
  remediation:
    'Use COPY, and for downloads `RUN curl -fsSLO <url> && echo "<sha256>  <file>" | sha256sum -c -` (or `ADD --checksum=sha256:...`); extract archives explicitly with tar in a RUN.',
  references: ['https://docs.docker.com/reference/dockerfile/#add', CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DOCKER-4.9', 'CIS-DI-0009'],
});

export const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tb2|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tlz|tar\.lzma|tar\.Z|taz|gz|bz2|xz|zst|lz|lzma|Z)$/i;
export const URL = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

export function addSources(words: string[]): string[] {
  return words.slice(0, -1);
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const instr of df.instructions) {
      if (instr.keyword !== 'ADD' || instr.heredocs.length) continue;
      const sources = addSources(instr.exec ?? instr.args.split(/\s+/));
      const url = sources.find((s) => URL.test(s));
      if (url && !instr.flags.has('checksum')) {
        out.push(ctx.finding(meta, instr, `ADD downloads ${url} without --checksum`));
        continue;
      }
      const archive = sources.find((s) => !URL.test(s) && ARCHIVE.test(s));
      if (archive) out.push(ctx.finding(meta, instr, `ADD implicitly extracts the archive ${archive}`));
    }
    return out;
  },
};
