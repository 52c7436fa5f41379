/**
 * Bench inputs beyond the test fixtures: a ~1 GB image (built FROM the fixtures' Debian base and
 * cached by recipe hash) and the gzip-layered OCI layout of the app image with its layer blobs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './run.js';

const MINUTE = 60_000;

/**
 * Three 260 MiB random (incompressible) files in separate layers, then 20 000 small files in one
 * layer: about 1 GB with the ~200 MB base. Changing this text changes the hash, hence a rebuild.
 */
const BIG_DOCKERFILE = `ARG BASE
FROM \${BASE}
RUN head -c 260M /dev/urandom > /big1
RUN head -c 260M /dev/urandom > /big2
RUN head -c 260M /dev/urandom > /big3
RUN mkdir -p /opt/many && cd /opt/many \\
 && for d in $(seq 1 50); do mkdir d$d; for f in $(seq 1 400); do echo "small file $d/$f" > d$d/f$f; done; done
`;

/** `docker save` into `archive`, atomically: a half-written archive is never left under the final name. */
export async function saveImage(tag: string, archive: string): Promise<void> {
  const tmp = `${archive}.tmp-${process.pid}`;
  try {
    await run('docker', ['save', '-o', tmp, tag], { timeoutMs: 20 * MINUTE });
    await rename(tmp, archive);
  } finally {
    await rm(tmp, { force: true });
  }
}

export interface BigImage {
  tag: string;
  archive: string;
  bytes: number;
}

/** The docker-archive of the ~1 GB image, from the cache, the engine, or a fresh build. */
export async function ensureBigImage(cacheDir: string, baseImage: string): Promise<BigImage> {
  const hash = sha256(`v1\nbase ${baseImage}\n${BIG_DOCKERFILE}`);
  const tag = `bulwark-bench/big:${hash.slice(0, 8)}`;
  const dir = join(cacheDir, `big-${hash}`);
  const archive = join(dir, 'docker-archive.tar');
  if (!existsSync(archive)) {
    await mkdir(dir, { recursive: true });
    if (!(await imageExists(tag))) {
      process.stderr.write(`building ${tag} (~1 GB) ...\n`);
      const context = await mkdtemp(join(cacheDir, 'big-context-'));
      try {
        await writeFile(join(context, 'Dockerfile'), BIG_DOCKERFILE);
        await run('docker', ['build', '--network', 'none', '--build-arg', `BASE=${baseImage}`, '-t', tag, context], {
          env: { DOCKER_BUILDKIT: '0' },
          timeoutMs: 30 * MINUTE,
        });
      } finally {
        await rm(context, { recursive: true, force: true });
      }
    }
    await saveImage(tag, archive);
  }
  const bytes = Number((await run('stat', ['-c', '%s', archive])).trim());
  return { tag, archive, bytes };
}

export interface GzipOciLayout {
  dir: string;
  /** Layer blob paths, in manifest order, all gzip. */
  layerBlobs: string[];
}

interface OciDescriptor {
  mediaType?: string;
  digest: string;
  annotations?: Record<string, string>;
}

/**
 * The fixtures' OCI layout when its layers are already gzip (skopeo compresses them by default);
 * otherwise a gzip copy made with `skopeo copy --dest-compress --dest-compress-format gzip`.
 */
export async function ensureGzipOciLayout(cacheDir: string, ociDir: string, tag: string, dockerArchive: string, recipeHash: string): Promise<GzipOciLayout> {
  const existing = await readLayout(ociDir, tag);
  if (existing.every((l) => isGzip(l.mediaType))) return { dir: ociDir, layerBlobs: existing.map((l) => blob(ociDir, l.digest)) };
  const dir = join(cacheDir, `oci-gzip-${recipeHash}`);
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    try {
      await run('skopeo', ['copy', '--quiet', '--dest-compress', '--dest-compress-format', 'gzip', `docker-archive:${dockerArchive}`, `oci:${tmp}:${tag}`], {
        timeoutMs: 20 * MINUTE,
      });
      await rename(tmp, dir);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const layers = await readLayout(dir, tag);
  const notGzip = layers.filter((l) => !isGzip(l.mediaType));
  if (notGzip.length > 0) throw new Error(`${dir}: layers not gzip after skopeo --dest-compress: ${notGzip.map((l) => l.mediaType).join(', ')}`);
  return { dir, layerBlobs: layers.map((l) => blob(dir, l.digest)) };
}

async function readLayout(dir: string, tag: string): Promise<OciDescriptor[]> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests?: OciDescriptor[] };
  const manifests = index.manifests ?? [];
  const chosen = manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag) ?? manifests[0];
  if (!chosen) throw new Error(`${dir}: index.json lists no manifest`);
  const manifest = JSON.parse(await readFile(blob(dir, chosen.digest), 'utf8')) as { layers?: OciDescriptor[] };
  if (!manifest.layers?.length) throw new Error(`${dir}: manifest ${chosen.digest} lists no layers`);
  return manifest.layers;
}

function isGzip(mediaType: string | undefined): boolean {
  return mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip' || mediaType === 'application/vnd.docker.image.rootfs.diff.tar.gzip';
}

function blob(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) throw new Error(`bad digest ${digest}`);
  return join(dir, 'blobs', algorithm, hex);
}

async function imageExists(tag: string): Promise<boolean> {
  try {
    await run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], { timeoutMs: MINUTE });
    return true;
  } catch {
    return false;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
