import type { HostCheck } from '../../../../host/types.js';
import { rootReason } from '../../image/rules/root-user.js';
import { describeAdd } from '../../image/rules/add-instruction.js';
import { DOCKER_RUN, defineCheck, manualCheck, perContainer } from '../section5/support.js';
import { NO_IMAGE_DETAILS, imageDetails, runCommand, updateAlone } from './images.js';

const DOCKERFILE_REF = 'https://docs.docker.com/reference/dockerfile/';
const BEST_PRACTICES = 'https://docs.docker.com/build/building/best-practices/';

export const check4_1 = defineCheck(
  {
    id: '4.1',
    title: 'Ensure that a user for the container has been created (Automated)',
    severity: 'HIGH',
    rationale: 'A container whose process runs as root is one kernel or runtime flaw away from root on the host; a non-root USER takes that step away.',
    remediation: 'Create a user in the Dockerfile (`useradd`) and end it with `USER <name or uid>`, or run with `--user UID:GID`.',
    references: [`${DOCKERFILE_REF}#user`, `${DOCKER_RUN}#user`],
  },
  (view) =>
    perContainer(view, '4.1', 'Containers running as root', (c) => {
      const why = rootReason(c.Config.User ?? '', () => undefined);
      if (!why) return undefined;
      return c.Config.User ? `running as root (User=${c.Config.User})` : 'running as root (no user set)';
    }),
);

const note = (id: string, title: string, rationale: string, remediation: string, guidance: string, references: string[] = []): HostCheck =>
  manualCheck({ id, title, severity: 'LOW', rationale, remediation, references, needsEngine: false }, guidance);

export const check4_2 = note(
  '4.2',
  'Ensure that containers use only trusted base images (Manual)',
  'Images from unknown publishers can carry malware, backdoors or unpatched software.',
  'Use official or in-house base images, pinned by digest, pulled with content trust or verified signatures.',
  'Review where each image and its base come from (`docker history`, the Dockerfile FROM lines); `bulwark image` lists what they contain.',
);

export const check4_3 = note(
  '4.3',
  'Ensure that unnecessary packages are not installed in the container (Manual)',
  'Every package is attack surface and patch work; tools such as shells, compilers and package managers help an intruder.',
  'Use minimal bases (distroless, slim, Alpine) and install only what the application needs, with --no-install-recommends.',
  'Run `bulwark image IMAGE` to list packages and the lean-image report for what an image ships for nothing.',
);

export const check4_4 = note(
  '4.4',
  'Ensure images are scanned and rebuilt to include security patches (Manual)',
  'Images are frozen at build time; without regular rebuilds they keep every vulnerability found since.',
  'Scan images regularly (`bulwark image IMAGE --severity HIGH,CRITICAL`) and rebuild them on patched bases, then restart containers from the new image.',
  'Scan each image in use with `bulwark image` and rebuild those with fixed vulnerabilities.',
);

