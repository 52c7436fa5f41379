/** CIS 2.7: a daemon listening on TCP must require TLS client verification. */
import { booleanSetting, listSetting, stringSetting } from '../../../../host/daemon-config.js';
import type { HostView } from '../../../../host/types.js';
import { defineCheck, result } from './define.js';
import { withCaveat } from './context.js';

/** The daemon's -H/--host (or daemon.json "hosts") addresses that are not local sockets. */
export function networkHosts(view: HostView): string[] {
  return listSetting(view, 'host').filter((h) => !/^(unix|fd|npipe):\/\//.test(h.trim()));
}

export const check2_7 = defineCheck(
  {
    id: '2.7',
    title: 'Ensure TLS authentication for Docker daemon is configured (Scored)',
    assessment: 'Automated',
    severity: 'HIGH',
    rationale:
      'A daemon reachable over TCP without TLS client verification gives root on the host to anyone who can reach the port.',
    remediation:
      'Listen on TCP only with --tlsverify, --tlscacert, --tlscert and --tlskey (or "tlsverify": true and the certificate paths in daemon.json).',
    references: ['https://docs.docker.com/engine/security/protect-access/'],
    needsEngine: false,
  },
  (view) => {
    const tcp = networkHosts(view);
    if (tcp.length === 0) return result('INFO', withCaveat(view, 'Docker daemon not listening on TCP'));
    if (booleanSetting(view, 'tlsverify') === true) return result('PASS', 'Docker daemon listening on TCP with TLS verification', tcp);
    const tls = booleanSetting(view, 'tls') === true || stringSetting(view, 'tlskey') !== undefined;
    if (tls) return result('WARN', 'Docker daemon currently listening on TCP with TLS, but no verification', tcp);
    return result('WARN', 'Docker daemon currently listening on TCP without TLS', tcp);
  },
);
