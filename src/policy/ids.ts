import type { Finding } from '../core/finding.js';

/** Every id a finding answers to, lower case: its own id and its aliases (CVE, GHSA, DSA, ...). */
export function findingIds(finding: Finding): Set<string> {
  return new Set([finding.id, ...finding.aliases].map((id) => id.trim().toLowerCase()));
}

/** True when any of `ids` names the finding (case-insensitive). */
export function namesFinding(ids: Iterable<string>, finding: Finding): boolean {
  const own = findingIds(finding);
  for (const id of ids) if (own.has(id.trim().toLowerCase())) return true;
  return false;
}
