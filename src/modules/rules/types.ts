import type { Finding, Severity } from '../../core/finding.js';

/**
 * A rule's metadata: data beside the rule, so that `bulwark rules`, the docs and SARIF rule
 * descriptors are all generated from one source.
 */
export interface RuleMeta {
  /** Stable id, e.g. "BW-DF-001"; never reused for another meaning. */
  id: string;
  /** One line, imperative or descriptive, no trailing period. */
  title: string;
  severity: Severity;
  /** Why it matters. */
  rationale: string;
  /** What to do instead. */
  remediation: string;
  references: string[];
  /**
   * Cross-reference ids of the same check elsewhere: hadolint DL ids, CIS Docker Benchmark section 4
   * ids (as "CIS-DOCKER-4.1"), Dockle ids (CIS-DI-0001, DKL-DI-0001, ...). Sorted.
   */
  aliases: string[];
}

/** A rule: its metadata and the check that turns an input into findings. */
export interface Rule<Input, Context> {
  meta: RuleMeta;
  check(input: Input, context: Context): Finding[];
}

/** A rule pack (dockerfile, image, kubernetes, ...): lists its rules' metadata. */
export interface RulePack {
  id: string;
  rules(): RuleMeta[];
}
