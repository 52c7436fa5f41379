import type { Finding } from '../../../../core/finding.js';
import { exposureOf, openSources, servicesNote } from '../network.js';
import { PROWLER, SG_RULES, CHECKOV_AWS, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-014',
  title: 'Security group allows all traffic from the internet',
  severity: 'CRITICAL',
  rationale:
    'An ingress rule for every protocol and port from 0.0.0.0/0 or ::/0 exposes every listening service of every task and instance in the group, including ones nobody meant to publish.',
  remediation: 'Remove the rule; allow only the ports the service serves, and only from the load balancer security group or known CIDRs.',
  references: [`${SG_RULES}`, `${PROWLER}ec2_securitygroup_allow_ingress_from_internet_to_all_ports`, CHECKOV_AWS],
  aliases: ['CKV_AWS_277', 'ec2_securitygroup_allow_ingress_from_internet_to_all_ports'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'security-group')) {
      (r.group.IpPermissions ?? []).forEach((p, i) => {
        const open = openSources(p);
        const exposure = exposureOf(p);
        if (!open.length || exposure?.kind !== 'all') return;
        const what = servicesNote(exposure);
        out.push(
          ctx.finding(meta, r, ['IpPermissions', i, ...open[0]!.path], `security group ${r.name}${r.group.GroupName ? ` (${r.group.GroupName})` : ''} allows ${exposure.ports}${what} from ${open.map((o) => o.cidr).join(' and ')}`, String(i)),
        );
      });
    }
    return out;
  },
};
