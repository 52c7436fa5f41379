import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { scanImage } from '../scan/image-scan.js';
import { IMAGE_SRCS, openImage, type ImageSrc } from '../sources/open-image.js';
import { parsePlatform } from '../sources/platform.js';
import { layerProgress } from './progress.js';
import { finishScan, planScan, type ScanFlags } from './finish-scan.js';
import { addPolicyFlags } from './policy-flags.js';
import { addReportFlags, checkFormat, limitsFrom } from './report-flags.js';
import { addVulnFlags } from './vuln-flags.js';
import { addCheckFlags } from './check-flags.js';
import { parseDuration } from './sizes.js';

type ImageFlags = ScanFlags & {
  input?: string;
  platform: string;
  imageSrc: string;
  insecure?: boolean;
  username?: string;
  password?: string;
  registryToken?: string;
  dockerHost?: string;
  timeout: string;
  progress: boolean;
};

function parseImageSrc(text: string): ImageSrc[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list) {
    if (!IMAGE_SRCS.includes(s as ImageSrc)) throw new BulwarkError('E_USAGE', `--image-src "${s}": expected ${IMAGE_SRCS.join(', ')}`);
  }
  return list as ImageSrc[];
}

async function run(reference: string | undefined, flags: ImageFlags): Promise<void> {
  checkFormat(flags);
  const plan = planScan(flags);
  const limits = limitsFrom(flags);
  const tempDir = await mkdtemp(join(tmpdir(), 'bulwark-'));
  const cleanup = () => rm(tempDir, { recursive: true, force: true });
  // Whatever way the process ends (error, signal, exit), scratch space goes with it.
  const removeOnExit = () => rmSync(tempDir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  try {
    const source = await openImage(
      { reference, input: flags.input, imageSrc: parseImageSrc(flags.imageSrc) },
      {
        platform: parsePlatform(flags.platform),
        insecure: flags.insecure ?? false,
        username: flags.username,
        password: flags.password,
        registryToken: flags.registryToken,
        dockerHost: flags.dockerHost,
        timeoutMs: parseDuration(flags.timeout, '--timeout'),
        tempDir,
      },
    );
    const progress = layerProgress(source, flags.progress);
    try {
      const result = await scanImage(source, { limits, onProgress: progress.update, checks: plan.checks });
      progress.stop();
      await finishScan(result, plan);
    } finally {
      progress.stop();
      await source.close();
    }
  } finally {
    await cleanup();
  }
}

export function imageCommand(): Command {
  return addCheckFlags(addPolicyFlags(addVulnFlags(addReportFlags(new Command('image')))))
    .description('scan an image: OS, packages, layers, known vulnerabilities, misconfigurations and secrets (docker-archive, OCI layout, Docker engine or registry)')
    .argument('[reference]', 'image name or ID (with --input: which image of the archive)')
    .option('-i, --input <path>', 'docker-archive tar (docker save) or OCI image layout (directory or tar)')
    .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image', 'linux/amd64')
    .option('--image-src <list>', 'where to look for a named image, in order (docker, remote)', 'docker,remote')
    .option('--insecure', 'allow plain HTTP and unverified TLS to a registry')
    .option('--username <user>', 'registry user name (or BULWARK_USERNAME)')
    .option('--password <password>', 'registry password (or BULWARK_PASSWORD)')
    .option('--registry-token <token>', 'registry bearer token (or BULWARK_REGISTRY_TOKEN)')
    .option('--docker-host <address>', 'Docker engine address, e.g. unix:///var/run/docker.sock (or DOCKER_HOST)')
    .option('--timeout <duration>', 'network timeout for registry and engine calls', '60s')
    .option('--no-progress', 'no progress bar on stderr')
    .action((reference: string | undefined, flags: ImageFlags) => run(reference, flags));
}
