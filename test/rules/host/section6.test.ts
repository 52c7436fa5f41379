import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { fetchEngineFacts } from '../../../src/host/engine.js';
import type { EngineFacts } from '../../../src/host/types.js';
import { CHECKS } from '../../../src/modules/rules/host/section6/index.js';
import { debianFixtures } from '../../support/images.js';
import { labelFilter, plainHostView, removeSuiteContainers, startContainers } from '../../support/host-containers.js';

const SUITE = 'host-section6';

describe('CIS section 6 on the real engine', { timeout: 300_000 }, () => {
  let facts: EngineFacts;
  let baseId: string;
  before(async () => {
    await removeSuiteContainers(SUITE);
    await startContainers(SUITE, [
      { name: 'bw-h6-a', options: ['--network', 'none'] },
      { name: 'bw-h6-b', options: ['--network', 'none'] },
      { name: 'bw-h6-stopped', options: ['--network', 'none'], createOnly: true },
    ]);
    baseId = (await new Docker().getImage((await debianFixtures()).baseImage).inspect()).Id;
  });
  after(() => removeSuiteContainers(SUITE));

  const run = async (id: string, f: EngineFacts) => CHECKS.find((c) => c.meta.id === id)!.run(plainHostView('/', { engine: f }));

  it('6.1 counts images and those in use; 6.2 counts containers and running ones (INFO)', async () => {
    const got = await fetchEngineFacts({ timeoutMs: 30_000, containerFilter: labelFilter(SUITE), imageFilter: (i) => i.Id === baseId, imageDetails: false });
    assert.ok(got);
    facts = got;
    assert.deepEqual(await run('6.1', facts), { id: '6.1', verdict: 'INFO', details: 'There are currently: 1 images; 1 in use by containers' });
    assert.deepEqual(await run('6.2', facts), { id: '6.2', verdict: 'INFO', details: 'There are currently a total of 3 containers, with 2 of them currently running' });
  });

  it('6.1 says when fewer than half the images are in use; 6.2 says "only" past 25 stopped containers', async () => {
    const all = await fetchEngineFacts({ timeoutMs: 30_000, containerFilter: labelFilter(SUITE), imageDetails: false });
    assert.ok(all);
    const r1 = await run('6.1', all);
    assert.equal(r1.verdict, 'INFO');
    const n = all.images.length;
    assert.equal(r1.details, `There are currently: ${n} images; 1 in use by containers${1 < n / 2 ? ` (only 1 out of ${n} are in use)` : ''}`);
    const stopped = Array.from({ length: 26 }, (_, i) => ({ ...facts.containers.find((c) => c.State !== 'running')!, Id: `x${i}` }));
    const r2 = await run('6.2', { ...facts, containers: [...facts.containers, ...stopped] });
    assert.equal(r2.details, 'There are currently a total of 29 containers, with only 2 of them currently running');
  });
});
