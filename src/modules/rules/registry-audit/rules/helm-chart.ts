import { unattachedArtifacts } from '../artifacts.js';
import { IMAGE_SPEC_ARTIFACTS, defineMeta, manifestFindings, type RegistryAuditRule } from '../rule.js';

/**
 * Helm charts in an image registry are a common and accepted use (Helm 3.8+ pushes charts as OCI artifacts and
 * every major registry supports them), so they are not misuse in the sense of BW-REG-008: LOW, to make the
 * inventory visible and to remind that charts need the same access control, retention and signing as images.
 */
export const meta = defineMeta({
  id: 'BW-REG-009',
  title: 'Registry stores a Helm chart',
  severity: 'LOW',
  rationale:
    'Helm charts stored as OCI artifacts are an accepted registry use, but image scans and image retention policies do not cover them: charts deploy workloads and deserve the same access control, signing and clean-up as images.',
  remediation:
    'Keep charts in a dedicated repository path (e.g. charts/...), sign them (cosign or helm --sign provenance) and include them in retention policies; move them out if the registry is meant for images only.',
  references: ['https://helm.sh/docs/topics/registries/', 'https://helm.sh/community/hips/hip-0017', IMAGE_SPEC_ARTIFACTS],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check: (_facts, ctx) =>
    manifestFindings(meta, ctx, unattachedArtifacts, (_view, m, where) => (m.class.class === 'helm-chart' ? `${where} (${m.digest}) is a Helm chart` : undefined)),
};
