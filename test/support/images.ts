/**
 * Real Debian image fixtures for tests, built with the real tools (debootstrap, docker, skopeo).
 *
 * Everything slow is cached on disk under BULWARK_TEST_CACHE (default /var/cache/bulwark-test),
 * keyed by a sha256 of the recipe text, and reused from the engine when the tag already exists.
 * Works from an empty cache on a fresh engine (start it with scripts/start-dockerd.sh); never
 * depends on the cache being there.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DebianFixtures {
  /** `bulwark-test/debian:bookworm-<hash8>`: debootstrap minbase rootfs, `docker import`ed. */
  baseImage: string;
  /** `bulwark-test/app:<hash8>`: built from test/fixtures/debian-app/Dockerfile on baseImage. */
  appImage: string;
  /** `docker save` of appImage (Engine 20.10 docker-archive layout). */
  dockerArchive: string;
  /** OCI image layout directory of appImage, holding one image referenced by ociTag. */
  ociDir: string;
  /** OCI image layout tar (oci-archive) of appImage, referenced by ociTag. */
  ociTar: string;
  ociTag: string;
  /** sha256 (hex) of the app recipe, which includes the base recipe hash. */
  recipeHash: string;
}

/** One installed package as `dpkg-query` inside the image reports it. */
export interface DpkgRow {
  package: string;
  architecture: string;
  version: string;
  sourcePackage: string;
  sourceVersion: string;
}

const CACHE_DIR = process.env['BULWARK_TEST_CACHE'] ?? '/var/cache/bulwark-test';
const APP_CONTEXT = fileURLToPath(new URL('../fixtures/debian-app/', import.meta.url));
const OCI_TAG = 'app';
const MINUTE = 60_000;

// Changing any of these changes the base recipe hash, hence a fresh debootstrap.
const DEBOOTSTRAP_ARGS = ['--variant=minbase', 'bookworm'];
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const ROOTFS_TAR_ARGS = ['--numeric-owner', '--xattrs', '--exclude=./dev/*', '--exclude=./proc/*', '--exclude=./sys/*'];
const BASE_CHANGES = ['CMD ["bash"]'];

let memo: Promise<DebianFixtures> | undefined;

/** Builds (or reuses) the Debian fixtures; memoized per process. */
export function debianFixtures(): Promise<DebianFixtures> {
  memo ??= buildFixtures();
  memo.catch(() => { memo = undefined; });
  return memo;
}

async function buildFixtures(): Promise<DebianFixtures> {
  await mkdir(CACHE_DIR, { recursive: true });
  const baseHash = sha256(baseRecipe());
  const recipeHash = sha256(`base ${baseHash}\n${await contextRecipe(APP_CONTEXT)}`);
  const baseImage = `bulwark-test/debian:bookworm-${baseHash.slice(0, 8)}`;
  const appImage = `bulwark-test/app:${recipeHash.slice(0, 8)}`;
  const appDir = join(CACHE_DIR, `app-${recipeHash}`);
  await mkdir(appDir, { recursive: true });

  await ensureBaseImage(baseImage, baseHash);
  const dockerArchive = join(appDir, 'docker-archive.tar');
  await ensureAppImage(appImage, baseImage, dockerArchive, recipeHash);
  const ociDir = join(appDir, 'oci');
  const ociTar = join(appDir, 'oci.tar');
  await ensureOciCopies(dockerArchive, ociDir, ociTar, recipeHash);
  return { baseImage, appImage, dockerArchive, ociDir, ociTar, ociTag: OCI_TAG, recipeHash };
}

/** An image built from a test fixture folder and its `docker save` archive. */
export interface CachedImage {
  image: string;
  dockerArchive: string;
  recipeHash: string;
}

const cachedImages = new Map<string, Promise<CachedImage>>();

/**
 * Builds (or reuses) the image of a build-context folder whose Dockerfile starts `ARG BASE` /
 * `FROM ${BASE}` (the debootstrapped Debian base), cached on disk and in the engine by a hash of the
 * base recipe and every file of the context. Memoized per process.
 */
