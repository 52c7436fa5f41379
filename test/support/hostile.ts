/**
 * Generators of hostile (and one valid) image inputs for tests. Each writes one file into the
 * given directory and returns its path. Unless noted, the file is a docker-archive laid out as
 * `docker save` of Engine 20.10 writes it: `<v1id>/{VERSION,json,layer.tar}`, `<configdigest>.json`,
 * `manifest.json` (Config/RepoTags/Layers) and `repositories`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import tarStream from 'tar-stream';
import type { Header, Pack } from 'tar-stream';

type Headers = Partial<Header> & Pick<Header, 'name'>;
type EntrySink = ReturnType<Pack['entry']>;

/** An entry of a layer tar; `content` only for regular files. */
interface TarEntry extends Headers {
  content?: Buffer | string;
}

/** A layer blob as stored in the archive: in memory, or (for big ones) a file on disk. */
type LayerBlob = { kind: 'bytes'; data: Buffer } | { kind: 'file'; path: string; size: number };

interface LayerSpec {
  blob: LayerBlob;
  /** What the config's rootfs.diff_ids says; normally sha256 of the uncompressed tar. */
  diffId: string;
}

interface ArchiveSpec {
  repoTag: string;
  layers: LayerSpec[];
  /** Layer indexes named in manifest.json but left out of the archive. */
  omitLayers?: number[];
}

const FIXED_DATE = new Date('2024-01-01T00:00:00Z');

export const DEBIAN_12_OS_RELEASE = [
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
  'NAME="Debian GNU/Linux"',
  'VERSION_ID="12"',
  'VERSION="12 (bookworm)"',
  'VERSION_CODENAME=bookworm',
  'ID=debian',
  'HOME_URL="https://www.debian.org/"',
  'SUPPORT_URL="https://www.debian.org/support"',
  'BUG_REPORT_URL="https://bugs.debian.org/"',
  '',
].join('\n');

/** The packages in the valid small image's var/lib/dpkg/status, as an inventory should report them. */
export const VALID_IMAGE_PACKAGES = [
  { package: 'base-files', version: '12.4+deb12u5', architecture: 'amd64', sourcePackage: 'base-files', sourceVersion: '12.4+deb12u5' },
  { package: 'libssl3', version: '3.0.11-1~deb12u2', architecture: 'amd64', sourcePackage: 'openssl', sourceVersion: '3.0.11-1~deb12u2' },
  { package: 'libexample1', version: '1.0-1+b2', architecture: 'amd64', sourcePackage: 'example', sourceVersion: '1.0-1' },
] as const;

const VALID_DPKG_STATUS = `Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 340
Maintainer: Santiago Vila <sanvila@debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 12.4+deb12u5
Description: Debian base system miscellaneous files
 This package contains the basic filesystem hierarchy of a Debian system.

Package: libssl3
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 6145
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u2
Depends: libc6 (>= 2.34)
Description: Secure Sockets Layer toolkit - shared libraries
 This package is part of the OpenSSL project's implementation of the SSL
 and TLS cryptographic protocols.

Package: libexample1
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12
Maintainer: Bulwark Tests <tests@example.invalid>
Architecture: amd64
Multi-Arch: same
Source: example (1.0-1)
Version: 1.0-1+b2
Description: example library rebuilt by a binNMU
 Its source version differs from its binary version.
`;

// ---------------------------------------------------------------------------------------------
// Cases

/** A valid two-layer Debian 12 image: layer 2 deletes etc/motd (`.wh.`) and makes opt/app opaque. */
export async function validSmallImage(dir: string): Promise<string> {
  const base = await layerFromEntries([
    ...dirs('etc', 'usr', 'usr/lib', 'var', 'var/lib', 'var/lib/dpkg', 'opt', 'opt/app'),
    file('usr/lib/os-release', DEBIAN_12_OS_RELEASE),
    { name: 'etc/os-release', type: 'symlink', mode: 0o777, linkname: '../usr/lib/os-release' },
    file('etc/debian_version', '12.5\n'),
    file('etc/motd', 'deleted by layer 2\n'),
    file('var/lib/dpkg/status', VALID_DPKG_STATUS),
    file('opt/app/old.txt', 'hidden by the opaque dir in layer 2\n'),
  ]);
  const top = await layerFromEntries([
    ...dirs('etc', 'opt', 'opt/app'),
    file('etc/.wh.motd', ''),
    file('opt/app/.wh..wh..opq', ''),
    file('opt/app/new.txt', 'added by layer 2\n'),
  ]);
  return writeDockerArchive(join(dir, 'valid-small.tar'), { repoTag: 'bulwark-test/valid-small:latest', layers: [base, top] });
}

/** A layer entry `../../etc/evil` that climbs out of the extraction root. */
export async function pathTraversalImage(dir: string): Promise<string> {
  const layer = await layerFromEntries([...dirs('etc'), file('etc/hostname', 'ok\n'), file('../../etc/evil', 'evil\n')]);
  return writeDockerArchive(join(dir, 'path-traversal.tar'), { repoTag: 'bulwark-hostile/path-traversal:latest', layers: [layer] });
}

