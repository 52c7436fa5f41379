import { CIS_DOCKER, DOCKLE, defineMeta, type ImageRule } from '../rule.js';
import type { ImageRuleInput } from '../types.js';

export const meta = defineMeta({
  id: 'BW-IMG-015',
  title: 'Image not rebuilt recently',
  severity: 'LOW',
  rationale:
    'Fixes reach an image only when it is rebuilt on an updated base and packages; an image that has not been rebuilt for months carries every vulnerability fixed since.',
  remediation: 'Rebuild and redeploy images on a schedule (and whenever the base image changes), pulling the base image fresh (`docker build --pull`).',
  references: [CIS_DOCKER, DOCKLE, 'https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often'],
  aliases: ['CIS-DI-0004', 'CIS-DOCKER-4.4'],
});

const DAY = 86_400_000;

/** A creation date that means something: parseable and after 1970 (reproducible builds write the epoch). */
function meaningful(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1970 ? undefined : d;
}

/** The config's created date, else the newest meaningful history date; with where it came from. */
export function createdDate(input: ImageRuleInput): { date?: Date; resource: string; raw?: string } {
  const created = meaningful(input.config.created);
  if (created) return { date: created, resource: 'created' };
  const dates = (input.config.history ?? []).map((h) => meaningful(h.created)).filter((d): d is Date => !!d);
  const newest = dates.sort((a, b) => b.getTime() - a.getTime())[0];
  return newest ? { date: newest, resource: 'history' } : { resource: 'created', ...(input.config.created ? { raw: input.config.created } : {}) };
}

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const { date, resource, raw } = createdDate(input);
    if (!date) {
      const why = raw
        ? `The image's creation date is ${raw} (a reproducible-build placeholder), so its age cannot be told; check how old its packages are`
        : 'The image has no creation date, so its age cannot be told; check how old its packages are';
      return [ctx.finding(meta, { resource }, why)];
    }
    const ageMs = ctx.options.now.getTime() - date.getTime();
    if (ageMs <= ctx.options.maxAgeDays * DAY) return [];
    const days = Math.floor(ageMs / DAY);
    return [ctx.finding(meta, { resource }, `The image was created ${date.toISOString()}, ${days} days ago (more than ${ctx.options.maxAgeDays})`)];
  },
};
