import type { FixStatus } from '../../core/finding.js';
import type { OsvAffected } from '../types.js';

/**
 * The distro's own word on an unfixed flaw, where the record carries one (`ecosystem_specific.status` or
 * `database_specific.status`), mapped as the established scanners do: Debian's no-dsa and ignored are
 * decisions not to fix in this release, postponed is a deferred fix; Ubuntu's "deferred" likewise.
 */
const STATUS_WORDS: Record<string, FixStatus> = {
  'no-dsa': 'will_not_fix',
  ignored: 'will_not_fix',
  'will-not-fix': 'will_not_fix',
  'will_not_fix': 'will_not_fix',
  wontfix: 'will_not_fix',
  postponed: 'fix_deferred',
  deferred: 'fix_deferred',
  'fix_deferred': 'fix_deferred',
  'end-of-life': 'end_of_life',
  'end_of_life': 'end_of_life',
  eol: 'end_of_life',
};

export interface DistroStatus {
  word: string;
  status: FixStatus;
}

export function distroStatus(affected: OsvAffected): DistroStatus | undefined {
  for (const bag of [affected.ecosystemSpecific, affected.databaseSpecific]) {
    const raw = bag?.['status'];
    if (typeof raw !== 'string') continue;
    const word = raw.trim().toLowerCase().replace(/^<|>$/g, '');
    const status = STATUS_WORDS[word];
    if (status) return { word, status };
  }
  return undefined;
}
