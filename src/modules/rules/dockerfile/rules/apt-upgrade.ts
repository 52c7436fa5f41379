import { DOCKLE, HADOLINT_WIKI, defineMeta, runRule } from '../rule.js';
import { commandsNamed, operands } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-004',
  title: 'apt-get upgrade or dist-upgrade in a Dockerfile',
  severity: 'MEDIUM',
  rationale:
    'Upgrading every package makes the build unreproducible and the image larger, and dist-upgrade can change the release under the application; updates belong in a newer parent image.',
  remediation:
    'Rebuild on an updated parent image (pinned by tag or digest) and install only the specific packages you need, pinned.',
  references: [`${HADOLINT_WIKI}DL3005`, DOCKLE],
  aliases: ['DL3005', 'DKL-DI-0003'],
});

const UPGRADES = ['upgrade', 'dist-upgrade', 'full-upgrade'];

export const rule = runRule(meta, (script) => {
  for (const c of commandsNamed(script, ['apt-get', 'apt'])) {
    const sub = UPGRADES.find((u) => operands(c, [u], ['o', 'c', 't']) !== null);
    if (sub) return `${c.name} ${sub} upgrades every package in the image`;
  }
  return null;
});
