import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { attachmentFromTag, classifyManifest, kindOfMediaType, type ArtifactKind } from '../../src/registry/audit/classify.js';

const DIR = fileURLToPath(new URL('../fixtures/registry/manifests/', import.meta.url));
const IMG = 'sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f';

function load(file: string): { mediaType: string; json: unknown } {
  const json = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as { mediaType?: string };
  // Registries answer schema 1 as its own type; the others carry mediaType in the body.
  return { mediaType: json.mediaType ?? 'application/vnd.docker.distribution.manifest.v1+prettyjws', json };
}

const CASES: { file: string; tag?: string; kind: ArtifactKind; label: RegExp; attachedTo?: string }[] = [
  { file: 'oci-image.json', kind: 'image', label: /^container image \(OCI\)$/ },
  { file: 'docker-v2.json', kind: 'image', label: /Docker v2/ },
  { file: 'oci-index.json', kind: 'index', label: /image index \(OCI/ },
  { file: 'docker-manifest-list.json', kind: 'index', label: /manifest list \(Docker/ },
  { file: 'schema1-signed.json', kind: 'schema1', label: /schema 1 \(deprecated\)/ },
  { file: 'helm-chart.json', kind: 'helm-chart', label: /^Helm chart$/ },
  { file: 'cosign-signature.json', kind: 'signature', label: /^cosign signature$/, attachedTo: IMG },
  {
    file: 'cosign-signature-tag.json',
    tag: 'sha256-e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f.sig',
    kind: 'signature',
    label: /cosign/,
    attachedTo: IMG,
  },
  { file: 'notation-signature.json', kind: 'signature', label: /Notary/, attachedTo: 'sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333' },
  { file: 'sbom-spdx.json', kind: 'sbom', label: /SPDX/, attachedTo: IMG },
  { file: 'sbom-cyclonedx-cosign.json', kind: 'sbom', label: /CycloneDX/ },
  { file: 'attestation-cosign.json', kind: 'attestation', label: /in-toto/ },
  { file: 'attestation-buildkit.json', kind: 'attestation', label: /in-toto/ },
  { file: 'wasm.json', kind: 'wasm', label: /WebAssembly/ },
  { file: 'oras-generic.json', kind: 'artifact', label: /application\/vnd\.acme\.rocket\.docs/ },
  { file: 'oras-legacy-config.json', kind: 'artifact', label: /application\/vnd\.unknown\.config\.v1\+json/ },
  { file: 'cnab-index.json', kind: 'cnab', label: /CNAB/ },
  { file: 'cnab-config.json', kind: 'cnab', label: /CNAB/ },
];

describe('classifyManifest over real manifests', () => {
  for (const c of CASES) {
    it(`${c.file}${c.tag ? ` (tag ${c.tag.slice(0, 16)}…)` : ''} is ${c.kind}`, () => {
      const got = classifyManifest({ ...load(c.file), ...(c.tag ? { tag: c.tag } : {}) });
      assert.equal(got.class, c.kind, JSON.stringify(got));
      assert.match(got.label, c.label);
      assert.equal(got.attachedTo, c.attachedTo);
    });
  }

  it('the sbom tag attaches an unattached cosign SBOM; an untagged one stays unattached', () => {
    const tag = `sha256-${'b'.repeat(64)}.sbom`;
    assert.equal(classifyManifest({ ...load('sbom-cyclonedx-cosign.json'), tag }).attachedTo, `sha256:${'b'.repeat(64)}`);
    assert.equal(classifyManifest(load('sbom-cyclonedx-cosign.json')).attachedTo, undefined);
  });

  it('a .sig tag never turns a real image into a signature, but decides an otherwise unknown payload', () => {
    const tag = `sha256-${'c'.repeat(64)}.sig`;
    assert.equal(classifyManifest({ ...load('oci-image.json'), tag }).class, 'image');
    const got = classifyManifest({ ...load('oras-legacy-config.json'), tag });
    assert.equal(got.class, 'signature');
    assert.equal(got.attachedTo, `sha256:${'c'.repeat(64)}`);
  });

  it('an index under a bare sha256-<hex> tag is the referrers tag-schema index of that digest', () => {
    const got = classifyManifest({ ...load('oci-index.json'), tag: `sha256-${'d'.repeat(64)}` });
    assert.equal(got.class, 'referrers-index');
    assert.equal(got.attachedTo, `sha256:${'d'.repeat(64)}`);
  });

  it('explicit artifactType, configMediaType and subject override the body', () => {
    const got = classifyManifest({ ...load('oci-image.json'), artifactType: 'application/vnd.cyclonedx+json', subject: IMG });
    assert.deepEqual([got.class, got.attachedTo], ['sbom', IMG]);
    assert.equal(classifyManifest({ ...load('oci-image.json'), configMediaType: 'application/vnd.cncf.helm.config.v1+json' }).class, 'helm-chart');
  });

  it('schema 1 served as plain JSON, garbage and a non-manifest object', () => {
    assert.equal(classifyManifest({ mediaType: 'application/json', json: load('schema1-signed.json').json }).class, 'schema1');
    assert.equal(classifyManifest({ mediaType: 'text/plain', json: 'nope' }).class, 'unknown');
    assert.equal(classifyManifest({ mediaType: 'application/json', json: { hello: 1 } }).class, 'unknown');
    assert.equal(classifyManifest({ mediaType: 'application/vnd.oci.image.manifest.v1+json; charset=utf-8', json: load('helm-chart.json').json }).class, 'helm-chart');
  });

  it('an image config over non-filesystem layers is an artifact, not an image', () => {
    const json = load('oci-image.json').json as { layers: { mediaType: string }[] };
    const odd = { ...json, layers: [{ ...json.layers[0]!, mediaType: 'application/octet-stream' }] };
    assert.equal(classifyManifest({ mediaType: 'application/vnd.oci.image.manifest.v1+json', json: odd }).class, 'artifact');
  });
});

describe('attachmentFromTag and kindOfMediaType', () => {
  it('parses the cosign and referrers tag conventions only', () => {
    const hex = 'e'.repeat(64);
    assert.deepEqual(attachmentFromTag(`sha256-${hex}.sig`), { digest: `sha256:${hex}`, kind: 'sig' });
    assert.deepEqual(attachmentFromTag(`sha256-${hex}.att`), { digest: `sha256:${hex}`, kind: 'att' });
    assert.deepEqual(attachmentFromTag(`sha256-${hex}.sbom`), { digest: `sha256:${hex}`, kind: 'sbom' });
    assert.deepEqual(attachmentFromTag(`sha256-${hex}`), { digest: `sha256:${hex}`, kind: 'referrers' });
    for (const t of ['latest', `sha256-${hex}.txt`, `sha256-${hex.slice(1)}.sig`, `sha256:${hex}`, `SHA256-${hex}.sig`]) assert.equal(attachmentFromTag(t), undefined, t);
  });

  it('names the well-known media types', () => {
    const expect: [string, ArtifactKind | undefined][] = [
      ['application/vnd.dev.cosign.simplesigning.v1+json', 'signature'],
      ['application/vnd.cncf.notary.signature', 'signature'],
      ['application/vnd.dev.sigstore.bundle.v0.3+json', 'signature'],
      ['application/vnd.in-toto+json', 'attestation'],
      ['application/vnd.dsse.envelope.v1+json', 'attestation'],
      ['application/spdx+json', 'sbom'],
      ['text/spdx', 'sbom'],
      ['application/vnd.cyclonedx+xml', 'sbom'],
      ['application/vnd.syft+json', 'sbom'],
      ['application/vnd.cncf.helm.config.v1+json', 'helm-chart'],
      ['application/vnd.wasm.config.v0+json', 'wasm'],
      ['application/vnd.module.wasm.content.layer.v1+wasm', 'wasm'],
      ['application/vnd.cnab.config.v1+json', 'cnab'],
      ['application/vnd.oci.image.config.v1+json', undefined],
      ['application/vnd.oci.empty.v1+json', undefined],
      ['application/json', undefined],
    ];
    for (const [t, k] of expect) assert.equal(kindOfMediaType(t), k, t);
  });
});