/** A layer entry with an absolute name `/etc/evil`. */
export async function absolutePathImage(dir: string): Promise<string> {
  const layer = await layerFromEntries([...dirs('etc'), file('etc/hostname', 'ok\n'), file('/etc/evil', 'evil\n')]);
  return writeDockerArchive(join(dir, 'absolute-path.tar'), { repoTag: 'bulwark-hostile/absolute-path:latest', layers: [layer] });
}

/** `etc/os-release` is a symlink whose target climbs far above the image root (to the host's file). */
export async function symlinkEscapeImage(dir: string): Promise<string> {
  const layer = await layerFromEntries([
    ...dirs('etc'),
    { name: 'etc/os-release', type: 'symlink', mode: 0o777, linkname: '../../../../../../etc/os-release' },
  ]);
  return writeDockerArchive(join(dir, 'symlink-escape.tar'), { repoTag: 'bulwark-hostile/symlink-escape:latest', layers: [layer] });
}

/** A layer that starts with a valid gzip header followed by garbage. */
export async function corruptGzipLayerImage(dir: string): Promise<string> {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
  const data = Buffer.concat([header, randomBytes(4096)]);
  const layer: LayerSpec = { blob: { kind: 'bytes', data }, diffId: sha256(data) };
  return writeDockerArchive(join(dir, 'corrupt-gzip.tar'), { repoTag: 'bulwark-hostile/corrupt-gzip:latest', layers: [layer] });
}

/**
 * A layer tar cut off in the middle of a file's data. Its diff_id matches the truncated bytes,
 * so only the tar parser (not the digest check) can notice.
 */
export async function truncatedLayerImage(dir: string): Promise<string> {
  const full = await packToBuffer([...dirs('var', 'var/lib', 'var/lib/dpkg'), file('var/lib/dpkg/status', VALID_DPKG_STATUS)]);
  const data = full.subarray(0, 3 * 512 + 700);
  const layer: LayerSpec = { blob: { kind: 'bytes', data }, diffId: sha256(data) };
  return writeDockerArchive(join(dir, 'truncated-layer.tar'), { repoTag: 'bulwark-hostile/truncated-layer:latest', layers: [layer] });
}

/** A valid layer whose bytes do not match the diff_id the config declares for it. */
export async function diffIdMismatchImage(dir: string): Promise<string> {
  const layer = await layerFromEntries([...dirs('etc'), file('etc/os-release', DEBIAN_12_OS_RELEASE)]);
  const wrong = { ...layer, diffId: sha256('not the layer you are looking for') };
  return writeDockerArchive(join(dir, 'diffid-mismatch.tar'), { repoTag: 'bulwark-hostile/diffid-mismatch:latest', layers: [wrong] });
}

/** manifest.json names a second layer file that the archive does not contain. */
export async function missingLayerImage(dir: string): Promise<string> {
  const present = await layerFromEntries([...dirs('etc'), file('etc/os-release', DEBIAN_12_OS_RELEASE)]);
  const absent = await layerFromEntries([...dirs('etc'), file('etc/hostname', 'missing\n')]);
  return writeDockerArchive(join(dir, 'missing-layer.tar'), {
    repoTag: 'bulwark-hostile/missing-layer:latest',
    layers: [present, absent],
    omitLayers: [1],
  });
}

/** Not an image: a plain tar of random files, with neither manifest.json nor index.json. */
export async function nonImageTar(dir: string): Promise<string> {
  const data = await packToBuffer([
    file('README.txt', 'just some files\n'),
    ...dirs('data'),
    file('data/random.bin', randomBytes(4096)),
    file('data/config.json', '{"hello":"world"}\n'),
  ]);
  const out = join(dir, 'non-image.tar');
  await pipeline(async function* () { yield data; }, createWriteStream(out));
  return out;
}

/**
 * A gzip layer holding one file of `uncompressedBytes` zeros (default 1 GiB; about 1 MB
 * compressed), with a correct diff_id. Generated as a stream: the zeros are never held in memory.
 */