export function cachedImage(name: string, contextDir: string): Promise<CachedImage> {
  let pending = cachedImages.get(contextDir);
  if (!pending) {
    pending = buildCachedImage(name, contextDir);
    pending.catch(() => cachedImages.delete(contextDir));
    cachedImages.set(contextDir, pending);
  }
  return pending;
}

async function buildCachedImage(name: string, contextDir: string): Promise<CachedImage> {
  const { baseImage } = await debianFixtures();
  const baseHash = sha256(baseRecipe());
  const recipeHash = sha256(`base ${baseHash}\n${await contextRecipe(contextDir)}`);
  const image = `bulwark-test/${name}:${recipeHash.slice(0, 8)}`;
  const dir = join(CACHE_DIR, `${name}-${recipeHash}`);
  await mkdir(dir, { recursive: true });
  const dockerArchive = join(dir, 'docker-archive.tar');
  await ensureAppImage(image, baseImage, dockerArchive, recipeHash, contextDir);
  return { image, dockerArchive, recipeHash };
}

// ---------------------------------------------------------------------------------------------
// Base image: debootstrap rootfs -> tar.gz in the cache -> docker import

function baseRecipe(): string {
  return JSON.stringify({ v: 1, DEBOOTSTRAP_ARGS, DEBIAN_MIRROR, ROOTFS_TAR_ARGS, BASE_CHANGES });
}

async function ensureBaseImage(tag: string, baseHash: string): Promise<void> {
  if (await imageExists(tag)) return;
  const rootfsTar = join(CACHE_DIR, `rootfs-${baseHash}.tar.gz`);
  await withLock(`base-${baseHash}`, async () => {
    if (await imageExists(tag)) return;
    if (!existsSync(rootfsTar)) await debootstrapRootfs(rootfsTar);
    const changes = BASE_CHANGES.flatMap((c) => ['--change', c]);
    await run('docker', ['import', ...changes, rootfsTar, tag], 10 * MINUTE);
  });
}

