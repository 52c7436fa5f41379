/**
 * Derives examples/debian-sample.tar from the test suite's real Debian image: every layer keeps only
 * what the inventory reads (os-release, the dpkg database, copyright files) plus /opt/app, whiteouts
 * included, so the sample is small but real. Written as an OCI layout tar with gzip layers.
 * Run: node --import tsx scripts/make-sample-image.ts   (needs the Docker test fixtures)
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { openInput } from '../src/sources/archive/open-input.js';
import { debianFixtures } from '../test/support/images.js';

const KEEP = [
  /^etc\/(os-release|debian_version)$/,
  /^usr\/lib\/os-release$/,
  /^var\/lib\/dpkg\/(status|info\/[^/]+\.list)$/,
  /^usr\/share\/doc\/[^/]+\/copyright$/,
  /^opt\/app(\/|$)/,
  /(^|\/)\.wh\./,
];

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function filterLayer(input: Readable): Promise<Buffer> {
  const out = pack();
  const done = toBuffer(out as unknown as Readable);
  const ex = extract();
  ex.on('entry', (header, body, next) => {
    const name = header.name.replace(/^\.\//, '').replace(/\/$/, '');
    const keep = header.type === 'directory' ? KEEP.some((re) => re.test(name)) || /^(etc|usr|usr\/lib|usr\/share|usr\/share\/doc|usr\/share\/doc\/[^/]+|var|var\/lib|var\/lib\/dpkg|var\/lib\/dpkg\/info|opt)$/.test(name) : KEEP.some((re) => re.test(name));
    if (!keep) {
      body.on('end', next).resume();
      return;
    }
    body.pipe(out.entry(header, (err) => next(err ?? undefined)) as unknown as NodeJS.WritableStream);
  });
  await pipeline(input, ex as unknown as NodeJS.WritableStream);
  out.finalize();
  return done;
}

const fx = await debianFixtures();
const source = await openInput(fx.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: await mkdtemp(join(tmpdir(), 'sample-')) });
const blobs = new Map<string, Buffer>();
const layers: Array<{ mediaType: string; digest: string; size: number }> = [];
const diffIds: string[] = [];
for (let i = 0; i < source.layers.length; i++) {
  const tar = await filterLayer(await source.openLayer(i));
  const gz = gzipSync(tar, { level: 9 });
  diffIds.push(sha(tar));
  blobs.set(sha(gz), gz);
  layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(gz), size: gz.length });
}
const config = Buffer.from(JSON.stringify({ ...source.config, rootfs: { type: 'layers', diff_ids: diffIds } }));
blobs.set(sha(config), config);
const manifest = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers }),
);
blobs.set(sha(manifest), manifest);
const index = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'debian-sample' } }],
};
const archive = pack();
const mtime = new Date('2026-01-01T00:00:00Z');
archive.entry({ name: 'oci-layout', mtime }, JSON.stringify({ imageLayoutVersion: '1.0.0' }));
archive.entry({ name: 'index.json', mtime }, JSON.stringify(index));
for (const [digest, bytes] of [...blobs].sort(([a], [b]) => a.localeCompare(b))) archive.entry({ name: `blobs/sha256/${digest.slice(7)}`, mtime }, bytes);
archive.finalize();
await writeFile(new URL('../examples/debian-sample.tar', import.meta.url), await toBuffer(archive as unknown as Readable));
console.log(`examples/debian-sample.tar: ${layers.length} layers, ${[...blobs.values()].reduce((a, b) => a + b.length, 0)} bytes of blobs`);
