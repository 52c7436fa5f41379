// A scan result with misconfiguration and secret findings and a lean-image report, built from the real
// Dockerfile linter and secret scanner so that reports see what the scanners write.
import { createHash } from 'node:crypto';
import type { Finding } from '../../src/core/finding.js';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { lintDockerfile } from '../../src/modules/rules/dockerfile/index.js';
import { scanSecretsInStrings, scanSecretsInText } from '../../src/modules/secrets/index.js';
import { ALNUM, B64, UPPER_DIGITS, fake, keys, pemBody } from '../secrets/fake.js';
import { debianResult } from './fixtures.js';

/** Fake secrets (generated, never live) and where the fixture puts them. */
export const SECRETS = {
  ghp: `ghp_${fake('report-ghp', ALNUM, 36)}`,
  akia: `AKIA${fake('report-akia', UPPER_DIGITS, 16)}`,
  awsSecret: fake('report-aws', B64, 40),
  dbPass: fake('report-db', ALNUM, 16),
  envToken: `ghp_${fake('report-env-ghp', ALNUM, 36)}`,
  dockerfileToken: `ghp_${fake('report-df-ghp', ALNUM, 36)}`,
  privateKey: pemBody(keys.rsaPkcs1),
};

export const ENV_TEXT = [
  '# app settings',
  `GITHUB_TOKEN=${SECRETS.ghp}`,
  `aws_access_key_id=${SECRETS.akia}`,
  `aws_secret_access_key=${SECRETS.awsSecret}`,
  `DB_PASSWORD=${SECRETS.dbPass}`,
  '',
].join('\n');

export const DOCKERFILE_TEXT = [
  'FROM debian:latest',
  'RUN apt-get update && apt-get install -y curl',
  `ENV GITHUB_TOKEN=${SECRETS.dockerfileToken}`,
  'COPY . /app',
  'USER root',
  '',
].join('\n');

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Ids no rule pack defines: the SARIF descriptor falls back to what the findings say. */
export const UNREGISTERED_IDS = ['BW-TEST-001', 'BW-TEST-002'];

export function checksResult(): ImageScanResult {
  const base = debianResult();
  const target = base.artifact.reference;
  const l = base.artifact.layers;
  const layer = (i: number): { index: number; diffId: string; createdBy?: string } => ({ index: i, diffId: l[i]!.diffId, ...(l[i]!.createdBy ? { createdBy: l[i]!.createdBy } : {}) });
  const dockerfile = lintDockerfile(DOCKERFILE_TEXT, { path: '/src/Dockerfile', hasDockerignore: false }).map((f) => ({ ...f, target }));
  const secrets = [
    ...scanSecretsInText(`${ENV_TEXT}${keys.rsaPkcs1}`, { target, path: '/app/.env', layer: layer(1) }),
    ...scanSecretsInStrings([{ source: 'env', value: `API_TOKEN=${SECRETS.envToken}` }], { target, layer: layer(1) }),
  ];
  const image: Finding[] = [
    {
      id: 'BW-TEST-001',
      kind: 'misconfiguration',
      severity: 'HIGH',
      stackLayer: 'image',
      target,
      location: { resource: 'config.User' },
      title: 'Image runs as root',
      description: 'config.User is empty: the container runs as root',
      aliases: ['CIS-DI-0001', 'CIS-DOCKER-4.1'],
      references: ['https://docs.docker.com/build/building/best-practices/#user', 'not a url'],
      remediation: 'Add a non-root USER to the Dockerfile.',
      fingerprint: sha('image-root'),
    },
    {
      id: 'BW-TEST-002',
      kind: 'misconfiguration',
      severity: 'MEDIUM',
      stackLayer: 'image',
      target,
      location: { path: '/usr/bin/curl', layer: layer(1) },
      title: 'Network tools in the final image',
      description: 'curl (452 kB) is installed',
      aliases: [],
      references: [],
      fingerprint: sha('image-curl'),
      suppressed: { kind: 'ignorefile', source: '.bulwarkignore.yaml', reason: 'health check uses curl' },
    },
  ];
  return {
    ...base,
    scanners: ['secret', 'misconfig'],
    // Deliberately unsorted: reporters must sort.
    findings: [...secrets, ...image, ...dockerfile].reverse(),
    lean: {
      efficiency: {
        totalBytes: 123_456_789,
        finalBytes: 100_000_000,
        wastedBytes: 23_456_789,
        efficiency: 100_000_000 / 123_456_789,
        layers: [
          { index: 1, addedBytes: 50_000_000, addedFiles: 1200, wastedBytes: 3_456_789, wastedFiles: 12 },
          { index: 0, addedBytes: 73_456_789, addedFiles: 4321, wastedBytes: 20_000_000, wastedFiles: 345 },
        ],
        wastedPaths: [
          { path: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', wastedBytes: 8_000_000, layers: [0], removed: true },
          { path: '/usr/lib/x86_64-linux-gnu/libcrypto.so.3', wastedBytes: 4_500_000, layers: [1, 0], removed: false },
          { path: '/etc/ld.so.cache', wastedBytes: 20_000, layers: [0, 1], removed: false },
        ],
        largestDirs: [
          { path: '/usr/lib', bytes: 40_000_000, files: 900 },
          { path: '/usr', bytes: 80_000_000, files: 3000 },
          { path: '/usr/share', bytes: 30_000_000, files: 1500 },
        ],
      },
      removableTools: [
        { category: 'shell', package: 'bash', paths: ['/usr/bin/bash', '/bin/bash'], bytes: 1_500_000 },
        { category: 'network-tool', package: 'curl', paths: ['/usr/bin/curl'], bytes: 452_000 },
        { category: 'package-manager', package: 'apt', paths: ['/usr/bin/apt-get', '/usr/bin/apt'], bytes: 4_300_000 },
      ],
    },
  };
}
