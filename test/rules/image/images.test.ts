/**
 * The image rules on real images built by the test setup (test/fixtures/misconfig-*): the bad one
 * breaks every rule a real build can break, the hardened one breaks none.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Finding } from '../../../src/core/finding.js';
import { loadEolData } from '../../../src/modules/eol/index.js';
import { checkImage, imageRules, removableTools, type ImageRuleInput } from '../../../src/modules/rules/image/index.js';
import { MISCONFIG_BAD_SECRETS, imageRuleInputOf, misconfigImages } from '../../support/misconfig-images.js';

/**
 * Rules the bad image cannot break for real, covered by the unit cases in rules.test.ts instead:
 * BW-IMG-014 (near end of life) needs a release whose end falls within 90 days of today, which the data,
 * not the build, decides; the bad image is past end of life (BW-IMG-013), which excludes "near".
 */
const NOT_BUILDABLE = ['BW-IMG-014'];

const options = (maxAgeDays: number) => ({ now: new Date(), maxAgeDays, eol: loadEolData(), eolNearDays: 90 });

describe('image rules on real images', () => {
  let bad: ImageRuleInput;
  let hardened: ImageRuleInput;
  let findings: Finding[];
  before(async () => {
    const images = await misconfigImages();
    bad = await imageRuleInputOf(images.bad.dockerArchive);
    hardened = await imageRuleInputOf(images.hardened.dockerArchive);
    // The bad image was built minutes or days ago: an age limit of 0 days is what makes it "too old".
    findings = checkImage(bad, options(0));
  });

  it('misconfig-bad breaks every image rule that a real build can break', () => {
    const fired = new Set(findings.map((f) => f.id));
    for (const { id } of imageRules()) {
      if (NOT_BUILDABLE.includes(id)) assert.ok(!fired.has(id), `${id} is listed as not buildable but fired`);
      else assert.ok(fired.has(id), `${id} did not fire on misconfig-bad`);
    }
  });

  it('misconfig-bad: each finding points at what the Dockerfile did', () => {
    const at = (id: string) => findings.filter((f) => f.id === id).map((f) => `${f.location.path ?? f.location.resource} ${f.description}`);
    assert.deepEqual(at('BW-IMG-001'), ['config.User USER toor names an account whose UID is 0 in /etc/passwd: it is root']);
    assert.match(at('BW-IMG-002').join('\n'), /^\/usr\/sbin\/sshd .*package openssh-server .*\/usr\/sbin\/sshd; [\d.]+ MB\)$/);
    assert.match(at('BW-IMG-003').join('\n'), /^\/usr\/bin\/sudo .*package sudo/);
    const tools = findings.filter((f) => f.id === 'BW-IMG-004').map((f) => f.location.path);
    for (const p of ['/usr/bin/bash', '/usr/bin/dash', '/usr/bin/apt', '/usr/bin/dpkg', '/usr/bin/tcc', '/usr/bin/strace', '/usr/bin/curl', '/usr/bin/wget', '/usr/bin/nc']) assert.ok(tools.includes(p), `${p} in ${tools.join(' ')}`);
    assert.ok(at('BW-IMG-005').some((s) => s.startsWith('/app/bin/helper /app/bin/helper is setuid (runs as UID 0), mode 4755')));
    assert.deepEqual(at('BW-IMG-006'), ['/app/uploads /app/uploads is a world-writable directory (mode 0777), with 1 more world-writable entry inside']);
    const creds = findings.filter((f) => f.id === 'BW-IMG-007').map((f) => f.location.path).sort();
    for (const p of ['/app/config/.env', '/root/.aws/credentials', '/root/.npmrc', '/root/.pypirc', '/root/.ssh/id_ed25519', '/etc/ssh/ssh_host_ed25519_key']) assert.ok(creds.includes(p), `${p} in ${creds.join(' ')}`);
    assert.ok(!creds.includes('/app/.npmrc'), 'an .npmrc without a token is fine');
    assert.ok(!creds.includes('/app/README.md'));
    assert.deepEqual(findings.filter((f) => f.id === 'BW-IMG-008').map((f) => f.location.path).sort(), ['/app/.git', '/root/.bash_history']);
    assert.deepEqual(findings.filter((f) => f.id === 'BW-IMG-009').map((f) => f.location.path).sort(), ['/root/.cache/pip', '/var/lib/apt/lists'], 'apt-get clean removed the .debs (the unit cases cover them)');
    assert.match(at('BW-IMG-011').join('\n'), /^history\[\d+\] ADD copied local content into \/opt\/payload\/;/);
    assert.deepEqual(at('BW-IMG-012'), ['config.Labels["org.opencontainers.image.base.name"] The parent image is docker.io/library/debian:latest']);
    assert.match(at('BW-IMG-013').join('\n'), /^\/etc\/os-release Debian 10 \(Buster\) reached end of life on 2024-06-30/);
    assert.equal(at('BW-IMG-016').length, 1);
    assert.match(at('BW-IMG-016')[0]!, /^\/etc\/shadow Account nopass has an empty password in \/etc\/shadow \(line \d+\)$/);
    assert.match(at('BW-IMG-017').join('\n'), /UID 0 is shared by users root, toor/);
    assert.deepEqual(at('BW-IMG-018'), ['config.Volumes VOLUME /proc is on /proc']);
  });

  it('misconfig-bad: findings carry the layer that wrote the file, and no secret value', () => {
    const npmrc = findings.find((f) => f.location.path === '/root/.npmrc')!;
    assert.match(npmrc.location.layer?.createdBy ?? '', /COPY file:[0-9a-f]+ in \/root\/\.npmrc/);
    const json = JSON.stringify(findings);
    for (const secret of [MISCONFIG_BAD_SECRETS.awsSecretAccessKey, MISCONFIG_BAD_SECRETS.awsAccessKeyId, MISCONFIG_BAD_SECRETS.npmToken, MISCONFIG_BAD_SECRETS.pypiToken, MISCONFIG_BAD_SECRETS.githubToken]) {
      assert.ok(!json.includes(secret), 'a secret value leaked into a finding');
    }
  });

  it('misconfig-bad: removable tools are sized from the files their packages own, largest first', () => {
    const tools = removableTools(bad);
    const bytes = tools.map((t) => t.bytes);
    assert.deepEqual(bytes, [...bytes].sort((a, b) => b - a));
    const tcc = tools.find((t) => t.package === 'tcc')!;
    const pkg = bad.packages.find((p) => p.name === 'tcc')!;
    const expected = (pkg.files ?? []).map((f) => bad.fs.stat(f)).filter((s) => s?.type === 'file').reduce((n, s) => n + s!.size, 0);
    assert.equal(tcc.bytes, expected);
    assert.ok(tcc.bytes > 100_000, `tcc is ${tcc.bytes} bytes`);
  });

  it('misconfig-hardened has zero misconfiguration findings', () => {
    assert.equal(hardened.os?.family, 'debian');
    assert.equal(hardened.os?.version, '12');
    assert.deepEqual(checkImage(hardened, options(365)), []);
    assert.deepEqual(removableTools(hardened), []);
  });
});
