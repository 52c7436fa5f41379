import type { Finding } from '../../../../core/finding.js';
import { exposureOf, openSources, servicesNote } from '../network.js';
import { PROWLER, SG_RULES, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-017',
  title: 'Security group allows a port other than 80/443 from the internet',
  severity: 'MEDIUM',
  rationale:
    'Beyond HTTP and HTTPS, ports open to the internet are usually admin consoles, debug endpoints, metrics or internal APIs that were never meant to be public.',
  remediation: 'Serve public traffic through a load balancer on 80/443 and allow other ports only from known sources or other security groups.',
  references: [`${SG_RULES}`, `${PROWLER}ec2_securitygroup_allow_ingress_from_internet_to_any_port`],
  aliases: ['ec2_securitygroup_allow_ingress_from_internet_to_any_port'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'security-group')) {
      (r.group.IpPermissions ?? []).forEach((p, i) => {
        const open = openSources(p);
        const exposure = exposureOf(p);
        if (!open.length || exposure?.kind !== 'other') return;
        const what = servicesNote(exposure);
        out.push(
          ctx.finding(meta, r, ['IpPermissions', i, ...open[0]!.path], `security group ${r.name}${r.group.GroupName ? ` (${r.group.GroupName})` : ''} allows ${exposure.ports}${what} from ${open.map((o) => o.cidr).join(' and ')}`, String(i)),
        );
      });
    }
    return out;
  },
};
