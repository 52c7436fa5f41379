import { HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { hasFlag, operands, pipCommands } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-016',
  title: 'pip install without pinned versions',
  severity: 'LOW',
  rationale: 'Unpinned pip installs pull whatever is newest at build time: unreproducible builds and unreviewed dependency changes.',
  remediation: 'Pin versions, `pip install requests==2.31.0`, or install from a pinned requirements or constraints file (`-r`, `-c`).',
  references: [`${HADOLINT_WIKI}DL3013`],
  aliases: ['DL3013'],
});

export const PIP_VALUED = [
  'r', 'requirement', 'c', 'constraint', 'e', 'editable', 'i', 'index-url', 'extra-index-url', 'f', 'find-links', 't', 'target',
  'prefix', 'root', 'src', 'upgrade-strategy', 'platform', 'python-version', 'implementation', 'abi', 'trusted-host', 'no-binary',
  'only-binary', 'progress-bar', 'cache-dir', 'log', 'proxy', 'retries', 'timeout', 'exists-action', 'cert', 'client-cert',
  'global-option', 'install-option', 'config-settings', 'C', 'report', 'python',
];

function pinned(spec: string): boolean {
  return /(===?|~=|>=|<=|!=|<|>|@)/.test(spec) || spec.includes('$');
}

function local(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.includes('://') || /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/i.test(spec);
}

export const rule = runRule(meta, (script) => {
  for (const c of pipCommands(script)) {
    const specs = operands(c, ['install'], PIP_VALUED);
    if (!specs || hasFlag(c, ['r', 'c'], ['requirement', 'constraint'])) continue;
    const unpinned = specs.filter((s) => !pinned(s) && !local(s));
    if (unpinned.length) return `pip install without versions: ${unpinned.join(', ')}`;
  }
  return null;
});
