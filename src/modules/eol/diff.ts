import type { EolRelease, EolTable } from './types.js';

function key(r: EolRelease): string {
  return r.codename ?? r.version ?? r.label;
}

function describe(r: EolRelease): string {
  return `released ${r.released ?? '-'}, eol ${r.eol ?? '-'}, extended ${r.extended ?? '-'}`;
}

/** What an update changes in one table, one line per release added, removed or changed. */
export function diffTables(before: EolTable | undefined, after: EolTable): string[] {
  const old = new Map((before?.releases ?? []).map((r) => [key(r), r]));
  const lines: string[] = [];
  for (const r of after.releases) {
    const prev = old.get(key(r));
    old.delete(key(r));
    if (!prev) lines.push(`${after.family}: added ${r.label}: ${describe(r)}`);
    else if (describe(prev) !== describe(r) || prev.label !== r.label) {
      lines.push(`${after.family}: changed ${r.label}: ${describe(prev)} -> ${describe(r)}`);
    }
  }
  for (const r of old.values()) lines.push(`${after.family}: removed ${r.label}`);
  return lines;
}
