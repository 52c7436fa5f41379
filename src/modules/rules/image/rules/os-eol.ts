import { BEST_PRACTICES, CIS_DOCKER, DOCKLE, defineMeta, type ImageRule } from '../rule.js';
import { supportEnd } from '../support-end.js';

export const meta = defineMeta({
  id: 'BW-IMG-013',
  title: 'Parent OS release is past end of life',
  severity: 'HIGH',
  rationale:
    'Once a distribution release leaves security support, new vulnerabilities in its packages are never fixed: scanners stop finding fixes, and the image only grows more exposed with time.',
  remediation: 'Rebuild FROM a supported release of the distribution (or move to a maintained minimal base) and keep the base image updated.',
  references: ['https://wiki.debian.org/LTS', 'https://endoflife.date/', CIS_DOCKER, DOCKLE, `${BEST_PRACTICES}#choose-the-right-base-image`],
  aliases: ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
});

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const end = supportEnd(input, ctx.options);
    if (!end || end.daysLeft > 0) return [];
    const path = input.os!.source;
    const message = `${end.release} reached end of life on ${end.date} (${end.note}); it gets no security updates`;
    return [ctx.finding(meta, { path, layer: ctx.layer(input.fs.stat(path)?.layer ?? -1) }, message)];
  },
};
