import { PROJECT_NAME } from './purl.js';
import type { LockEntry } from './lock-entry.js';

export interface Requirements {
  /** Pinned requirements (`name==version`, `name[extra]===version ; marker`). */
  entries: LockEntry[];
  /** Files named by `-r` / `--requirement`, as written (relative to the requirements file's directory). */
  includes: string[];
}

/** Logical lines: comments dropped (" #" or a leading "#"), backslash continuations joined. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '');
    if (/\\$/.test(line)) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    out.push((pending + line).trim());
    pending = '';
  }
  if (pending.trim() !== '') out.push(pending.trim());
  return out.filter((l) => l !== '');
}

const INCLUDE = /^(?:-r|--requirement)(?:\s+|=)?(\S+)$/;
/** name, optional [extras], then "==" or "===" and one version with no wildcard, then options or a ";" marker. */
const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,*]+)\s*(?:;.*|\s+--?\S.*)?$/;

/**
 * pip requirements files. Only exact pins say which version is installed: ranges, unpinned names, URLs,
 * editable installs and options are skipped; `-r` includes are returned for the caller to follow.
 */
export function parseRequirements(text: string): Requirements {
  const entries: LockEntry[] = [];
  const includes: string[] = [];
  for (const line of logicalLines(text)) {
    const include = INCLUDE.exec(line);
    if (include) {
      includes.push(include[1]!);
      continue;
    }
    if (line.startsWith('-')) continue;
    const m = PINNED.exec(line);
    if (!m || !PROJECT_NAME.test(m[1]!)) continue;
    // "a==1.0,<2" is a compound specifier, not one pin; the regex stops the version at the comma.
    if (/^[^;]*,/.test(line.replace(/\[[^\]]*\]/, ''))) continue;
    entries.push({ name: m[1]!, version: m[2]! });
  }
  return { entries, includes };
}
