import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-008',
  title: 'ECS service assigns public IP addresses to its tasks',
  severity: 'MEDIUM',
  rationale:
    'With assignPublicIp ENABLED every task gets an internet-routable address; its security group is then the only thing between the container ports and the internet.',
  remediation: 'Set assignPublicIp to DISABLED, run tasks in private subnets and reach the internet through a NAT gateway or VPC endpoints; expose them through a load balancer.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html', `${PROWLER}ecs_service_no_assign_public_ip`, CHECKOV_AWS],
  aliases: ['CKV_AWS_333', 'ecs_service_no_assign_public_ip'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecs-service')) {
      if (r.service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp === 'ENABLED') {
        out.push(ctx.finding(meta, r, ['networkConfiguration', 'awsvpcConfiguration', 'assignPublicIp'], `service ${r.name} sets assignPublicIp: ENABLED`));
      }
    }
    return out;
  },
};
