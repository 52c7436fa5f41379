import { eolStatus } from '../../eol/index.js';
import type { ImageRuleInput, ImageRuleOptions } from './types.js';

/** When the parent OS release stops getting security updates, as far as the data says. */
export interface SupportEnd {
  /** e.g. "Debian 10 (Buster)". */
  release: string;
  /** The day security support ends (ISO date). */
  date: string;
  /** Days from `now` (UTC days) to that date; 0 or less when it has passed. */
  daysLeft: number;
  /** How the date was chosen, for the message. */
  note: string;
}

const DAY = 86_400_000;
const utcDay = (d: Date): number => Math.floor(d.getTime() / DAY);

/**
 * Debian LTS updates come from the same security archive as regular ones, so for Debian the end is the
 * LTS date; for other families (Ubuntu ESM, RHEL ELS are paid, separate channels) it is the regular one.
 * Undefined for an unknown release or one with no announced end.
 */
export function supportEnd(input: ImageRuleInput, options: ImageRuleOptions): SupportEnd | undefined {
  const os = input.os;
  if (!os) return undefined;
  const status = eolStatus(os, options.now, { data: options.eol, nearDays: options.eolNearDays });
  if (status.status === 'unknown' || !status.eolDate) return undefined;
  const family = os.family.toLowerCase();
  const useLts = family === 'debian' && status.extendedUntil !== undefined;
  const date = useLts ? status.extendedUntil! : status.eolDate;
  const name = family === 'debian' ? 'Debian' : os.prettyName?.split(' ')[0] ?? os.family;
  const release = `${name} ${status.release ?? os.version ?? ''}`.trim();
  const note = useLts ? `end of Debian LTS; regular security support ended ${status.eolDate}` : 'end of security support';
  return { release, date, daysLeft: utcDay(new Date(`${date}T00:00:00Z`)) - utcDay(options.now), note };
}
