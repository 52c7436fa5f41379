import { readFileSync } from 'node:fs';
import type { Finding } from '../../../../core/finding.js';
import type { EcsService } from '../../../../cloud/types.js';
import { CHECKOV_AWS, PROWLER, defineMeta, resourcesOf, type AwsRule } from '../rule.js';

export interface FargatePlatformVersions {
  source: string;
  linux: { current: string };
  windows: { current: string };
}

/** data/aws/fargate-platform-versions.json at the package root: four levels up from src/modules/rules/cloud/rules and dist/.... */
export const FARGATE_VERSIONS_FILE = new URL('../../../../../data/aws/fargate-platform-versions.json', import.meta.url);

let cached: FargatePlatformVersions | undefined;
export function fargatePlatformVersions(): FargatePlatformVersions {
  cached ??= JSON.parse(readFileSync(FARGATE_VERSIONS_FILE, 'utf8')) as FargatePlatformVersions;
  return cached;
}

export const meta = defineMeta({
  id: 'BW-AWS-009',
  title: 'ECS Fargate service is pinned to an older platform version',
  severity: 'LOW',
  rationale:
    'Fargate platform versions carry the kernel, container runtime and agent; a service pinned to an older one misses their security fixes and is moved off it only when AWS retires the version.',
  remediation: 'Set platformVersion to LATEST (or to the current version) and redeploy the service.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html', `${PROWLER}ecs_service_fargate_latest_platform_version`, CHECKOV_AWS],
  aliases: ['CKV_AWS_332', 'ecs_service_fargate_latest_platform_version'],
});

function onFargate(s: EcsService): boolean {
  return s.launchType === 'FARGATE' || (s.capacityProviderStrategy ?? []).some((c) => c.capacityProvider === 'FARGATE' || c.capacityProvider === 'FARGATE_SPOT');
}

export const rule: AwsRule = {
  meta,
  check(resources, ctx) {
    const out: Finding[] = [];
    const versions = fargatePlatformVersions();
    for (const r of resourcesOf(resources, 'ecs-service')) {
      const v = r.service.platformVersion;
      if (!onFargate(r.service) || v === undefined || v === 'LATEST') continue;
      const family = typeof r.service.platformFamily === 'string' && r.service.platformFamily.startsWith('WINDOWS') ? 'windows' : 'linux';
      const current = versions[family].current;
      if (v === current) continue;
      out.push(ctx.finding(meta, r, ['platformVersion'], `service ${r.name} runs Fargate platform version ${v}; the current ${family} version is ${current}`));
    }
    return out;
  },
};
