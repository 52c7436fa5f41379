import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkImage, imageWants, removableTools } from '../../../src/modules/rules/image/index.js';
import { OPTIONS, cleanImage, deb, fakeInput } from './fake-image.js';

describe('removableTools', () => {
  const img = cleanImage();
  img.files.push(
    { path: '/usr', type: 'dir' },
    { path: '/usr/bin', type: 'dir' },
    { path: '/bin', type: 'symlink', linkTarget: 'usr/bin' },
    { path: '/usr/bin/bash', mode: 0o755, size: 1_200_000 },
    { path: '/usr/share/doc/bash/README', size: 30_000 },
    { path: '/usr/bin/rbash', type: 'symlink', linkTarget: 'bash' },
    { path: '/usr/bin/curl', mode: 0o755, size: 250_000, layer: 1 },
    { path: '/usr/lib/x86_64-linux-gnu/libcurl.so.4', size: 700_000, layer: 1 },
    { path: '/usr/bin/busybox', mode: 0o755, size: 900_000, layer: 1 },
    { path: '/usr/bin/sh', type: 'symlink', linkTarget: 'busybox', layer: 1 },
    { path: '/usr/bin/ash', type: 'symlink', linkTarget: '/usr/bin/busybox', layer: 1 },
    { path: '/usr/bin/wget', type: 'symlink', linkTarget: 'busybox', layer: 1 },
    { path: '/usr/local/bin/nc', mode: 0o755, size: 35_000, layer: 1 },
  );
  // dpkg lists pre-usrmerge paths; the view resolves them through the /bin link.
  img.packages.push(deb('bash', ['/bin/bash', '/usr/bin/rbash', '/usr/share/doc/bash/README']), deb('curl', ['/usr/bin/curl']), deb('libcurl4', ['/usr/lib/x86_64-linux-gnu/libcurl.so.4']));
  const input = fakeInput(img);

  it('one entry per tool package (sizes of every file it owns) or unowned executable, largest first', () => {
    assert.deepEqual(removableTools(input), [
      { category: 'shell', package: 'bash', paths: ['/usr/bin/bash', '/usr/bin/rbash'], bytes: 1_230_000 },
      { category: 'shell', paths: ['/usr/bin/ash', '/usr/bin/busybox', '/usr/bin/sh'], bytes: 900_000 },
      { category: 'network-tool', paths: ['/usr/bin/wget'], bytes: 900_000 },
      { category: 'network-tool', package: 'curl', paths: ['/usr/bin/curl'], bytes: 250_000 },
      { category: 'network-tool', paths: ['/usr/local/bin/nc'], bytes: 35_000 },
    ]);
  });

  it('BW-IMG-004 reports each of them once, with its size and the layer that installed it', () => {
    const findings = checkImage(input, OPTIONS).filter((f) => f.id === 'BW-IMG-004');
    assert.deepEqual(findings.map((f) => [f.location.path, f.location.layer?.index, f.description]), [
      ['/usr/bin/bash', undefined, 'Candidate to remove: package bash 1.0-1 (shell: /usr/bin/bash, /usr/bin/rbash; 1.23 MB)'],
      ['/usr/bin/busybox', 1, 'Candidate to remove: busybox (shell: /usr/bin/ash, /usr/bin/busybox, /usr/bin/sh; 900 kB)'],
      ['/usr/bin/curl', undefined, 'Candidate to remove: package curl 1.0-1 (network-tool: /usr/bin/curl; 250 kB)'],
      ['/usr/bin/wget', 1, 'Candidate to remove: wget (network-tool: /usr/bin/wget; 900 kB)'],
      ['/usr/local/bin/nc', 1, 'Candidate to remove: nc (network-tool: /usr/local/bin/nc; 35.0 kB)'],
    ]);
  });
});

describe('checkImage findings', () => {
  const img = cleanImage();
  const token = 'npm_Zq8xWv3LkP0sYt6RmN2bJc5HdF9gA1eQ4uI7';
  img.files.push({ path: '/root/.npmrc', content: `//registry.npmjs.org/:_authToken=${token}\n`, layer: 1 }, { path: '/srv/a', mode: 0o4755, size: 1 }, { path: '/srv/b', mode: 0o4755, size: 1 });
  delete img.runConfig.User;
  const findings = checkImage(fakeInput(img), OPTIONS);

  it('share the model: kind, stack layer, target, title and metadata from the rule, layer of the file', () => {
    const npmrc = findings.find((f) => f.location.path === '/root/.npmrc')!;
    assert.equal(npmrc.kind, 'misconfiguration');
    assert.equal(npmrc.stackLayer, 'image');
    assert.equal(npmrc.target, 'registry.example/app:1.4.2');
    assert.equal(npmrc.title, 'Credential or private key file in the image');
    assert.equal(npmrc.severity, 'HIGH');
    assert.deepEqual(npmrc.aliases, ['CIS-DI-0010', 'CIS-DOCKER-4.10']);
    assert.equal(npmrc.location.layer?.index, 1);
    assert.match(npmrc.location.layer?.diffId ?? '', /^sha256:/);
    const root = findings.find((f) => f.id === 'BW-IMG-001')!;
    assert.deepEqual(root.location, { resource: 'config.User' });
  });

  it('never carry the secret itself', () => {
    assert.ok(!JSON.stringify(findings).includes(token));
    assert.ok(!JSON.stringify(findings).includes(token.slice(4, 20)));
  });

  it('are sorted by severity then id, with stable distinct fingerprints', () => {
    assert.deepEqual(findings.map((f) => [f.severity, f.id]), [['HIGH', 'BW-IMG-001'], ['HIGH', 'BW-IMG-007'], ['LOW', 'BW-IMG-005'], ['LOW', 'BW-IMG-005']]);
    const fp = (path: string) => createHash('sha256').update(['misconfiguration', 'BW-IMG-005', 'registry.example/app:1.4.2', path, ''].join('\0')).digest('hex');
    assert.deepEqual(findings.filter((f) => f.id === 'BW-IMG-005').map((f) => f.fingerprint), [fp('/srv/a'), fp('/srv/b')]);
    assert.deepEqual(checkImage(fakeInput(img), OPTIONS), findings);
  });
});

describe('imageWants', () => {
  it('wants the account databases and credential files, by path alone', () => {
    for (const p of ['etc/passwd', 'etc/shadow', 'etc/group', 'root/.npmrc', 'app/.npmrc', 'root/.pypirc', 'app/config/.env', 'app/.env.production', 'home/u/.aws/credentials', 'root/.ssh/id_ed25519', 'etc/ssh/ssh_host_rsa_key', 'etc/ssl/private/server.key', 'app/tls.pem', 'root/.docker/config.json', 'root/.kube/config', 'root/.config/gcloud/credentials.db', 'root/.git-credentials', 'root/.netrc']) {
      assert.ok(imageWants(p), p);
    }
    for (const p of ['usr/bin/bash', 'etc/hosts', 'app/main.js', 'etc/ssh/ssh_host_rsa_key.pub', 'root/.ssh/id_rsa.pub', 'app/.env.example', 'etc/passwd-', 'app/config.json', 'usr/share/doc/x/credentials.txt']) {
      assert.ok(!imageWants(p), p);
    }
  });
});
