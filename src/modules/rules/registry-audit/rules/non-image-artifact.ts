import { unattachedArtifacts } from '../artifacts.js';
import { IMAGE_SPEC_ARTIFACTS, NIST_800_190, defineMeta, manifestFindings, type RegistryAuditRule } from '../rule.js';

/**
 * Non-image artifacts (SBOMs, attestations and signatures that describe nothing, Wasm, CNAB, generic ORAS blobs)
 * stored on their own: the registry is being used as a general artifact store. Attached ones (subject, referrers,
 * `sha256-<hex>.sig|.att|.sbom` tags) are fine. Helm charts have their own, lower-severity rule (BW-REG-009).
 */
export const meta = defineMeta({
  id: 'BW-REG-008',
  title: 'Registry stores a non-image artifact not attached to an image',
  severity: 'MEDIUM',
  rationale:
    'A container registry secured, scanned and retained for images is a poor general artifact store: files pushed as artifacts escape image scanning and retention policies, and an open registry becomes a file drop anyone can fill or read.',
  remediation:
    'Keep general files in an artifact repository meant for them; attach supply-chain artifacts (signatures, SBOMs, attestations) to the image they describe (OCI subject / referrers), and delete orphans.',
  references: [IMAGE_SPEC_ARTIFACTS, 'https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers', NIST_800_190],
  aliases: [],
});

export const rule: RegistryAuditRule = {
  meta,
  check: (_facts, ctx) =>
    manifestFindings(meta, ctx, unattachedArtifacts, (_view, m, where) =>
      m.class.class === 'helm-chart' ? undefined : `${where} (${m.digest}) is a ${m.class.label}, not attached to any image`,
    ),
};
