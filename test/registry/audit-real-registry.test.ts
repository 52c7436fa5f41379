/**
 * The fixture manifests pushed into a real docker-registry (CNCF distribution on 127.0.0.1) with real blobs,
 * fetched back with the Accept list a client sends, and classified from what the registry answered: proves the
 * fixtures are manifests a registry accepts and that Content-Type plus body are enough to classify them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { attachmentFromTag, classifyManifest, type ArtifactKind } from '../../src/registry/audit/classify.js';
import { MANIFEST_ACCEPT } from '../../src/sources/oci-schema.js';
import { buildImage, pushBlob, pushManifest, pushOciImage, sha256, startRegistry, type RunningRegistry } from '../support/registry.js';

const DIR = fileURLToPath(new URL('../fixtures/registry/manifests/', import.meta.url));
const ACCEPT = [MANIFEST_ACCEPT, 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'application/vnd.docker.distribution.manifest.v1+json'].join(', ');

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  data?: string;
}
interface FixtureManifest {
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[] | null;
  subject?: Descriptor;
}

let reg: RunningRegistry;
let image: { digest: string; size: number };

/** The fixture with its config and layers replaced by real blobs in the registry, and its subject by the real image. */
async function realize(file: string, repo: string): Promise<{ body: Buffer; mediaType: string }> {
  const m = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as FixtureManifest;
  const blob = async (d: Descriptor, content: string): Promise<Descriptor> => {
    const bytes = Buffer.from(d.mediaType === 'application/vnd.oci.empty.v1+json' ? '{}' : content);
    const { data: _data, ...rest } = d;
    return { ...rest, digest: await pushBlob(reg.url, repo, bytes), size: bytes.length, ...(d.data ? { data: bytes.toString('base64') } : {}) };
  };
  const out: FixtureManifest = {
    ...m,
    config: await blob(m.config, JSON.stringify({ fixture: file })),
    layers: m.layers === null ? [] : await Promise.all(m.layers.map((l, i) => blob(l, `${file} layer ${i}`))),
    ...(m.subject ? { subject: { ...m.subject, digest: image.digest, size: image.size } } : {}),
  };
  return { body: Buffer.from(JSON.stringify(out)), mediaType: m.mediaType };
}

async function fetchBack(repo: string, reference: string): Promise<{ mediaType: string; json: unknown }> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${reference}`, { headers: { accept: ACCEPT } });
  assert.equal(res.status, 200, `${repo}:${reference}`);
  return { mediaType: res.headers.get('content-type') ?? '', json: await res.json() };
}

describe('classification of manifests stored in a real registry', { timeout: 120_000 }, () => {
  before(async () => {
    reg = await startRegistry({ kind: 'open' });
    const built = await buildImage({ layers: [{ files: { 'etc/hello': 'world' } }], label: 'audit-classify' });
    const pushed = await pushOciImage(reg.url, 'app/web', '1.0', built);
    image = { digest: pushed.digest, size: pushed.manifest.length };
  });
  after(async () => reg?.stop());

  it('a real image is an image', async () => {
    assert.equal(classifyManifest(await fetchBack('app/web', '1.0')).class, 'image');
  });

  const CASES: { file: string; kind: ArtifactKind; attached?: 'subject' | 'tag'; tag?: 'sig' | 'sbom' | 'att' }[] = [
    { file: 'helm-chart.json', kind: 'helm-chart' },
    { file: 'oras-generic.json', kind: 'artifact' },
    { file: 'oras-legacy-config.json', kind: 'artifact' },
    { file: 'wasm.json', kind: 'wasm' },
    { file: 'cnab-config.json', kind: 'cnab' },
    { file: 'cosign-signature.json', kind: 'signature', attached: 'subject' },
    { file: 'notation-signature.json', kind: 'signature', attached: 'subject' },
    { file: 'sbom-spdx.json', kind: 'sbom', attached: 'subject' },
    { file: 'cosign-signature-tag.json', kind: 'signature', attached: 'tag', tag: 'sig' },
    { file: 'sbom-cyclonedx-cosign.json', kind: 'sbom', attached: 'tag', tag: 'sbom' },
    { file: 'attestation-cosign.json', kind: 'attestation', attached: 'tag', tag: 'att' },
    { file: 'attestation-buildkit.json', kind: 'attestation' },
  ];

  for (const c of CASES) {
    it(`${c.file} pushed and fetched back is ${c.kind}${c.attached ? `, attached by ${c.attached}` : ''}`, async () => {
      const repo = c.attached ? 'app/web' : 'misc/artifacts';
      const tag = c.tag ? `${image.digest.replace(':', '-')}.${c.tag}` : c.file.replace(/\.json$/, '');
      const { body, mediaType } = await realize(c.file, repo);
      await pushManifest(reg.url, repo, tag, mediaType, body);
      const got = classifyManifest({ ...(await fetchBack(repo, tag)), tag });
      assert.equal(got.class, c.kind, JSON.stringify(got));
      assert.equal(got.attachedTo, c.attached ? image.digest : undefined);
      if (c.tag) assert.equal(attachmentFromTag(tag)?.digest, image.digest);
    });
  }

  it('an untagged manifest pushed by digest classifies the same', async () => {
    const { body, mediaType } = await realize('oras-generic.json', 'misc/untagged');
    const digest = await pushManifest(reg.url, 'misc/untagged', sha256(body), mediaType, body);
    assert.equal(classifyManifest(await fetchBack('misc/untagged', digest)).class, 'artifact');
    const tags = (await (await fetch(`${reg.url}/v2/misc/untagged/tags/list`)).json()) as { tags: string[] | null };
    assert.ok(!tags.tags?.length, 'no tag points at it');
  });
});
