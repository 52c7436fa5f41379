import { ARCHIVE, URL, withoutPassword } from '../../add-sources.js';
import type { DfInstruction, ParsedDockerfile } from '../parse.js';
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

/** Every ADD without a heredoc, with its sources (every word but the destination). */
export function* adds(df: ParsedDockerfile): Generator<{ instr: DfInstruction; sources: string[] }> {
  for (const instr of df.instructions) {
    if (instr.keyword !== 'ADD' || instr.heredocs.length) continue;
    yield { instr, sources: (instr.exec ?? instr.args.split(/\s+/)).slice(0, -1) };
  }
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const { instr, sources } of adds(df)) {
      const url = sources.find((s) => URL.test(s));
      if (url && !instr.flags.has('checksum')) {
        out.push(ctx.finding(meta, instr, `ADD downloads ${withoutPassword(url)} without --checksum`));
        continue;
      }
      const archive = sources.find((s) => !URL.test(s) && ARCHIVE.test(s));
      if (archive) out.push(ctx.finding(meta, instr, `ADD implicitly extracts the archive ${archive}`));
    }
    return out;
  },
};
