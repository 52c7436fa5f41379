import { internetIngressFindings } from '../network.js';
import { PROWLER, SG_RULES, CHECKOV_AWS, defineMeta, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-015',
  title: 'Security group allows SSH or RDP from the internet',
  severity: 'HIGH',
  rationale:
    'SSH (22) and RDP (3389) open to the whole internet are scanned and brute-forced within minutes of exposure; a weak or leaked credential or an unpatched daemon gives a shell on the host.',
  remediation: 'Close 22/3389 to 0.0.0.0/0 and ::/0; use SSM Session Manager or ECS Exec, or allow only a bastion or VPN CIDR.',
  references: [`${SG_RULES}`, `${PROWLER}ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22`, CHECKOV_AWS],
  aliases: ['CKV_AWS_24', 'CKV_AWS_25', 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22'],
});

export const rule: AwsRule = {
  meta,
  check: (resources, ctx) => internetIngressFindings(meta, 'admin', resources, ctx),
};
