/**
 * CIS section 4 against the real engine: two images built here (one with ADD, an update alone and no
 * HEALTHCHECK; one without), running containers for 4.1, and the image checks over inspect + history.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { fetchEngineFacts } from '../../../src/host/engine.js';
import type { CheckResult, EngineFacts, HostView } from '../../../src/host/types.js';
import { CHECKS } from '../../../src/modules/rules/host/section4/index.js';
import { runCommand, updateAlone } from '../../../src/modules/rules/host/section4/images.js';
import { debianFixtures } from '../../support/images.js';
import { labelFilter, plainHostView, removeSuiteContainers, startContainers } from '../../support/host-containers.js';

const run = promisify(execFile);
const SUITE = 'host-section4';
const TAG = `${process.pid}`;
const BAD = `bulwark-test/host4-bad:${TAG}`;
const GOOD = `bulwark-test/host4-good:${TAG}`;

async function build(tag: string, dockerfile: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'hello.txt'), 'hello\n');
  await run('docker', ['build', '--network', 'none', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, timeout: 300_000 });
}

const check = (id: string) => CHECKS.find((c) => c.meta.id === id)!;

describe('CIS section 4 on real images and containers', { timeout: 600_000 }, () => {
  let scratch: string;
  let facts: EngineFacts;
  let view: HostView;
  const results = new Map<string, CheckResult>();

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bw-h4-'));
    await removeSuiteContainers(SUITE);
    const { baseImage } = await debianFixtures();
    await build(
      BAD,
      `FROM ${baseImage}\nLABEL bulwark-test=${SUITE}\nADD hello.txt /opt/hello.txt\nRUN true || apt-get update\nCMD ["sleep", "infinity"]\n`,
      join(scratch, 'bad'),
    );
    await build(
      GOOD,
      `FROM ${baseImage}\nLABEL bulwark-test=${SUITE}\nCOPY hello.txt /opt/hello.txt\nRUN true || (apt-get update && apt-get install -y curl)\nHEALTHCHECK CMD true\nUSER 1000\nCMD ["sleep", "infinity"]\n`,
      join(scratch, 'good'),
    );
    await startContainers(SUITE, [
      { name: 'bw-h4-root', options: ['--network', 'none'] },
      { name: 'bw-h4-uid0', options: ['--network', 'none', '--user', '0:0'] },
      { name: 'bw-h4-user', options: ['--network', 'none', '--user', '1000'] },
      // the good image: USER 1000 from the image
      { name: 'bw-h4-good', options: ['--network', 'none'], image: GOOD },
    ]);
    const got = await fetchEngineFacts({
      timeoutMs: 30_000,
      containerFilter: labelFilter(SUITE),
      imageFilter: (i) => i.Labels?.['bulwark-test'] === SUITE && (i.RepoTags ?? []).some((t) => t.endsWith(`:${TAG}`)),
    });
    assert.ok(got);
    facts = got;
    view = plainHostView(scratch, { engine: facts });
    for (const c of CHECKS) results.set(c.meta.id, await c.run(view));
  });

  after(async () => {
    await removeSuiteContainers(SUITE);
    await run('docker', ['rmi', '-f', BAD, GOOD]).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fetched both images with one inspect and one history each', () => {
    assert.deepEqual(facts.images.map((i) => i.RepoTags?.[0]).sort(), [BAD, GOOD]);
    assert.equal(facts.calls, 5 + 4 + 2 * 2);
  });

  it('has the 12 checks of section 4 in id order', () => {
    assert.deepEqual(CHECKS.map((c) => c.meta.id), Array.from({ length: 12 }, (_, i) => `4.${i + 1}`));
  });

  it('4.1 root containers: no USER and USER 0, not --user 1000 nor the image USER 1000', () => {
    const r = results.get('4.1')!;
    assert.equal(r.verdict, 'WARN');
    assert.deepEqual(r.items, ['bw-h4-root: running as root (no user set)', 'bw-h4-uid0: running as root (User=0:0)']);
  });

  it('4.6 HEALTHCHECK: the bad image only', () => {
    const r = results.get('4.6')!;
    assert.equal(r.verdict, 'WARN');
    assert.deepEqual(r.items, [`${BAD}: no Healthcheck found`]);
  });

  it('4.7 update alone: INFO for the bad image; update with install in one RUN passes', () => {
    const r = results.get('4.7')!;
    assert.equal(r.verdict, 'INFO');
    assert.deepEqual(r.items, [`${BAD}: update instruction alone: RUN true || apt-get update`]);
  });

  it('4.9 ADD in history: INFO for the bad image; the base image\'s rootfs is not counted', () => {
    const r = results.get('4.9')!;
    assert.equal(r.verdict, 'INFO');
    assert.deepEqual(r.items, [`${BAD}: ADD copied local content into /opt/hello.txt; COPY would do the same without implicit archive extraction`]);
  });

  it('manual checks are NOTE with guidance', () => {
    for (const id of ['4.2', '4.3', '4.4', '4.8', '4.10', '4.11', '4.12']) {
      const r = results.get(id)!;
      assert.equal(r.verdict, 'NOTE', id);
      assert.ok(r.details && r.details.length > 20, id);
    }
  });

  it('4.5 content trust: WARN without it, PASS with DOCKER_CONTENT_TRUST=1 in <root>/etc/environment', async () => {
    assert.equal(results.get('4.5')!.verdict, 'WARN');
    mkdirSync(join(scratch, 'etc'), { recursive: true });
    writeFileSync(join(scratch, 'etc', 'environment'), 'PATH="/usr/bin"\nDOCKER_CONTENT_TRUST=1\n');
    const r = await check('4.5').run(view);
    assert.equal(r.verdict, 'PASS');
  });

  it('image checks without image details fetched: INFO', async () => {
    const { imageInspects: _a, imageHistories: _b, ...rest } = facts;
    const v = plainHostView(scratch, { engine: rest });
    for (const id of ['4.6', '4.7', '4.9']) assert.equal((await check(id).run(v)).verdict, 'INFO', id);
  });
});

describe('4.7 update-alone detection', () => {
  const cases: [string, boolean][] = [
    ['/bin/sh -c apt-get update', true],
    ['/bin/sh -c apt-get update && apt-get install -y curl', false],
    ['RUN /bin/sh -c apk update # buildkit', true],
    ['RUN /bin/sh -c apk update && apk add curl # buildkit', false],
    ['/bin/sh -c yum -y makecache', true],
    ['/bin/sh -c dnf -y update', true],
    ['/bin/sh -c echo update', false],
    ['/bin/sh -c #(nop)  CMD ["apt-get" "update"]', false],
  ];
  for (const [createdBy, expected] of cases) {
    it(`${createdBy} -> ${expected}`, () => {
      const cmd = runCommand(createdBy);
      assert.equal(cmd !== undefined && updateAlone(cmd), expected);
    });
  }
});
