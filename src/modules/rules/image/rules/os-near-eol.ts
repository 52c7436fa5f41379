import { CIS_DOCKER, DOCKLE, defineMeta, type ImageRule } from '../rule.js';
import { supportEnd } from '../support-end.js';

export const meta = defineMeta({
  id: 'BW-IMG-014',
  title: 'Parent OS release is near end of life',
  severity: 'LOW',
  rationale:
    'A release whose security support ends soon will stop receiving fixes; moving off it is cheaper before the date than after, when every new vulnerability stays open.',
  remediation: 'Plan the move to the next supported release of the distribution and rebuild FROM it before the end-of-life date.',
  references: ['https://wiki.debian.org/LTS', 'https://endoflife.date/', CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
});

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const end = supportEnd(input, ctx.options);
    if (!end || end.daysLeft <= 0 || end.daysLeft > ctx.options.eolNearDays) return [];
    const path = input.os!.source;
    const message = `${end.release} reaches end of life on ${end.date} (${end.note}), in ${end.daysLeft} days`;
    return [ctx.finding(meta, { path, layer: ctx.layer(input.fs.stat(path)?.layer ?? -1) }, message)];
  },
};
