/** CIS Docker Benchmark v1.6 section 1: host configuration. */
import type { HostCheck } from '../../../../host/types.js';
import { AUDIT_CHECKS } from './audit-checks.js';
import { CIS_REFERENCE, defineCheck, DOCKER_BENCH_REFERENCE, result } from './define.js';
import { dockerGroupCheck } from './docker-group.js';
import { partitionCheck } from './partition.js';
import { versionCheck } from './version.js';

const linuxHosts = defineCheck(
  {
    id: '1.1',
    title: 'Linux Hosts Specific Configuration',
    assessment: 'Manual',
    severity: 'LOW',
    rationale: 'The checks of 1.1.x cover the Linux host that runs the daemon: where Docker stores its data, who may use it, and what is audited.',
    remediation: 'Review the results of 1.1.1 to 1.1.18.',
    references: [CIS_REFERENCE, DOCKER_BENCH_REFERENCE],
    needsEngine: false,
  },
  () => result('NOTE', 'Section header: see 1.1.1 to 1.1.18'),
);

const general = defineCheck(
  {
    id: '1.2',
    title: 'General Configuration',
    assessment: 'Manual',
    severity: 'LOW',
    rationale: 'The checks of 1.2.x cover the host as a whole: its hardening and the Docker version it runs.',
    remediation: 'Review the results of 1.2.1 and 1.2.2.',
    references: [CIS_REFERENCE, DOCKER_BENCH_REFERENCE],
    needsEngine: false,
  },
  () => result('NOTE', 'Section header: see 1.2.1 and 1.2.2'),
);

const hardened = defineCheck(
  {
    id: '1.2.1',
    title: 'Ensure the container host has been Hardened (Manual)',
    assessment: 'Manual',
    severity: 'MEDIUM',
    rationale:
      'Containers share the host\'s kernel: a weakness of the host (an exposed service, a weak account, a missing kernel update) is a weakness of every container on it.',
    remediation:
      'Harden the host against a security benchmark for its distribution (the CIS Linux benchmarks, or the distribution\'s guide), or run a container-optimized OS. The F.x checks of this audit cover the host\'s footprint and accounts.',
    references: [CIS_REFERENCE, DOCKER_BENCH_REFERENCE, 'https://www.cisecurity.org/cis-benchmarks'],
    needsEngine: false,
  },
  () => result('NOTE', 'Harden the host against a benchmark for its operating system; see the footprint checks (F.x) for what Bulwark can see'),
);

export const CHECKS: readonly HostCheck[] = [
  linuxHosts,
  partitionCheck,
  dockerGroupCheck,
  ...AUDIT_CHECKS,
  general,
  hardened,
  versionCheck(),
];

export { AUDIT_CHECKS, AUDIT_TARGETS } from './audit-checks.js';
export { loadAuditRules, parseAuditRules, watchCovers, type AuditWatch } from './audit-rules.js';
export { defineCheck } from './define.js';
export { daemonSockets } from './docker-group.js';
export { dockerRootDir, parseMounts } from './partition.js';
export { versionCheck, type VersionCheckOptions } from './version.js';
