import type { Finding } from '../../../../core/finding.js';
import { CHECKOV_AWS, ECR_DOCS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-AWS-020',
  title: 'ECR repository does not scan images on push',
  severity: 'MEDIUM',
  rationale:
    'Without scan on push, vulnerable images are stored and deployed without anyone being told. (A registry-level scanning configuration, such as Amazon Inspector enhanced scanning, overrides this repository setting; check it if it is in use.)',
  remediation: 'Enable scanOnPush (aws ecr put-image-scanning-configuration) or a registry scanning rule that covers the repository.',
  references: [`${ECR_DOCS}image-scanning.html`, `${PROWLER}ecr_repositories_scan_images_on_push_enabled`, CHECKOV_AWS],
  aliases: ['CKV_AWS_163', 'ecr_repositories_scan_images_on_push_enabled'],
});

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    for (const r of resourcesOf(resources, 'ecr-repository')) {
      if (r.repository.imageScanningConfiguration?.scanOnPush === true) continue;
      const field = r.repository.imageScanningConfiguration ? ['imageScanningConfiguration', 'scanOnPush'] : [];
      out.push(ctx.finding(meta, r, field, `repository ${r.name} has scanOnPush ${r.repository.imageScanningConfiguration ? 'false' : 'unset'}`));
    }
    return out;
  },
};
