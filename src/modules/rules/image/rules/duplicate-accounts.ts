import type { Finding } from '../../../../core/finding.js';
import { readAccounts, type AccountLine } from '../accounts.js';
import { DOCKLE, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-017',
  title: 'Duplicate UID, GID, user or group name',
  severity: 'MEDIUM',
  rationale:
    'Accounts sharing a UID are the same user to the kernel: a second UID 0 account is a hidden root, and files, audit records and access rules meant for one account apply to the other; duplicate names make which entry applies depend on the tool.',
  remediation: 'Give every account and group its own name and id; remove extra UID 0 accounts (`userdel -f <name>`).',
  references: [DOCKLE, 'https://man7.org/linux/man-pages/man5/passwd.5.html'],
  aliases: ['DKL-LI-0002'],
});

function groups<K>(lines: AccountLine[], key: (a: AccountLine) => K | undefined): Array<[K, AccountLine[]]> {
  const by = new Map<K, AccountLine[]>();
  for (const a of lines) {
    const k = key(a);
    if (k === undefined) continue;
    by.set(k, [...(by.get(k) ?? []), a]);
  }
  return [...by].filter(([, list]) => list.length > 1);
}

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    for (const [path, what, idName] of [['/etc/passwd', 'user', 'UID'], ['/etc/group', 'group', 'GID']] as const) {
      const lines = readAccounts(input.fs, path);
      if (!lines) continue;
      const layer = ctx.layer(input.fs.stat(path)?.layer ?? -1);
      for (const [id, list] of groups(lines, (a) => (Number.isNaN(a.id) ? undefined : a.id))) {
        const names = list.map((a) => a.name).join(', ');
        const root = path === '/etc/passwd' && id === 0 ? ': every one of them is root' : '';
        out.push(ctx.finding(meta, { path, layer, subject: `${idName}:${id}` }, `${idName} ${id} is shared by ${what}s ${names} in ${path}${root}`));
      }
      for (const [name, list] of groups(lines, (a) => a.name)) {
        const at = list.map((a) => a.line).join(', ');
        out.push(ctx.finding(meta, { path, layer, subject: `name:${name}` }, `${what} name ${name} appears ${list.length} times in ${path} (lines ${at})`));
      }
    }
    return out;
  },
};
