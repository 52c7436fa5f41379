import { internetIngressFindings } from '../network.js';
import { PROWLER, SG_RULES, CHECKOV_AWS, defineMeta, type AwsRule } from '../rule.js';

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
  check: (resources, ctx) => internetIngressFindings(meta, 'all', resources, ctx),
};
