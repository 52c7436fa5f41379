import { internetIngressFindings } from '../network.js';
import { PROWLER, SG_RULES, defineMeta, type AwsRule } from '../rule.js';

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
  check: (resources, ctx) => internetIngressFindings(meta, 'other', resources, ctx),
};
