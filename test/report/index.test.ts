import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBulwarkError } from '../../src/core/errors.js';
import { imageIdentity } from '../../src/report/image-ref.js';
import { isReportFormat, loadReporter, renderReport, reportFormats, type ReportFormat } from '../../src/report/index.js';
import { alpineResult, debianResult, debianVulnResult, rockyResult } from './fixtures.js';

describe('report registry', () => {
  it('registers each reporter under its own id', async () => {
    assert.deepEqual(reportFormats, ['table', 'json', 'sarif', 'cyclonedx', 'spdx-json']);
    for (const id of reportFormats) assert.equal((await loadReporter(id)).id, id);
    assert.ok(isReportFormat('spdx-json'));
    assert.ok(isReportFormat('sarif'));
    assert.ok(!isReportFormat('sarif-2.1.0'));
  });

  it('renders every format and rejects unknown ones with a usage error', async () => {
    for (const format of reportFormats) {
      assert.ok((await renderReport(format, debianResult())).endsWith('\n'));
      assert.ok((await renderReport(format, debianVulnResult())).endsWith('\n'));
    }
    await assert.rejects(renderReport('xml' as ReportFormat, debianResult()), (e) => isBulwarkError(e) && e.code === 'E_USAGE');
  });
});

describe('image identity', () => {
  it('names images the way docker reads their references', () => {
    const named = (name: string) => imageIdentity({ ...debianResult().artifact, name });
    assert.equal(named('debian:12').name, 'docker.io/library/debian');
    assert.equal(named('debian:12').tag, '12');
    assert.equal(named('127.0.0.1:5000/app/web:1.0').purl?.includes('repository_url=127.0.0.1%3A5000%2Fapp%2Fweb'), true);
    assert.equal(named('bitnami/redis').name, 'docker.io/bitnami/redis');
    assert.equal(named('localhost/app').tag, 'latest');
  });

  it('prefers the manifest digest and falls back to the image ID or file name', () => {
    const deb = imageIdentity(debianResult().artifact);
    assert.equal(deb.digest, debianResult().artifact.manifestDigest);
    const rocky = imageIdentity(rockyResult().artifact);
    assert.equal(rocky.digest, rockyResult().artifact.configDigest);
    assert.equal(rocky.tag, '9.3');
    const alpine = imageIdentity(alpineResult().artifact);
    assert.equal(alpine.name, 'alpine-layout');
    assert.match(alpine.purl ?? '', /^pkg:oci\/alpine-layout@sha256:[0-9a-f]{64}\?arch=amd64$/);
  });
});
