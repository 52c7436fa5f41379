import { defineMeta, manifestFindings, type RegistryAuditRule } from '../rule.js';

/** Reports the image rules' verdict (BW-IMG-013's data) that the facts carry per image manifest. */
export const meta = defineMeta({
  id: 'BW-REG-013',
  title: 'Image in the registry is based on an end-of-life OS release',
  severity: 'HIGH',
  rationale:
    'Once a distribution release leaves security support its packages get no fixes: every image in the registry built on it grows more exposed with time, and every deployment from it inherits that.',
  remediation: 'Rebuild the image FROM a supported release of the distribution (or a maintained minimal base) and expire the old tags.',
  references: ['https://endoflife.date/', 'https://wiki.debian.org/LTS', 'https://www.cisecurity.org/benchmark/docker'],
  aliases: ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
});

export const rule: RegistryAuditRule = {
  meta,
  check: (_facts, ctx) =>
    manifestFindings(meta, ctx, (view) => view.repo.manifests, (view, m, where) => {
      if (m.osEol?.status !== 'eol') return undefined;
      const via = view.tagsOf(m.digest).length ? '' : view.parentsOf(m.digest).map((p) => ` (in ${view.resource(p)})`).join('');
      const when = m.osEol.eolDate ? ` on ${m.osEol.eolDate}` : '';
      return `${where}${via}: ${m.osEol.release} reached end of life${when}; it gets no security updates`;
    }),
};
