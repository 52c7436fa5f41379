import { HADOLINT_WIKI, defineMeta, hasCacheMount, type DockerfileRule, runs } from '../rule.js';
import type { Stage } from '../parse.js';
import { hasFlag, operands, pipCommands } from '../shell.js';
import { PIP_VALUED } from './pip-pin.js';

export const meta = defineMeta({
  id: 'BW-DF-023',
  title: 'pip install without --no-cache-dir',
  severity: 'LOW',
  rationale: 'pip keeps downloaded wheels in ~/.cache/pip; in an image layer that cache is never used again and only adds size.',
  remediation: 'Use `pip install --no-cache-dir ...`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache: `RUN --mount=type=cache,target=/root/.cache/pip`.',
  references: [`${HADOLINT_WIKI}DL3042`],
  aliases: ['DL3042'],
});

/** Whether an ENV earlier in the stage (or a stage it is built on) turns pip's cache off. */
function envDisablesCache(stage: Stage | undefined, line: number): boolean {
  for (let s: Stage | null = stage ?? null; s; s = s.parent) {
    for (const i of s.instructions) {
      if (i.keyword !== 'ENV' || i.line > line) continue;
      for (const p of i.properties) {
        if (p.name === 'PIP_NO_CACHE_DIR' && p.value !== null && !/^(0|false|no|off)$/i.test(p.value.trim())) return true;
      }
    }
  }
  return false;
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const { instr, script } of runs(df)) {
      if (hasCacheMount(instr, ['/root/.cache/pip', '/root/.cache']) || envDisablesCache(instr.stage, instr.line)) continue;
      const bad = pipCommands(script).some((c) => operands(c, ['install'], PIP_VALUED) !== null && !hasFlag(c, [], ['no-cache-dir']));
      if (bad) out.push(ctx.finding(meta, instr, 'pip install without --no-cache-dir'));
    }
    return out;
  },
};
