import { CIS_DOCKER, DOCKLE, HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';
import { ARCHIVE, URL } from '../../add-sources.js';
import { adds } from './add-remote-archive.js';

export const meta = defineMeta({
  id: 'BW-DF-009',
  title: 'ADD used for plain files and folders',
  severity: 'LOW',
  rationale: 'ADD has URL and archive-extraction magic that COPY lacks; for local files and folders COPY says exactly what happens.',
  remediation: 'Replace ADD with COPY for local files and directories.',
  references: [`${HADOLINT_WIKI}DL3020`, CIS_DOCKER, DOCKLE],
  aliases: ['DL3020', 'CIS-DOCKER-4.9', 'CIS-DI-0009'],
});

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const { instr, sources } of adds(df)) {
      if (sources.length && sources.every((s) => !URL.test(s) && !ARCHIVE.test(s))) {
        out.push(ctx.finding(meta, instr, 'ADD copies local files or folders; use COPY'));
      }
    }
    return out;
  },
};
