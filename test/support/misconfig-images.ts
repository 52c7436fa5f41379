/**
 * The image-rule fixtures: `misconfig-bad` (breaks every image rule a real build can break, and
 * carries secrets for the secret scanner) and `misconfig-hardened` (zero image-rule findings), both
 * built FROM the debootstrapped Debian base by cachedImage().
 *
 * The bad image's credentials are made here from fixed seeds (test/secrets/fake.ts), written into a
 * copy of the build context, so the repository holds no live-looking credential and the recipe hash
 * (which covers every context file) stays the same from run to run.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildView } from '../../src/image/walker.js';
import { imageRuleInputFrom, imageWants, type ImageRuleInput } from '../../src/modules/rules/image/index.js';
import { allDetectors, contentOptionsFor, runDetectors } from '../../src/scan/run-detectors.js';
import { openImage } from '../../src/sources/open-image.js';
import { ALNUM, B64URL, UPPER_DIGITS, fake } from '../secrets/fake.js';
import { cachedImage, type CachedImage } from './images.js';

const BAD_CONTEXT = fileURLToPath(new URL('../fixtures/misconfig-bad/', import.meta.url));
const HARDENED_CONTEXT = fileURLToPath(new URL('../fixtures/misconfig-hardened/', import.meta.url));

const AWS_SECRET_ALPHABET = `${ALNUM}/+`;

/** The secrets in misconfig-bad and where they are, for the secret scanner's tests. */
export const MISCONFIG_BAD_SECRETS = {
  awsAccessKeyId: `AKIA${fake('misconfig-bad/aws-access-key-id', UPPER_DIGITS, 16)}`,
  awsSecretAccessKey: fake('misconfig-bad/aws-secret-access-key', AWS_SECRET_ALPHABET, 40),
  /** In the image config's Env, as GITHUB_TOKEN. */
  githubToken: `ghp_${fake('misconfig-bad/github-token', ALNUM, 36)}`,
  /** In /root/.npmrc as the registry _authToken. */
  npmToken: `npm_${fake('misconfig-bad/npm-token', ALNUM, 36)}`,
  /** In /root/.pypirc as the upload password. */
  pypiToken: `pypi-${fake('misconfig-bad/pypi-token', B64URL, 80)}`,
  /** The documented AWS example key id, in /app/README.md: must come out LOW (a known example). */
  documentedExampleKeyId: 'AKIAIOSFODNN7EXAMPLE',
  /** Files holding the AWS pair; the OpenSSH private key is made by ssh-keygen at build time. */
  paths: {
    env: '/app/config/.env',
    awsCredentials: '/root/.aws/credentials',
    npmrc: '/root/.npmrc',
    pypirc: '/root/.pypirc',
    readme: '/app/README.md',
    sshPrivateKey: '/root/.ssh/id_ed25519',
  },
} as const;

export interface MisconfigImages {
  bad: CachedImage;
  hardened: CachedImage;
}

let memo: Promise<MisconfigImages> | undefined;

/** Builds (or reuses) both images; memoized per process. */
export function misconfigImages(): Promise<MisconfigImages> {
  memo ??= (async () => {
    const context = await badContext();
    try {
      return { bad: await cachedImage('misconfig-bad', context), hardened: await cachedImage('misconfig-hardened', HARDENED_CONTEXT) };
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  })();
  memo.catch(() => { memo = undefined; });
  return memo;
}

/** A copy of the bad context with the generated credentials filled in (same bytes every run). */
async function badContext(): Promise<string> {
  const s = MISCONFIG_BAD_SECRETS;
  const dir = join(tmpdir(), `bulwark-misconfig-bad-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await cp(BAD_CONTEXT, dir, { recursive: true });
  const dockerfile = (await readFile(join(dir, 'Dockerfile'), 'utf8')).replaceAll('@GITHUB_TOKEN@', s.githubToken);
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  await mkdir(join(dir, 'secrets'));
  const files: Record<string, string> = {
    'aws-credentials': `[default]\naws_access_key_id = ${s.awsAccessKeyId}\naws_secret_access_key = ${s.awsSecretAccessKey}\n`,
    env: `APP_ENV=production\nAWS_ACCESS_KEY_ID=${s.awsAccessKeyId}\nAWS_SECRET_ACCESS_KEY=${s.awsSecretAccessKey}\n`,
    npmrc: `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${s.npmToken}\n`,
    pypirc: `[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = ${s.pypiToken}\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'secrets', name), text);
  return dir;
}

/**
 * Reads a docker-archive the way an image scan does (openImage -> buildView -> runDetectors), with the
 * image pack's wanted files captured too, and returns the image rules' input. scanImage() itself does not
 * hand out its view, so this runs the same steps.
 */
export async function imageRuleInputOf(dockerArchive: string): Promise<ImageRuleInput> {
  const work = await mkdtemp(join(tmpdir(), 'bulwark-img-rules-'));
  try {
    const source = await openImage({ input: dockerArchive, imageSrc: [] }, {
      platform: { os: 'linux', architecture: 'amd64' }, insecure: false, timeoutMs: 60_000, tempDir: work,
    });
    try {
      const detectors = allDetectors();
      const content = contentOptionsFor(detectors);
      const view = await buildView(source, { ...content, wants: (p) => content.wants(p) || imageWants(p) });
      const { os, packages } = await runDetectors(view, 'image', detectors);
      return imageRuleInputFrom({ source, fs: view, packages, ...(os ? { os } : {}) });
    } finally {
      await source.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
