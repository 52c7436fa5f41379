import { HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-011',
  title: 'Interactive or host-management command in RUN',
  severity: 'LOW',
  rationale:
    'ssh, vim, shutdown, service, ps, free, top, kill, mount and ifconfig make no sense during a build: there is no terminal, no init system and no running service to manage.',
  remediation: 'Remove the command; configure services at run time and use non-interactive tools in builds.',
  references: [`${HADOLINT_WIKI}DL3001`],
  aliases: ['DL3001'],
});

const POINTLESS = new Set(['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim', 'ifconfig']);

export const rule = runRule(meta, (script) => {
  const c = script.commands.find((x) => POINTLESS.has(x.name));
  return c ? `RUN calls ${c.name}` : null;
});
