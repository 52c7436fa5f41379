import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { fetchEngineFacts, mapLimit } from '../../src/host/engine.js';
import { debianFixtures } from '../support/images.js';
import { labelFilter, removeSuiteContainers, startContainers } from '../support/host-containers.js';

const SUITE = 'host-engine';

describe('fetchEngineFacts', { timeout: 300_000 }, () => {
  let scratch: string;
  let baseImageId: string;
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bw-engine-'));
    await removeSuiteContainers(SUITE);
    await startContainers(SUITE, [
      { name: 'bw-he-run1', options: ['--network', 'none'] },
      { name: 'bw-he-run2', options: ['--network', 'none'] },
      { name: 'bw-he-stopped', options: ['--network', 'none'], createOnly: true },
    ]);
    const { baseImage } = await debianFixtures();
    const { default: Docker } = await import('dockerode');
    baseImageId = (await new Docker().getImage(baseImage).inspect()).Id;
  });
  after(async () => {
    await removeSuiteContainers(SUITE);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers undefined when no daemon listens (missing socket, refused TCP port)', async () => {
    assert.equal(await fetchEngineFacts({ dockerHost: `unix://${join(scratch, 'none.sock')}`, timeoutMs: 5_000 }), undefined);
    assert.equal(await fetchEngineFacts({ dockerHost: 'tcp://127.0.0.1:1', timeoutMs: 5_000 }), undefined);
  });

  it('rejects an address it cannot use with a usage error', async () => {
    await assert.rejects(fetchEngineFacts({ dockerHost: 'ftp://example', timeoutMs: 1_000 }), (e: unknown) => e instanceof BulwarkError && e.code === 'E_USAGE');
  });

  it('turns an engine that answers with errors into one line', async () => {
    const sock = join(scratch, 'broken.sock');
    const server = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'storage driver exploded\nsecond line' }));
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      await assert.rejects(fetchEngineFacts({ dockerHost: `unix://${sock}`, timeoutMs: 5_000 }), (e: unknown) => {
        assert.ok(e instanceof BulwarkError);
        assert.equal(e.code, 'E_ENGINE');
        assert.match(e.message, /^Docker engine at .*broken\.sock: ping failed \(HTTP 500\)/);
        assert.ok(!e.message.includes('\n'));
        return true;
      });
    } finally {
      server.close();
    }
  });

  it('lists every container, inspects only the running ones once each, and counts every call', async () => {
    const facts = await fetchEngineFacts({ timeoutMs: 30_000, containerFilter: labelFilter(SUITE), imageFilter: (i) => i.Id === baseImageId });
    assert.ok(facts);
    assert.deepEqual(facts.containers.map((c) => c.Names[0]).sort(), ['/bw-he-run1', '/bw-he-run2', '/bw-he-stopped']);
    assert.deepEqual(facts.inspects.map((i) => i.Name).sort(), ['/bw-he-run1', '/bw-he-run2']);
    assert.deepEqual(facts.images.map((i) => i.Id), [baseImageId]);
    assert.deepEqual(facts.imageInspects?.map((i) => i.Id), [baseImageId]);
    assert.ok(facts.imageHistories?.[baseImageId]?.length);
    // ping, info, version, image list, container list + 2 container inspects + 1 image inspect + 1 history
    assert.equal(facts.calls, 5 + 2 + 2);
    assert.equal(typeof facts.version['ApiVersion'], 'string');
    assert.equal(typeof facts.info['Containers'], 'number');
    assert.equal(facts.address, '/var/run/docker.sock');
  });

  it('skips the image calls when asked', async () => {
    const facts = await fetchEngineFacts({ timeoutMs: 30_000, containerFilter: labelFilter(SUITE), imageDetails: false });
    assert.ok(facts);
    assert.equal(facts.imageInspects, undefined);
    assert.equal(facts.calls, 5 + 2);
  });

  it('mapLimit keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 2;
    });
    assert.deepEqual(out, [10, 2, 8, 4, 6, 0, 12]);
    assert.equal(peak, 3);
  });
});
