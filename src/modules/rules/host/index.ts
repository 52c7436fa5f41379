import type { HostCheck } from '../../../host/types.js';
import type { RuleMeta, RulePack } from '../types.js';
import { CHECKS as SECTION1 } from './section1/index.js';
import { CHECKS as SECTION2 } from './section2/index.js';
import { CHECKS as SECTION3 } from './section3/index.js';
import { CHECKS as SECTION4 } from './section4/index.js';
import { CHECKS as SECTION5 } from './section5/index.js';
import { CHECKS as SECTION6 } from './section6/index.js';
import { CHECKS as FOOTPRINT } from './footprint/index.js';
import { compareCheckIds, hostFindingId } from './sections.js';

export { BENCHMARK, SECTIONS } from './sections.js';

/** Every host check, in benchmark order; registration is explicit, never by import side effect. */
export function hostChecks(): HostCheck[] {
  return [...SECTION1, ...SECTION2, ...SECTION3, ...SECTION4, ...SECTION5, ...SECTION6, ...FOOTPRINT].sort((a, b) => compareCheckIds(a.meta.id, b.meta.id));
}

/** The checks as rule metadata, for `bulwark rules` and SARIF: the id is the finding id (CIS-DOCKER-5.5). */
export function hostRules(): RuleMeta[] {
  return hostChecks().map(({ meta }) => ({
    id: hostFindingId(meta.id),
    title: meta.title,
    severity: meta.severity,
    rationale: meta.rationale,
    remediation: meta.remediation,
    references: [...meta.references],
    aliases: [],
  }));
}

export const hostPack: RulePack = { id: 'host', rules: hostRules };