async function debootstrapRootfs(outTar: string): Promise<void> {
  const dir = join(CACHE_DIR, `rootfs-tmp-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  try {
    await run('debootstrap', [...DEBOOTSTRAP_ARGS, dir, DEBIAN_MIRROR], 20 * MINUTE);
    const tmpTar = `${outTar}.tmp-${process.pid}`;
    await run('tar', [...ROOTFS_TAR_ARGS, '-C', dir, '-czf', tmpTar, '.'], 10 * MINUTE);
    await rename(tmpTar, outTar);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// App image: engine tag -> cached docker save -> docker build

/** The build context's files (path, exec bit, content), so editing any of them changes the hash. */
async function contextRecipe(contextDir: string): Promise<string> {
  const files = (await listFiles(contextDir)).sort();
  const parts: string[] = [];
  for (const file of files) {
    const info = await stat(file);
    const exec = (info.mode & 0o111) !== 0 ? 'x' : '-';
    parts.push(`${relative(contextDir, file)} ${exec} ${sha256(await readFile(file))}`);
  }
  return parts.join('\n');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

/**
 * The saved archive on disk is the truth: an engine tag with the same recipe hash may still be another
 * build (the cache was wiped, or another cache folder built it), and then the exports would not match
 * what the engine serves.
 */
async function ensureAppImage(tag: string, baseImage: string, archive: string, hash: string, context = APP_CONTEXT): Promise<void> {
  await withLock(`app-${hash}`, async () => {
    if (existsSync(archive)) {
      if ((await imageId(tag)) !== (await archivedImageId(archive))) await run('docker', ['load', '-i', archive], 10 * MINUTE);
    } else if (!(await imageExists(tag))) {
      await buildApp(tag, baseImage, context);
    }
    if (!(await imageExists(tag))) throw new Error(`image ${tag} missing after load/build`);
    if (!existsSync(archive)) await atomicFile(archive, (tmp) => run('docker', ['save', '-o', tmp, tag], 10 * MINUTE));
  });
}

async function buildApp(tag: string, baseImage: string, context: string): Promise<void> {
  const args = ['build', '--network', 'host', '--build-arg', `BASE=${baseImage}`, '-t', tag, context];
  await run('docker', args, 30 * MINUTE, { DOCKER_BUILDKIT: '0' });
}

// ---------------------------------------------------------------------------------------------
// OCI layout directory and tar, converted by skopeo from the cached docker-archive
// (skopeo's docker-daemon: source reads the same `docker save` stream, so the result is the same).

async function ensureOciCopies(archive: string, ociDir: string, ociTar: string, hash: string): Promise<void> {
  await withLock(`oci-${hash}`, async () => {
    const src = `docker-archive:${archive}`;
    if (!existsSync(ociDir)) {
      await atomicDir(ociDir, (tmp) => run('skopeo', ['copy', '--quiet', src, `oci:${tmp}:${OCI_TAG}`], 10 * MINUTE));
    }
    if (!existsSync(ociTar)) {
      await atomicFile(ociTar, (tmp) => run('skopeo', ['copy', '--quiet', src, `oci-archive:${tmp}:${OCI_TAG}`], 10 * MINUTE));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Oracle

const DPKG_FORMAT = '${db:Status-Status}\t${Package}\t${Architecture}\t${Version}\t${source:Package}\t${source:Version}\n';

/** What dpkg itself says is installed in `image` (the inventory's ground truth). */
export async function dpkgQueryOracle(image: string): Promise<DpkgRow[]> {
  const args = ['run', '--rm', '--network', 'none', '--entrypoint', 'dpkg-query', image, '-W', '-f', DPKG_FORMAT];
  const stdout = await run('docker', args, 5 * MINUTE);
  return stdout.split('\n').flatMap(parseDpkgLine);
}

function parseDpkgLine(line: string): DpkgRow[] {
  const [status, pkg, architecture, version, sourcePackage, sourceVersion] = line.split('\t');
  if (status !== 'installed' || !pkg || architecture === undefined || version === undefined) return [];
  return [{ package: pkg, architecture, version, sourcePackage: sourcePackage ?? pkg, sourceVersion: sourceVersion ?? version }];
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function imageId(tag: string): Promise<string | undefined> {
  try {
    return (await run('docker', ['image', 'inspect', '-f', '{{.Id}}', tag], MINUTE)).trim();
  } catch {
    return undefined;
  }
}

/** The image ID a `docker save` archive holds: its config is stored as "<hex>.json". */
async function archivedImageId(archive: string): Promise<string> {
  const manifest = JSON.parse(await run('tar', ['-xOf', archive, 'manifest.json'], MINUTE)) as Array<{ Config: string }>;
  return `sha256:${manifest[0]!.Config.replace(/^blobs\/sha256\//, '').replace(/\.json$/, '')}`;
}

async function imageExists(tag: string): Promise<boolean> {
  try {
    await run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], MINUTE);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command; on failure throws with the command line, exit status and stderr tail. */
function run(cmd: string, args: string[], timeout: number, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { timeout, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } };
    execFile(cmd, args, options, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const why = error.killed ? `killed after ${timeout} ms` : `exit ${String(error.code)}`;
      const tail = `${stderr}`.trim().split('\n').slice(-40).join('\n') || `${stdout}`.trim().split('\n').slice(-20).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${why}):\n${tail}`));
    });
  });
}

/** Produces `target` through a temp path and a rename, so a half-written file is never cached. */
async function atomicFile(target: string, produce: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  try {
    await produce(tmp);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function atomicDir(target: string, produce: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    await produce(tmp);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Cross-process lock (test files run in separate processes, and several checkouts may share the
 * cache): a directory created atomically, holding the owner's pid so a dead owner's lock is broken.
 */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lockDir = join(CACHE_DIR, 'locks', `${name}.lock`);
  await mkdir(join(CACHE_DIR, 'locks'), { recursive: true });
  const deadline = Date.now() + 45 * MINUTE;
  while (!(await tryLock(lockDir))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function tryLock(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!(await lockOwnerAlive(lockDir))) await rm(lockDir, { recursive: true, force: true });
    return false;
  }
}

async function lockOwnerAlive(lockDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(await readFile(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // The owner may be between mkdir and writeFile; treat the lock as live unless it is old.
    const info = await stat(lockDir).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs < MINUTE;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
