import type { Finding } from '../../../../core/finding.js';
import { DOCKLE, HADOLINT_WIKI, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-012',
  title: 'Image or parent image is untagged or tagged latest',
  severity: 'LOW',
  rationale:
    '`latest` (or no tag at all) names whatever was pushed last: deployments and rebuilds silently change what they run, cannot be reproduced and cannot be rolled back to a known version.',
  remediation: 'Tag images with an immutable version (and deploy by digest); build FROM a versioned tag or digest and record it in the `org.opencontainers.image.base.name` / `.base.digest` labels.',
  references: ['https://vsupalov.com/docker-latest-tag/', `${HADOLINT_WIKI}DL3006`, `${HADOLINT_WIKI}DL3007`, DOCKLE],
  aliases: ['DKL-DI-0006', 'DL3006', 'DL3007'],
});

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

/** The tag of a reference ("repo:tag", "host:5000/repo:tag", "repo@sha256:..."): undefined when there is none. */
export function tagOf(reference: string): { tag?: string; digest: boolean } {
  const at = reference.indexOf('@');
  const name = at >= 0 ? reference.slice(0, at) : reference;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
  return { ...(tag ? { tag } : {}), digest: at >= 0 };
}

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    const tags = input.repoTags.filter((t) => t && t !== '<none>:<none>');
    if (tags.length === 0) out.push(ctx.finding(meta, { resource: 'repoTags' }, 'The image has no tag (known only by digest or id)'));
    for (const ref of tags) {
      const { tag } = tagOf(ref);
      if (!tag) out.push(ctx.finding(meta, { resource: 'repoTags', subject: ref }, `The image is referenced as ${ref} without a tag, which means latest`));
      else if (tag === 'latest') out.push(ctx.finding(meta, { resource: 'repoTags', subject: ref }, `The image is tagged ${ref}`));
    }
    const labels = input.config.config?.Labels ?? {};
    const base = labels[BASE_NAME]?.trim();
    if (base && !labels[BASE_DIGEST]) {
      const { tag, digest } = tagOf(base);
      const resource = `config.Labels["${BASE_NAME}"]`;
      if (!digest && !tag) out.push(ctx.finding(meta, { resource, subject: base }, `The parent image ${base} has no tag, which means latest`));
      else if (!digest && tag === 'latest') out.push(ctx.finding(meta, { resource, subject: base }, `The parent image is ${base}`));
    }
    return out;
  },
};