export async function decompressionBombImage(dir: string, uncompressedBytes = 1024 ** 3): Promise<string> {
  const layerPath = join(dir, 'bomb-layer.tar.gz.part');
  try {
    const diffId = await writeZeroBombLayer(layerPath, uncompressedBytes);
    const { size } = await stat(layerPath);
    const layer: LayerSpec = { blob: { kind: 'file', path: layerPath, size }, diffId };
    return await writeDockerArchive(join(dir, 'decompression-bomb.tar'), { repoTag: 'bulwark-hostile/bomb:latest', layers: [layer] });
  } finally {
    await rm(layerPath, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Layer building

function file(name: string, content: Buffer | string, mode = 0o644): TarEntry {
  return { name, type: 'file', mode, content };
}

function dirs(...names: string[]): TarEntry[] {
  return names.map((name) => ({ name: `${name}/`, type: 'directory', mode: 0o755 }));
}

async function layerFromEntries(entries: TarEntry[]): Promise<LayerSpec> {
  const data = await packToBuffer(entries);
  return { blob: { kind: 'bytes', data }, diffId: sha256(data) };
}

async function packToBuffer(entries: TarEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const collected = collect(chunks(pack));
  for (const { content, ...header } of entries) {
    await addEntry(pack, { uid: 0, gid: 0, mtime: FIXED_DATE, ...header }, content === undefined ? undefined : Buffer.from(content));
  }
  pack.finalize();
  return collected;
}

/** streamx (under tar-stream) types its chunks as unknown; a pack only ever yields Buffers. */
function chunks(pack: Pack): AsyncIterable<Buffer> {
  return pack as AsyncIterable<Buffer>;
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function addEntry(pack: Pack, header: Headers, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (content === undefined) pack.entry(header, done);
    else pack.entry(header, content, done);
  });
}

/** tar(zeros) -> sha256 tap (the diff_id) -> gzip -> file, with back-pressure throughout. */
async function writeZeroBombLayer(path: string, size: number): Promise<string> {
  const inner = tarStream.pack();
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const gzip = createGzip({ level: zlibConstants.Z_BEST_COMPRESSION });
  const written = pipeline(chunks(inner), tap, gzip, createWriteStream(path));
  const entryDone = new Promise<void>((resolve, reject) => {
    const entry = inner.entry({ name: 'zeros.bin', type: 'file', size, mode: 0o644, mtime: FIXED_DATE }, (err) =>
      err ? reject(err) : resolve(),
    );
    void writeZeros(entry, size).catch(reject);
  });
  await entryDone;
  inner.finalize();
  await written;
  return `sha256:${hash.digest('hex')}`;
}

async function writeZeros(out: EntrySink, size: number): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= chunk.length) {
    if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(out, 'drain');
  }
  out.end(null); // streamx types end() as needing an argument; null means "no final chunk"
}

// ---------------------------------------------------------------------------------------------
// docker-archive writing

async function writeDockerArchive(outPath: string, spec: ArchiveSpec): Promise<string> {
  const config = imageConfig(spec.layers.map((l) => l.diffId));
  const configName = `${sha256(config).slice('sha256:'.length)}.json`;
  const v1Ids = v1LayerIds(spec.layers.map((l) => l.diffId));
  const pack = tarStream.pack();
  const written = pipeline(chunks(pack), createWriteStream(outPath));
  for (const [i, layer] of spec.layers.entries()) {
    if (spec.omitLayers?.includes(i)) continue;
    await addLayerDir(pack, v1Ids, i, layer.blob);
  }
  await addEntry(pack, outerHeader(configName), Buffer.from(config));
  const [repo = '', tag = 'latest'] = spec.repoTag.split(':');
  const manifest = [{ Config: configName, RepoTags: [spec.repoTag], Layers: v1Ids.map((id) => `${id}/layer.tar`) }];
  await addEntry(pack, outerHeader('manifest.json'), Buffer.from(JSON.stringify(manifest)));
  const repositories = { [repo]: { [tag]: v1Ids[v1Ids.length - 1] } };
  await addEntry(pack, outerHeader('repositories'), Buffer.from(`${JSON.stringify(repositories)}\n`));
  pack.finalize();
  await written;
  return outPath;
}

async function addLayerDir(pack: Pack, v1Ids: string[], i: number, blob: LayerBlob): Promise<void> {
  const id = v1Ids[i] ?? '';
  const parent = i > 0 ? v1Ids[i - 1] : undefined;
  const v1Json = { id, ...(parent ? { parent } : {}), created: FIXED_DATE.toISOString(), os: 'linux' };
  await addEntry(pack, { ...outerHeader(`${id}/`), type: 'directory', mode: 0o755 });
  await addEntry(pack, outerHeader(`${id}/VERSION`), Buffer.from('1.0'));
  await addEntry(pack, outerHeader(`${id}/json`), Buffer.from(JSON.stringify(v1Json)));
  if (blob.kind === 'bytes') await addEntry(pack, outerHeader(`${id}/layer.tar`), blob.data);
  else await addFileEntry(pack, outerHeader(`${id}/layer.tar`), blob.path, blob.size);
}

function addFileEntry(pack: Pack, header: Headers, path: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = pack.entry({ ...header, size }, (err) => (err ? reject(err) : resolve()));
    createReadStream(path).on('error', reject).pipe(entry);
  });
}

function outerHeader(name: string): Headers {
  return { name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: FIXED_DATE };
}

function imageConfig(diffIds: string[]): string {
  return JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: FIXED_DATE.toISOString(),
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map((_, i) => ({ created: FIXED_DATE.toISOString(), created_by: `bulwark-test layer ${i}` })),
  });
}

/** Engine 20.10 names layer directories by a v1 id chained from the parent; any unique hex works. */
function v1LayerIds(diffIds: string[]): string[] {
  const ids: string[] = [];
  for (const [i, diffId] of diffIds.entries()) {
    ids.push(sha256(`${ids[i - 1] ?? ''}\n${diffId}\n${i}`).slice('sha256:'.length));
  }
  return ids;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
