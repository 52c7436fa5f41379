import { attachmentFromTag, kindOfMediaType, type ArtifactKind } from './classify.js';
import type { ManifestFacts, RepositoryFacts } from './facts.js';

/**
 * What the rules ask about one repository, derived from its facts once: which digests the tags reach (through index
 * children), what is attached to what (subject, referrers API, `sha256-<hex>.sig` tags), which images are signed.
 */
export interface RepositoryView {
  repo: RepositoryFacts;
  byDigest: ReadonlyMap<string, ManifestFacts>;
  /** Tags that point straight at a digest, sorted. */
  tagsOf(digest: string): string[];
  /** Digests reachable from a tag: tagged ones and, through indexes, their children. */
  reachable: ReadonlySet<string>;
  /** For an index child: the tagged index digests that list it. */
  parentsOf(digest: string): string[];
  /** Kinds attached to a digest (signature, sbom, attestation, ...), from every source. */
  attachmentsOf(digest: string): ReadonlySet<ArtifactKind>;
  /** Signed itself, or listed by a signed index. */
  signed(digest: string): boolean;
  /** `<repo>:<tag>` when the digest is tagged (first tag), else `<repo>@<digest>`. */
  resource(digest: string): string;
}

export function repositoryView(repo: RepositoryFacts): RepositoryView {
  const byDigest = new Map(repo.manifests.map((m) => [m.digest, m]));
  const tags = new Map<string, string[]>();
  for (const t of repo.tags) tags.set(t.digest, [...(tags.get(t.digest) ?? []), t.tag].sort());

  const attachments = new Map<string, Set<ArtifactKind>>();
  const attach = (subject: string, kind: ArtifactKind): void => {
    const set = attachments.get(subject) ?? new Set<ArtifactKind>();
    set.add(kind);
    attachments.set(subject, set);
  };
  for (const m of repo.manifests) {
    if (m.class.attachedTo) attach(m.class.attachedTo, m.class.class);
    for (const r of m.referrers ?? []) {
      const kind = byDigest.get(r.digest)?.class.class ?? kindOfMediaType(r.artifactType) ?? 'artifact';
      attach(m.digest, kind);
    }
  }
  for (const t of repo.tags) {
    const hint = attachmentFromTag(t.tag);
    if (!hint || hint.kind === 'referrers') continue;
    attach(hint.digest, hint.kind === 'sig' ? 'signature' : hint.kind === 'att' ? 'attestation' : 'sbom');
  }

  const reachable = new Set<string>();
  const parents = new Map<string, string[]>();
  const visit = (digest: string, from?: string): void => {
    if (from) parents.set(digest, [...new Set([...(parents.get(digest) ?? []), from])].sort());
    if (reachable.has(digest)) return;
    reachable.add(digest);
    for (const child of byDigest.get(digest)?.children ?? []) visit(child, digest);
  };
  for (const t of repo.tags) visit(t.digest);

  const attachmentsOf = (digest: string): ReadonlySet<ArtifactKind> => attachments.get(digest) ?? new Set();
  const signedMemo = new Map<string, boolean>();
  const signed = (digest: string, seen: Set<string> = new Set()): boolean => {
    const known = signedMemo.get(digest);
    if (known !== undefined) return known;
    if (seen.has(digest)) return false;
    seen.add(digest);
    const result = attachmentsOf(digest).has('signature') || (parents.get(digest) ?? []).some((p) => signed(p, seen));
    signedMemo.set(digest, result);
    return result;
  };

  return {
    repo,
    byDigest,
    tagsOf: (digest) => tags.get(digest) ?? [],
    reachable,
    parentsOf: (digest) => parents.get(digest) ?? [],
    attachmentsOf,
    signed: (digest) => signed(digest),
    resource: (digest) => {
      const first = tags.get(digest)?.[0];
      return first !== undefined ? `${repo.name}:${first}` : `${repo.name}@${digest}`;
    },
  };
}
