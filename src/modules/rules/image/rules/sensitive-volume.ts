import { posix } from 'node:path';
import type { Finding } from '../../../../core/finding.js';
import { DOCKLE, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-018',
  title: 'VOLUME on /dev, /proc or /sys',
  severity: 'HIGH',
  rationale:
    'A VOLUME over a kernel filesystem hides it under an anonymous volume: at best the container does not start, at worst it is run with a host mount there to "make it work", exposing host devices or kernel settings to the container.',
  remediation: 'Remove the VOLUME instruction; declare volumes only for application data directories.',
  references: ['https://docs.docker.com/reference/dockerfile/#volume', DOCKLE],
  aliases: ['DKL-DI-0002'],
});

const SENSITIVE = ['/dev', '/proc', '/sys'];

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    for (const volume of Object.keys(input.config.config?.Volumes ?? {}).sort()) {
      const path = posix.normalize(`/${volume.trim()}`).replace(/(.)\/$/, '$1');
      const hit = SENSITIVE.find((s) => path === s || path.startsWith(`${s}/`));
      if (hit) out.push(ctx.finding(meta, { resource: 'config.Volumes', subject: path }, `VOLUME ${volume} is on ${hit}`));
    }
    return out;
  },
};
