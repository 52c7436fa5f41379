import { isContainerImage } from '../../../registry/audit/classify.js';
import type { ManifestFacts } from '../../../registry/audit/facts.js';
import type { RepositoryView } from '../../../registry/audit/view.js';

/** Digests some manifest's referrers list names: attached even when their own subject field is missing. */
export function referredDigests(view: RepositoryView): Set<string> {
  return new Set(view.repo.manifests.flatMap((m) => (m.referrers ?? []).map((r) => r.digest)));
}

/** Digests that are some index's child. */
export function childDigests(view: RepositoryView): Set<string> {
  return new Set(view.repo.manifests.flatMap((m) => m.children ?? []));
}

/**
 * Top-level non-image manifests not attached to anything: the "general artifact store" use. Index children are
 * judged through their index; unknown manifests are not judged.
 */
export function unattachedArtifacts(view: RepositoryView): ManifestFacts[] {
  const referred = referredDigests(view);
  const children = childDigests(view);
  return view.repo.manifests.filter((m) => {
    const kind = m.class.class;
    if (isContainerImage(kind) || kind === 'unknown') return false;
    if (m.class.attachedTo || referred.has(m.digest) || children.has(m.digest)) return false;
    return kind !== 'referrers-index';
  });
}
