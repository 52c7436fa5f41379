import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { Finding } from '../../src/core/finding.js';
import { REGISTRY_AUDIT_RULES, registryAuditPack, registryAuditRules } from '../../src/modules/rules/registry-audit/index.js';
import {
  auditRegistry,
  classifyManifest,
  defaultAuditOptions,
  identifyServer,
  parseServerData,
  repositoryView,
  serverVerdicts,
  type ManifestFacts,
  type RegistryAuditFacts,
} from '../../src/registry/audit/index.js';
import { assertMetaContract } from './meta-contract.js';

const DIR = fileURLToPath(new URL('../fixtures/registry/manifests/', import.meta.url));
const NOW = new Date('2026-11-29T00:00:00Z');
const URL_ = 'https://registry.example.com';
const d = (c: string): string => `sha256:${c.repeat(64)}`;

/** A manifest's facts, classified from a fixture as the HTTP layer would. */
function manifest(file: string, digest: string, extra: Partial<ManifestFacts> & { tag?: string } = {}): ManifestFacts {
  const json = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as { mediaType?: string };
  const { tag, ...rest } = extra;
  const cls = classifyManifest({ mediaType: json.mediaType ?? 'application/vnd.docker.distribution.manifest.v1+prettyjws', json, ...(tag ? { tag } : {}) });
  return { digest, class: cls, ...rest };
}

/** Clean: private, https with a valid certificate, every image signed, fresh, supported, tagged. */
function good(): RegistryAuditFacts {
  const index = d('1');
  const amd = d('2');
  const arm = d('3');
  const app = d('4');
  const sig = d('5');
  const sbom = d('6');
  return {
    url: URL_,
    loopback: false,
    transport: { scheme: 'https', tls: { valid: true, expiresAt: '2027-06-01T00:00:00Z' } },
    ping: { status: 401, anonymousOk: false, apiVersion: 'registry/2.0' },
    catalogAnonymous: false,
    server: { product: 'distribution', version: '3.0.0', source: 'Server header' },
    repositories: [
      {
        name: 'team/web',
        anonymousPull: false,
        tags: [
          { tag: '1.0', digest: index },
          { tag: 'latest', digest: index },
          { tag: `sha256-${'1'.repeat(64)}.sig`, digest: sig },
        ],
        manifests: [
          { ...manifest('oci-index.json', index), children: [amd, arm] },
          manifest('oci-image.json', amd, { created: '2026-11-20T00:00:00Z', osEol: { release: 'debian 12 (Bookworm)', status: 'supported', eolDate: '2028-06-30' } }),
          manifest('oci-image.json', arm, { created: '2026-11-20T00:00:00Z' }),
          manifest('cosign-signature-tag.json', sig, { tag: `sha256-${'1'.repeat(64)}.sig` }),
        ],
      },
      {
        name: 'team/api',
        tags: [{ tag: 'v2', digest: app }],
        manifests: [
          manifest('docker-v2.json', app, { created: '2026-10-01T00:00:00Z', referrers: [{ digest: d('7'), artifactType: 'application/vnd.cncf.notary.signature' }, { digest: sbom }] }),
          // An SBOM attached through the referrers API (no subject field of its own, no tag).
          manifest('sbom-cyclonedx-cosign.json', sbom),
        ],
      },
      {
        name: 'charts-free/cnab',
        tags: [],
        manifests: [],
      },
    ],
    options: defaultAuditOptions(),
  };
}

/** Everything wrong at once. */
function bad(): RegistryAuditFacts {
  const f = good();
  return {
    ...f,
    url: 'http://10.0.0.5:5000',
    transport: { scheme: 'http' },
    ping: { status: 200, anonymousOk: true, server: 'docker-registry/0.9.1' },
    catalogAnonymous: true,
    server: { product: 'distribution', version: '2.7.1', source: 'Server header' },
    repositories: [
      {
        name: 'team/web',
        anonymousPull: true,
        tags: [
          { tag: '1.0', digest: d('1') },
          { tag: 'old', digest: d('8') },
        ],
        manifests: [
          { ...manifest('oci-index.json', d('1')), children: [d('2')] },
          manifest('oci-image.json', d('2'), { created: '2026-11-20T00:00:00Z', osEol: { release: 'debian 10 (Buster)', status: 'eol', eolDate: '2024-06-30' } }),
          manifest('schema1-signed.json', d('8')),
          manifest('docker-v2.json', d('9'), { created: '2025-01-01T00:00:00Z' }),
        ],
      },
      {
        name: 'misc/files',
        anonymousPull: true,
        tags: [
          { tag: 'docs', digest: d('a') },
          { tag: 'chart-0.1.0', digest: d('b') },
          { tag: 'mod', digest: d('c') },
          { tag: 'stale', digest: d('e') },
        ],
        manifests: [
          manifest('oras-generic.json', d('a')),
          manifest('helm-chart.json', d('b')),
          manifest('wasm.json', d('c')),
          manifest('sbom-cyclonedx-cosign.json', d('f')),
          manifest('docker-v2.json', d('e'), { created: '2026-01-01T00:00:00Z' }),
        ],
      },
    ],
  };
}

