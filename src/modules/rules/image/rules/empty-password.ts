import type { Finding } from '../../../../core/finding.js';
import { readAccounts } from '../accounts.js';
import { DOCKLE, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-016',
  title: 'Account with an empty password',
  severity: 'HIGH',
  rationale:
    'An account whose password field is empty can be entered without any password (su, login, and any daemon using PAM or crypt), as in the Alpine images of CVE-2019-5021 whose root had none; locked fields ("!", "*", "!!") are fine.',
  remediation: 'Lock the account (`passwd -l <name>` or `usermod -p \'!\' <name>`, "!" or "*" in /etc/shadow), or remove it.',
  references: ['https://nvd.nist.gov/vuln/detail/CVE-2019-5021', DOCKLE],
  aliases: ['DKL-LI-0001'],
});

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    const shadow = readAccounts(input.fs, '/etc/shadow');
    const shadowed = new Set(shadow?.map((a) => a.name));
    for (const a of shadow ?? []) {
      if (a.password !== '') continue;
      const place = { path: '/etc/shadow', layer: ctx.layer(input.fs.stat('/etc/shadow')?.layer ?? -1), subject: a.name };
      out.push(ctx.finding(meta, place, `Account ${a.name} has an empty password in /etc/shadow (line ${a.line})`));
    }
    // Without a shadow entry the passwd field is the password itself: empty means none.
    for (const a of readAccounts(input.fs, '/etc/passwd') ?? []) {
      if (a.password !== '' || shadowed.has(a.name)) continue;
      const place = { path: '/etc/passwd', layer: ctx.layer(input.fs.stat('/etc/passwd')?.layer ?? -1), subject: a.name };
      out.push(ctx.finding(meta, place, `Account ${a.name} has an empty password field in /etc/passwd (line ${a.line})`));
    }
    return out;
  },
};
