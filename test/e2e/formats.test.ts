import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { runCli } from '../support/cli.js';
import { debianFixtures, type DebianFixtures } from '../support/images.js';
import { reportValidator, spdxValidator } from '../report/helpers.js';

describe('report formats from a real image', () => {
  let fx: DebianFixtures;
  let work: string;
  before(async () => {
    fx = await debianFixtures();
    work = await mkdtemp(join(tmpdir(), 'bulwark-formats-'));
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function render(format: string): Promise<string> {
    const out = join(work, `report.${format}`);
    const result = await runCli(['image', '--input', fx.dockerArchive, '--scanners', 'none', '--format', format, '--output', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '', 'with --output nothing goes to stdout');
    return readFile(out, 'utf8');
  }

  it('JSON validates against the documented report schema', async () => {
    const doc = JSON.parse(await render('json')) as { packages: unknown[]; schemaVersion: number };
    assert.deepEqual(reportValidator()(doc), []);
    assert.equal(doc.schemaVersion, 1);
    assert.ok(doc.packages.length > 50);
  });

  it('CycloneDX validates against the official 1.6 schema and lists every package by purl', async () => {
    const text = await render('cyclonedx');
    assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text), null);
    const bom = JSON.parse(text) as { specVersion: string; components: Array<{ purl?: string }> };
    assert.equal(bom.specVersion, '1.6');
    assert.ok(bom.components.some((c) => c.purl?.startsWith('pkg:deb/debian/libcurl4@') && c.purl.includes('distro=debian-12')));
  });

  it('SPDX validates against the official 2.3 schema', async () => {
    const doc = JSON.parse(await render('spdx-json')) as { spdxVersion: string; packages: unknown[] };
    assert.deepEqual(spdxValidator()(doc), []);
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.ok(doc.packages.length > 50);
  });

  it('the table names the OS, the package counts and each layer command', async () => {
    const text = await render('table');
    assert.match(text, /Debian GNU\/Linux 12 \(bookworm\)/);
    assert.match(text, /deb \d{2,}/);
    assert.match(text, /apt-get install/);
    assert.deepEqual((await readdir(work)).filter((f) => f.includes('.tmp')), [], 'no temp files left beside the output');
  });
});