function where(findings: Finding[], id: string): string[] {
  return findings.filter((f) => f.id === id).map((f) => f.location.resource!).sort();
}

const CASES: { id: string; expect: string[] }[] = [
  { id: 'BW-REG-001', expect: ['/v2/'] },
  { id: 'BW-REG-002', expect: ['/v2/_catalog'] },
  { id: 'BW-REG-003', expect: ['misc/files', 'team/web'] },
  { id: 'BW-REG-004', expect: ['http://10.0.0.5:5000'] },
  // BW-REG-005 needs https: its own case below.
  { id: 'BW-REG-006', expect: ['http://10.0.0.5:5000'] },
  { id: 'BW-REG-007', expect: ['team/web:old'] },
  { id: 'BW-REG-008', expect: [`misc/files:docs`, `misc/files:mod`, `misc/files@${d('f')}`] },
  { id: 'BW-REG-009', expect: ['misc/files:chart-0.1.0'] },
  { id: 'BW-REG-010', expect: ['misc/files:stale', 'team/web:1.0'] },
  { id: 'BW-REG-011', expect: ['misc/files:stale'] },
  { id: 'BW-REG-012', expect: [`misc/files@${d('f')}`, `team/web@${d('9')}`] },
  { id: 'BW-REG-013', expect: [`team/web@${d('2')}`] },
];

