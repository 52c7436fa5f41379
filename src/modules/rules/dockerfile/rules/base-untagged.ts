import { DOCKLE, HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';
import type { Stage } from '../parse.js';

export const meta = defineMeta({
  id: 'BW-DF-005',
  title: 'Base image without a tag or digest',
  severity: 'MEDIUM',
  rationale:
    'An untagged FROM means `latest`: each build may start from a different image, with different packages and vulnerabilities, and nobody chose it.',
  remediation: 'Name the version, `FROM debian:12.5`, or pin the exact image by digest, `FROM debian:12.5@sha256:...`.',
  references: [`${HADOLINT_WIKI}DL3006`, 'https://docs.docker.com/reference/dockerfile/#from', DOCKLE],
  aliases: ['DL3006'],
});

/** Whether a stage's FROM names a registry image whose version this rule pack can judge. */
export function judgeable(stage: Stage): boolean {
  return !stage.isScratch && stage.parent === null && !stage.from.unresolved && stage.from.digest === null;
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    return df.stages
      .filter((s) => judgeable(s) && s.from.tag === null)
      .map((s) => ctx.finding(meta, s.fromInstruction, `FROM ${s.from.image} has no tag or digest, so it means :latest`));
  },
};
