/** Passwordless sudo: NOPASSWD tags and "Defaults !authenticate" in /etc/sudoers and the files it includes. */
import { posix } from 'node:path';
import type { HostView } from '../../../../host/types.js';
import { readText } from '../section1/define.js';

export const SUDOERS = '/etc/sudoers';
const MAX_DEPTH = 8;

export interface SudoFinding {
  /** "file:line". */
  at: string;
  rule: string;
}

/** sudo skips included-directory entries that end in "~" or contain a ".". */
function sudoIncludable(name: string): boolean {
  return !name.endsWith('~') && !name.includes('.');
}

export async function passwordlessSudo(view: HostView): Promise<{ findings: SudoFinding[]; files: string[] } | undefined> {
  const main = await readText(view, SUDOERS);
  if (main === undefined) return undefined;
  const out = { findings: [] as SudoFinding[], files: [] as string[] };
  await scan(view, SUDOERS, main, out, 0);
  return out;
}

async function scan(view: HostView, file: string, text: string, out: { findings: SudoFinding[]; files: string[] }, depth: number): Promise<void> {
  if (out.files.includes(file)) return;
  out.files.push(file);
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let line = raw[i]!;
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1) + ' ' + raw[++i]!;
    const trimmed = line.trim();
    const include = /^[#@](include|includedir)\s+(.+)$/.exec(trimmed);
    if (include) {
      if (depth >= MAX_DEPTH) continue;
      const target = include[2]!.trim().replace(/^"(.*)"$/, '$1');
      const path = target.startsWith('/') ? target : posix.join(posix.dirname(file), target);
      if (include[1] === 'include') {
        const t = await readText(view, path);
        if (t !== undefined) await scan(view, path, t, out, depth + 1);
      } else {
        for (const name of ((await view.readdir(path)) ?? []).filter(sudoIncludable).sort()) {
          const t = await readText(view, `${path}/${name}`);
          if (t !== undefined) await scan(view, `${path}/${name}`, t, out, depth + 1);
        }
      }
      continue;
    }
    const body = trimmed.replace(/(^|\s)#.*$/, '').trim();
    if (body === '') continue;
    if (/(^|[\s,:])NOPASSWD\s*:/.test(body) || /^Defaults\b.*!\s*authenticate\b/.test(body)) {
      out.findings.push({ at: `${file}:${start + 1}`, rule: body.replace(/\s+/g, ' ') });
    }
  }
}