describe('registry-audit rules', () => {
  const badFindings = auditRegistry(bad(), URL_, NOW);
  const goodFindings = auditRegistry(good(), URL_, NOW);

  it('the good facts set raises nothing', () => {
    assert.deepEqual(goodFindings.map((f) => `${f.id} ${f.location.resource} ${f.description}`), []);
  });

  for (const c of CASES) {
    it(`${c.id} fails on the bad facts and passes on the good ones`, () => {
      assert.deepEqual(where(badFindings, c.id), c.expect);
      assert.deepEqual(where(goodFindings, c.id), []);
    });
  }

  it('BW-REG-005: invalid, expired and valid certificates', () => {
    const base = good();
    const run = (tls: RegistryAuditFacts['transport']['tls']): Finding[] =>
      auditRegistry({ ...base, transport: { scheme: 'https', ...(tls ? { tls } : {}) } }, URL_, NOW).filter((f) => f.id === 'BW-REG-005');
    assert.match(run({ valid: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT' })[0]!.description!, /DEPTH_ZERO_SELF_SIGNED_CERT/);
    assert.match(run({ valid: true, expiresAt: '2026-01-01T00:00:00Z' })[0]!.description!, /expired on 2026-01-01/);
    assert.equal(run({ valid: true, expiresAt: '2027-01-01T00:00:00Z' }).length, 0);
    assert.equal(run(undefined).length, 0);
  });

  it('BW-REG-004: plain HTTP on loopback is accepted', () => {
    const f = { ...bad(), url: 'http://127.0.0.1:5000', loopback: true };
    assert.deepEqual(where(auditRegistry(f, URL_, NOW), 'BW-REG-004'), []);
  });

  it('--public lowers anonymous access to LOW and says why; other rules keep their severity', () => {
    const pub = auditRegistry({ ...bad(), options: defaultAuditOptions({ public: true }) }, URL_, NOW);
    for (const id of ['BW-REG-001', 'BW-REG-002', 'BW-REG-003']) {
      for (const f of pub.filter((x) => x.id === id)) {
        assert.equal(f.severity, 'LOW', id);
        assert.match(f.description!, /--public/);
      }
    }
    assert.equal(badFindings.find((f) => f.id === 'BW-REG-001')!.severity, 'HIGH');
    assert.equal(pub.find((f) => f.id === 'BW-REG-004')!.severity, 'HIGH');
  });

  it('staleDays moves the threshold', () => {
    const f = { ...bad(), options: defaultAuditOptions({ staleDays: 5 }) };
    assert.deepEqual(where(auditRegistry(f, URL_, NOW), 'BW-REG-011'), ['misc/files:stale', 'team/web:1.0']);
    const lax = { ...bad(), options: defaultAuditOptions({ staleDays: 400 }) };
    assert.deepEqual(where(auditRegistry(lax, URL_, NOW), 'BW-REG-011'), []);
  });

  it('findings carry the registry stack layer, target, rule metadata and stable fingerprints', () => {
    const again = auditRegistry(bad(), URL_, NOW);
    assert.deepEqual(again.map((f) => f.fingerprint), badFindings.map((f) => f.fingerprint));
    assert.equal(new Set(badFindings.map((f) => f.fingerprint)).size, badFindings.length);
    for (const f of badFindings) {
      assert.equal(f.stackLayer, 'registry');
      assert.equal(f.kind, 'misconfiguration');
      assert.equal(f.target, URL_);
    }
    assert.deepEqual(badFindings.find((f) => f.id === 'BW-REG-013')!.aliases, ['CIS-DI-0004', 'CIS-DOCKER-4.4']);
    assert.match(badFindings.find((f) => f.id === 'BW-REG-013')!.description!, /in team\/web:1\.0.*debian 10/);
  });
});

describe('registry-audit pack metadata', () => {
  it('meets the metadata contract, ids BW-REG-NNN in order', () => {
    const all = registryAuditPack.rules();
    assertMetaContract(all, /^BW-REG-\d{3}$/, (a) => /^CIS-DI-\d{4}$|^CIS-DOCKER-4\.\d+$/.test(a));
    assert.deepEqual(all.map((r) => r.id), all.map((_, i) => `BW-REG-${String(i + 1).padStart(3, '0')}`));
    assert.equal(registryAuditPack.id, 'registry-audit');
    assert.equal(registryAuditRules().length, REGISTRY_AUDIT_RULES.length);
  });
});

describe('repository view', () => {
  it('signatures on an index cover its children; reachability follows index children', () => {
    const f = good().repositories[0]!;
    const v = repositoryView(f);
    assert.ok(v.signed(d('1')) && v.signed(d('2')) && v.signed(d('3')));
    assert.deepEqual([...v.reachable].sort(), [d('1'), d('2'), d('3'), d('5')]);
    assert.deepEqual(v.parentsOf(d('2')), [d('1')]);
    assert.equal(v.resource(d('1')), 'team/web:1.0');
    assert.equal(v.resource(d('2')), `team/web@${d('2')}`);
  });

  it('a notation signature in the referrers list signs the image', () => {
    const v = repositoryView(good().repositories[1]!);
    assert.ok(v.signed(d('4')));
    assert.deepEqual([...v.attachmentsOf(d('4'))].sort(), ['sbom', 'signature']);
  });
});

describe('server identity and verdicts', () => {
  it('identifies products from headers', () => {
    assert.deepEqual(identifyServer({ 'x-docker-registry-version': '0.9.1' }), { product: 'docker-registry-v1', version: '0.9.1', source: 'X-Docker-Registry-Version header' });
    assert.deepEqual(identifyServer({ server: 'Nexus/3.61.0-02 (OSS)' }), { product: 'nexus', version: '3.61.0-02', source: 'Server header' });
    assert.deepEqual(identifyServer({ 'docker-distribution-api-version': 'registry/2.0' }), { product: 'distribution', source: 'Docker-Distribution-Api-Version header' });
    assert.equal(identifyServer({ server: 'nginx' }), undefined);
  });

  it('applies the shipped data: v1 always, distribution only below 2.8.2, unknown versions only for "*"', () => {
    assert.equal(serverVerdicts({ product: 'docker-registry-v1', source: 'x' }).length, 1);
    assert.equal(serverVerdicts({ product: 'distribution', version: '2.8.1', source: 'x' })[0]!.status, 'flawed');
    assert.equal(serverVerdicts({ product: 'distribution', version: '2.8.3', source: 'x' }).length, 0);
    assert.equal(serverVerdicts({ product: 'distribution', source: 'x' }).length, 0);
    assert.equal(serverVerdicts({ product: 'nexus', version: '1.0', source: 'x' }).length, 0);
  });

  it('rejects malformed data', () => {
    assert.throws(() => parseServerData('{"products":[{"product":"x","name":"x","entries":[{"range":"*","status":"bad","note":"0123456789","references":["https://a"]}]}]}'));
  });
});
