import { HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, operands } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-019',
  title: 'npm install without pinned versions',
  severity: 'LOW',
  rationale: 'An unpinned `npm install <pkg>` installs whatever version is newest at build time: unreproducible and unreviewed.',
  remediation: 'Pin versions, `npm install express@4.19.2`, or install from the lockfile with `npm ci`.',
  references: [`${HADOLINT_WIKI}DL3016`],
  aliases: ['DL3016'],
});

const NPM_VALUED = ['registry', 'prefix', 'cache', 'w', 'workspace', 'omit', 'include', 'install-strategy', 'userconfig', 'loglevel'];

function pinned(spec: string): boolean {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at < 0) return false;
  const version = spec.slice(at + 1);
  return version !== '' && version !== 'latest' && version !== 'next';
}

function nonRegistry(spec: string): boolean {
  return (
    spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~') || spec.includes('$') || /^(git\+|git:|github:|gitlab:|bitbucket:|https?:|file:)/.test(spec) || /\.(tgz|tar\.gz)$/.test(spec) || /^[^@/]+\/[^@/]+(#.*)?$/.test(spec)
  );
}

export const rule = runRule(meta, (script) => {
  for (const c of commandsNamed(script, 'npm')) {
    const specs = operands(c, ['install', 'i', 'add', 'isntall', 'in'], NPM_VALUED);
    const unpinned = (specs ?? []).filter((s) => !pinned(s) && !nonRegistry(s));
    if (unpinned.length) return `npm install without versions: ${unpinned.join(', ')}`;
  }
  return null;
});