export const check4_5 = defineCheck(
  {
    id: '4.5',
    title: 'Ensure Content trust for Docker is Enabled (Automated)',
    severity: 'MEDIUM',
    rationale: 'With DOCKER_CONTENT_TRUST=1 the docker client only pulls, runs and builds from signed image tags.',
    remediation: 'Set DOCKER_CONTENT_TRUST=1 for every docker client user, e.g. `echo DOCKER_CONTENT_TRUST=1 >> /etc/environment`.',
    references: ['https://docs.docker.com/engine/security/trust/'],
    needsEngine: false,
  },
  async (view) => {
    if (view.root === '/' && process.env['DOCKER_CONTENT_TRUST'] === '1') return { id: '4.5', verdict: 'PASS', details: 'DOCKER_CONTENT_TRUST=1 in the environment' };
    const env = (await view.readFile('/etc/environment'))?.toString('utf8') ?? '';
    if (/^\s*(?:export\s+)?DOCKER_CONTENT_TRUST=["']?1["']?\s*$/m.test(env)) return { id: '4.5', verdict: 'PASS', details: 'DOCKER_CONTENT_TRUST=1 in /etc/environment' };
    return { id: '4.5', verdict: 'WARN', details: 'DOCKER_CONTENT_TRUST is not set to 1 (environment, /etc/environment)' };
  },
);

export const check4_6 = defineCheck(
  {
    id: '4.6',
    title: 'Ensure that HEALTHCHECK instructions have been added to container images (Automated)',
    severity: 'LOW',
    rationale: 'Without a HEALTHCHECK the engine only knows that the process runs, not that the service works.',
    remediation: 'Add `HEALTHCHECK CMD <probe>` to the Dockerfile and rebuild.',
    references: [`${DOCKERFILE_REF}#healthcheck`],
  },
  (view) => {
    const images = imageDetails(view);
    if (!images) return { id: '4.6', verdict: 'INFO', details: NO_IMAGE_DETAILS };
    const items = images.flatMap((img) => {
      if (!img.inspect) return [];
      const test = img.inspect.Config?.Healthcheck?.Test ?? [];
      if (test.length && test[0] !== 'NONE') return [];
      return [`${img.label}: ${test[0] === 'NONE' ? 'HEALTHCHECK NONE' : 'no Healthcheck found'}`];
    });
    if (images.length === 0) return { id: '4.6', verdict: 'INFO', details: 'no images' };
    if (!items.length) return { id: '4.6', verdict: 'PASS' };
    return { id: '4.6', verdict: 'WARN', details: `Images w/o HEALTHCHECK (${items.length} of ${images.length} images)`, items };
  },
);

export const check4_7 = defineCheck(
  {
    id: '4.7',
    title: 'Ensure update instructions are not used alone in the Dockerfile (Manual)',
    severity: 'LOW',
    rationale: 'A RUN that only refreshes package indexes is cached as its own layer: later installs use stale indexes and can miss security updates.',
    remediation: 'Update and install in one RUN (`RUN apt-get update && apt-get install -y pkg=VERSION`), or build with --no-cache.',
    references: [`${BEST_PRACTICES}#apt-get`],
  },
  (view) => {
    const images = imageDetails(view);
    if (!images) return { id: '4.7', verdict: 'INFO', details: NO_IMAGE_DETAILS };
    const items = images.flatMap((img) =>
      (img.history ?? []).flatMap((h) => {
        const cmd = runCommand(h.CreatedBy ?? '');
        return cmd !== undefined && updateAlone(cmd) ? [`${img.label}: update instruction alone: RUN ${cmd.length > 80 ? `${cmd.slice(0, 77)}...` : cmd}`] : [];
      }),
    );
    if (!items.length) return { id: '4.7', verdict: 'PASS' };
    return { id: '4.7', verdict: 'INFO', details: 'Update instructions found', items };
  },
);

export const check4_8 = note(
  '4.8',
  'Ensure setuid and setgid permissions are removed (Manual)',
  'setuid and setgid binaries are the usual way from a foothold to root inside a container.',
  'Remove the bits from binaries that do not need them: `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`; run with --security-opt no-new-privileges.',
  'Run `bulwark image IMAGE` (misconfig scanner) to list setuid/setgid files per image.',
);

export const check4_9 = defineCheck(
  {
    id: '4.9',
    title: 'Ensure that COPY is used instead of ADD in Dockerfiles (Manual)',
    severity: 'LOW',
    rationale: 'ADD fetches URLs without verification and extracts local archives implicitly; COPY does only what it says.',
    remediation: 'Use COPY; download with a verified `RUN curl ... && sha256sum -c`, or `ADD --checksum=...`.',
    references: [`${DOCKERFILE_REF}#add`],
  },
  (view) => {
    const images = imageDetails(view);
    if (!images) return { id: '4.9', verdict: 'INFO', details: NO_IMAGE_DETAILS };
    const items = images.flatMap((img) => {
      const adds = (img.history ?? []).flatMap((h) => {
        const why = describeAdd(h.CreatedBy ?? '');
        return why ? [why] : [];
      });
      return adds.map((why) => `${img.label}: ${why}`);
    });
    if (!items.length) return { id: '4.9', verdict: 'PASS' };
    return { id: '4.9', verdict: 'INFO', details: 'ADD in image history', items };
  },
);

export const check4_10 = note(
  '4.10',
  'Ensure secrets are not stored in Dockerfiles (Manual)',
  'Secrets in Dockerfiles, build args or layers can be read by anyone who can pull the image.',
  'Use BuildKit secrets (`RUN --mount=type=secret`) and runtime secret stores; never ENV, ARG or COPY for secrets.',
  'Run `bulwark image IMAGE` (secret scanner) to find secrets in every layer and in the history.',
);

export const check4_11 = note(
  '4.11',
  'Ensure only verified packages are installed (Manual)',
  'Packages installed without signature checks (--allow-unauthenticated, curl | sh) can be swapped on the way.',
  'Install from signed repositories with GPG verification on; verify checksums of downloaded artefacts.',
  'Review the Dockerfiles for --allow-unauthenticated, --nogpgcheck and unverified downloads; `bulwark dockerfile` flags several.',
);

export const check4_12 = note(
  '4.12',
  'Ensure all signed artifacts are validated (Manual)',
  'A signature that is never checked protects nothing.',
  'Verify image signatures and attestations before deployment (content trust, cosign verify, admission policies).',
  'Review the deployment pipeline for signature verification of every image and artefact.',
);

/** CIS Docker Benchmark v1.6 section 4, Container Images and Build File. */
export const CHECKS: readonly HostCheck[] = [
  check4_1, check4_2, check4_3, check4_4, check4_5, check4_6, check4_7, check4_8, check4_9, check4_10, check4_11, check4_12,
];
