/** CIS 1.2.2: the Docker version is up to date, judged by the end of upstream support of its branch. */
import type { EolData } from '../../../eol/index.js';
import type { HostCheck } from '../../../../host/types.js';
import { describeSupport, runtimeComponents, runtimeSupport } from '../eol/runtime-eol.js';
import { CIS_REFERENCE, defineCheck, DOCKER_BENCH_REFERENCE, result } from './define.js';

export interface VersionCheckOptions {
  /** The day to judge on (default: now). */
  now?: () => Date;
  /** End-of-life tables (default: the shipped ones, overridden by $BULWARK_EOL_DATA). */
  data?: EolData;
  /** "Near" end of life: within this many days (default 90). */
  nearDays?: number;
}

/**
 * WARN when the Engine or its containerd is past the end of upstream support, INFO when it is near or
 * when a version is not in the data, PASS when every component is on a supported branch.
 */
export function versionCheck(options: VersionCheckOptions = {}): HostCheck {
  return defineCheck(
    {
      id: '1.2.2',
      title: 'Ensure that the version of Docker is up to date (Manual)',
      assessment: 'Manual',
      severity: 'MEDIUM',
      rationale:
        'Each Docker Engine and containerd release branch gets security fixes for a limited time. A daemon on a branch past its end of support no longer receives fixes for container breakouts such as the runc and BuildKit escapes of 2024.',
      remediation:
        'Upgrade Docker Engine and containerd to a maintained release branch (see the sources named in the result), or make sure your operating system vendor still maintains the packaged version.',
      references: [
        CIS_REFERENCE,
        DOCKER_BENCH_REFERENCE,
        'https://github.com/moby/moby/blob/master/project/BRANCHES-AND-TAGS.md',
        'https://containerd.io/releases/',
      ],
      needsEngine: true,
    },
    (view) => {
      const components = runtimeComponents(view.engine?.version);
      if (components.length === 0) return result('INFO', 'the Engine API reported no version');
      const support = runtimeSupport(components, { now: options.now?.() ?? new Date(), data: options.data, nearDays: options.nearDays });
      const lines = support.map(describeSupport);
      const states = new Set(support.map((s) => s.status.status));
      if (states.has('eol')) {
        return result('WARN', lines.join('; '), support.filter((s) => s.status.status === 'eol').map((s) => `${s.product} ${s.version}`));
      }
      if (states.has('near-eol') || states.has('unknown')) {
        return result('INFO', lines.join('; '), support.filter((s) => s.status.status !== 'supported').map((s) => `${s.product} ${s.version}`));
      }
      return result('PASS', lines.join('; '));
    },
  );
}
