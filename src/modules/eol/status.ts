import type { EolData, EolRelease, EolStatus, EolTable } from './types.js';
import { loadEolData } from './load.js';

export const DEFAULT_NEAR_DAYS = 90;

export interface OsRef {
  family: string;
  version?: string;
  codename?: string;
}

export interface EolStatusOptions {
  /** A release whose support ends within this many days is 'near-eol' (default 90). */
  nearDays?: number;
  /** Tables to use instead of loadEolData()'s (shipped, overridden by $BULWARK_EOL_DATA). */
  data?: EolData;
}

let defaultData: EolData | undefined;

/** "3.19.1" -> ["3.19.1", "3.19", "3"]: os-release carries point releases, the tables list branches or majors. */
function versionCandidates(version: string): string[] {
  const numeric = /^\d+(?:\.\d+)*/.exec(version.trim())?.[0];
  if (!numeric) return [];
  const parts = numeric.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

export function findRelease(table: EolTable, os: OsRef): EolRelease | undefined {
  if (os.version) {
    for (const candidate of versionCandidates(os.version)) {
      const hit = table.releases.find((r) => r.version === candidate);
      if (hit) return hit;
    }
  }
  // Debian testing has a codename and no VERSION_ID; "trixie/sid" in debian_version names it too.
  const codename = os.codename?.toLowerCase().split('/')[0];
  if (codename) return table.releases.find((r) => r.codename === codename);
  return undefined;
}

function utcDay(date: Date): number {
  return Math.floor(date.getTime() / 86_400_000);
}

function isoDay(iso: string): number {
  return utcDay(new Date(`${iso}T00:00:00Z`));
}

/**
 * Support status of an OS release on the day `now` falls on (UTC). The end-of-life date itself counts as
 * end of life. A known release with no announced end is 'supported'; a family or release absent from the
 * data is 'unknown', never assumed supported or unsupported.
 */
export function eolStatus(os: OsRef, now: Date, options: EolStatusOptions = {}): EolStatus {
  const data = options.data ?? (defaultData ??= loadEolData());
  const nearDays = options.nearDays ?? DEFAULT_NEAR_DAYS;
  const table = data.get(os.family.toLowerCase());
  if (!table) return { status: 'unknown', source: `no end-of-life table for "${os.family}"` };
  const release = findRelease(table, os);
  if (!release) return { status: 'unknown', source: table.source };
  const out: EolStatus = { status: 'supported', release: release.label, source: table.source };
  if (release.extended) out.extendedUntil = release.extended;
  if (!release.eol) return out;
  out.eolDate = release.eol;
  const daysLeft = isoDay(release.eol) - utcDay(now);
  if (daysLeft <= 0) out.status = 'eol';
  else if (daysLeft <= nearDays) out.status = 'near-eol';
  return out;
}
