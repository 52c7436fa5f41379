/**
 * auditd rules as written on the host: /etc/audit/audit.rules (what augenrules generates, or what
 * auditctl loads at boot) and /etc/audit/rules.d/*.rules (what augenrules assembles it from).
 * Only file watches matter here: "-w PATH [-p PERMS] [-k KEY]" and syscall rules carrying
 * "-F path=PATH" or "-F dir=PATH". A later "-W PATH" removes an earlier watch of the same file.
 */
import type { HostView } from '../../../../host/types.js';
import { readText } from './define.js';

export const AUDIT_RULES = '/etc/audit/audit.rules';
export const AUDIT_RULES_D = '/etc/audit/rules.d';

export interface AuditWatch {
  /** The watched path as written (a trailing "/" removed). */
  path: string;
  /** "-w" watch, "-F path=" (that file only) or "-F dir=" (the directory tree). */
  kind: 'watch' | 'path' | 'dir';
  perms?: string;
  key?: string;
  /** "file:line" the rule is on. */
  at: string;
}

/** Splits one rule line into words; audit rules are not shell, but quotes around a key are common. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The watches of one rules file, in order, with "-W" removals applied. */
export function parseAuditRules(text: string, file: string): AuditWatch[] {
  let watches: AuditWatch[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const w = words(line);
    const at = `${file}:${i + 1}`;
    const value = (flag: string): string | undefined => {
      const idx = w.indexOf(flag);
      return idx >= 0 ? w[idx + 1] : undefined;
    };
    if (w[0] === '-w' && w[1]) {
      const perms = value('-p');
      const key = value('-k') ?? fieldValue(w, 'key');
      watches.push({ path: trimSlash(w[1]), kind: 'watch', at, ...(perms ? { perms } : {}), ...(key ? { key } : {}) });
      return;
    }
    if (w[0] === '-W' && w[1]) {
      const gone = trimSlash(w[1]);
      watches = watches.filter((x) => !(x.kind === 'watch' && x.path === gone));
      return;
    }
    if (w[0] === '-a' || w[0] === '-A') {
      const key = value('-k') ?? fieldValue(w, 'key');
      const perms = fieldValue(w, 'perm');
      for (let j = 0; j < w.length - 1; j++) {
        if (w[j] !== '-F') continue;
        const m = /^(path|dir)=(.+)$/.exec(w[j + 1]!);
        if (!m) continue;
        watches.push({ path: trimSlash(m[2]!), kind: m[1] as 'path' | 'dir', at, ...(perms ? { perms } : {}), ...(key ? { key } : {}) });
      }
    }
  });
  return watches;
}

function fieldValue(w: readonly string[], name: string): string | undefined {
  for (let j = 0; j < w.length - 1; j++) {
    if (w[j] !== '-F') continue;
    const m = new RegExp(`^${name}=(.*)$`).exec(w[j + 1]!);
    if (m) return m[1];
  }
  return undefined;
}

export interface AuditRuleSet {
  watches: AuditWatch[];
  /** Rules files read, in order. */
  files: string[];
}

/** Every watch in audit.rules and rules.d/*.rules (sorted by name, as augenrules reads them). */
export async function loadAuditRules(view: HostView): Promise<AuditRuleSet> {
  const files: string[] = [];
  const watches: AuditWatch[] = [];
  const main = await readText(view, AUDIT_RULES);
  if (main !== undefined) {
    files.push(AUDIT_RULES);
    watches.push(...parseAuditRules(main, AUDIT_RULES));
  }
  for (const name of ((await view.readdir(AUDIT_RULES_D)) ?? []).filter((n) => n.endsWith('.rules')).sort()) {
    const path = `${AUDIT_RULES_D}/${name}`;
    const text = await readText(view, path);
    if (text === undefined) continue;
    files.push(path);
    watches.push(...parseAuditRules(text, path));
  }
  return { watches, files };
}

/**
 * Whether a watch audits `target`: the same path, or a directory above it watched recursively
 * ("-w DIR" on a directory, "-F dir=DIR"). `isDir` says whether a "-w" path is a directory on the host.
 */
export function watchCovers(watch: AuditWatch, target: string, isDir: (path: string) => boolean): boolean {
  const t = trimSlash(target);
  if (watch.path === t) return true;
  const under = t.startsWith(watch.path === '/' ? '/' : `${watch.path}/`);
  if (!under) return false;
  if (watch.kind === 'dir') return true;
  return watch.kind === 'watch' && isDir(watch.path);
}
