import { findingFingerprint, type Finding, type FindingLocation, type StackLayer } from '../../core/finding.js';
import type { RuleMeta } from './types.js';

export interface RuleFindingParts {
  stackLayer: StackLayer;
  target: string;
  location: FindingLocation;
  description: string;
  /** What the finding is about (place, subject), fingerprinted after kind, rule id and target. */
  about: readonly string[];
}

/** A misconfiguration finding of one rule: the rule's metadata, where it was found and what was found. */
export function ruleFinding(meta: RuleMeta, parts: RuleFindingParts): Finding {
  return {
    id: meta.id,
    kind: 'misconfiguration',
    severity: meta.severity,
    stackLayer: parts.stackLayer,
    target: parts.target,
    location: parts.location,
    title: meta.title,
    description: parts.description,
    aliases: [...meta.aliases].sort(),
    references: [...meta.references],
    remediation: meta.remediation,
    fingerprint: findingFingerprint('misconfiguration', meta.id, parts.target, ...parts.about),
  };
}
