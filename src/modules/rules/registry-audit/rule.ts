import type { Finding, Severity } from '../../../core/finding.js';
import type { RegistryAuditFacts } from '../../../registry/audit/facts.js';
import { repositoryView, type RepositoryView } from '../../../registry/audit/view.js';
import { ruleFinding } from '../rule-finding.js';
import type { RuleMeta } from '../types.js';

export { defineMeta } from '../meta.js';

export const DISTRIBUTION_SPEC = 'https://github.com/opencontainers/distribution-spec/blob/main/spec.md';
export const IMAGE_SPEC_ARTIFACTS = 'https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage';
export const DISTRIBUTION_DOCS = 'https://distribution.github.io/distribution/';
export const NIST_800_190 = 'https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-190.pdf';

/** What every registry-audit rule can ask, beyond the facts. */
export interface RegistryAuditContext {
  target: string;
  now: Date;
  /** One view per repository, in facts order. */
  views: readonly RepositoryView[];
  /** A finding at `resource` ("/v2/", "<repo>:<tag>", "<repo>@<digest>"); severity overrides the rule's (--public). */
  finding(meta: RuleMeta, resource: string, description: string, about?: readonly string[], severity?: Severity): Finding;
}

export interface RegistryAuditRule {
  meta: RuleMeta;
  check(facts: RegistryAuditFacts, ctx: RegistryAuditContext): Finding[];
}

export function makeRegistryAuditContext(facts: RegistryAuditFacts, target: string, now: Date): RegistryAuditContext {
  return {
    target,
    now,
    views: facts.repositories.map(repositoryView),
    finding(meta, resource, description, about = [], severity) {
      const f = ruleFinding(meta, { stackLayer: 'registry', target, location: { resource }, description, about: [resource, ...about] });
      return severity && severity !== f.severity ? { ...f, severity } : f;
    },
  };
}

/** " (declared public: reported at LOW)" when --public lowered the severity. */
export function publicNote(facts: RegistryAuditFacts): string {
  return facts.options.public ? ' (the registry is declared public with --public, so this is expected and reported at LOW)' : '';
}

export const DAY_MS = 86_400_000;

/**
 * One finding per manifest a rule picks: `pick` lists a view's candidates, `describe` says what is wrong
 * with one (undefined: nothing), at the manifest's resource ("<repo>:<tag>" or "<repo>@<digest>").
 */
export function manifestFindings<M extends { digest: string }>(
  meta: RuleMeta,
  ctx: RegistryAuditContext,
  pick: (view: RepositoryView) => Iterable<M>,
  describe: (view: RepositoryView, m: M, where: string) => string | undefined,
  where: (view: RepositoryView, m: M) => string = (view, m) => view.resource(m.digest),
): Finding[] {
  const out: Finding[] = [];
  for (const view of ctx.views) {
    for (const m of pick(view)) {
      const at = where(view, m);
      const description = describe(view, m, at);
      if (description !== undefined) out.push(ctx.finding(meta, at, description, [m.digest]));
    }
  }
  return out;
}
