import { defineMeta, manifestFindings, type RegistryAuditRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-REG-007',
  title: 'Image uses the deprecated Docker schema 1 manifest',
  severity: 'MEDIUM',
  rationale:
    'Image manifest v2 schema 1 is deprecated and removed from current Docker and containerd: such images no longer pull, carry no content-addressed config, and their signing scheme (libtrust JWS) is obsolete.',
  remediation: 'Rebuild the image, or convert it (e.g. skopeo copy --format oci or docker pull/push with a current client), and delete the schema 1 manifest.',
  references: ['https://docs.docker.com/engine/deprecated/#pushing-and-pulling-with-image-manifest-v2-schema-1', 'https://distribution.github.io/distribution/spec/deprecated-schema-v1/'],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check: (_facts, ctx) =>
    manifestFindings(meta, ctx, (view) => view.repo.manifests, (_view, m, where) => (m.class.class === 'schema1' ? `${where} (${m.digest}) is a ${m.class.label} manifest` : undefined)),
};
