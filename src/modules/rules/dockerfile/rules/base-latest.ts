import { DOCKLE, HADOLINT_WIKI, defineMeta, type DockerfileRule } from '../rule.js';
import { judgeable } from './base-untagged.js';

export const meta = defineMeta({
  id: 'BW-DF-006',
  title: 'Base image pinned to the latest tag',
  severity: 'MEDIUM',
  rationale:
    '`latest` moves: rebuilding the same Dockerfile later gives a different image, and a breaking or vulnerable release arrives unannounced.',
  remediation: 'Use a version tag, `FROM node:20.11-bookworm-slim`, or pin by digest.',
  references: [`${HADOLINT_WIKI}DL3007`, DOCKLE],
  aliases: ['DL3007', 'DKL-DI-0006'],
});

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    return df.stages
      .filter((s) => judgeable(s) && s.from.tag === 'latest')
      .map((s) => ctx.finding(meta, s.fromInstruction, `FROM ${s.from.image} uses the latest tag`));
  },
};
