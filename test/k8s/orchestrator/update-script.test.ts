import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseK8sEolData } from '../../../src/k8s/orchestrator/eol-data.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SHIPPED = readFileSync(join(REPO, 'data/k8s/kubernetes-eol.json'), 'utf8');

/** endoflife.date's answer, recorded shape: the shipped cycles plus one newer release. */
const API_BODY = JSON.stringify([
  { cycle: '1.38', releaseDate: '2026-12-16', eol: '2028-02-28', latest: '1.38.0', latestReleaseDate: '2026-12-16', support: '2027-12-28', lts: false },
  ...JSON.parse(SHIPPED),
]);

const requests: IncomingMessage[] = [];
let base = '';
const server = createServer((req, res) => {
  requests.push(req);
  if (req.url === '/api/kubernetes.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(API_BODY);
  } else if (req.url === '/api/broken.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('[{"cycle":"1.38","eol":"soon"}]');
  } else res.writeHead(500).end('oops');
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function update(url: string, to: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/update-k8s-eol-data.ts', '--url', url, '--to', to], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('scripts/update-k8s-eol-data.ts', () => {
  it('downloads, validates, reports the new cycle and writes the file atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-k8s-upd-'));
    const to = join(dir, 'kubernetes-eol.json');
    writeFileSync(to, SHIPPED);
    const r = await update(`${base}/api/kubernetes.json`, to);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+ 1\.38: released 2026-12-16, eol 2028-02-28, latest 1\.38\.0$/m);
    assert.equal(requests.at(-1)?.method, 'GET');
    assert.equal(requests.at(-1)?.headers.accept, 'application/json');
    assert.ok(parseK8sEolData(readFileSync(to, 'utf8'), to).cycles.has('1.38'));
    assert.deepEqual(readdirSync(dir), ['kubernetes-eol.json'], 'no temporary file left');
  });

  it('an invalid document or an HTTP error leaves the file as it was, with a one-line error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-k8s-upd-'));
    const to = join(dir, 'kubernetes-eol.json');
    writeFileSync(to, SHIPPED);
    for (const path of ['/api/broken.json', '/api/missing.json']) {
      const r = await update(`${base}${path}`, to);
      assert.equal(r.code, 1);
      assert.match(r.stderr.trim(), /^update-k8s-eol-data: [^\n]+$/);
      assert.equal(readFileSync(to, 'utf8'), SHIPPED);
    }
    assert.ok(existsSync(to));
  });
});
