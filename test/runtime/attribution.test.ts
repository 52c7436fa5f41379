import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Attributor } from '../../src/runtime/attribution/attributor.js';
import type { RuntimeEvent } from '../../src/runtime/events.js';
import { docker, runContainer, type TestContainer } from '../support/runtime-containers.js';

describe('Attributor on the real engine', () => {
  let c: TestContainer;
  before(async () => {
    c = await runContainer(['sleep', '600'], { network: 'none' });
  });
  after(async () => {
    await c.remove();
  });

  const exec = (cgroup?: string): RuntimeEvent => ({ time: Date.now(), type: 'exec', sensor: 'proc', proc: { pid: 1, name: 'sleep' }, ...(cgroup ? { cgroup } : {}) });

  it('maps a cgroup v1 and a v2 path to the container, from one cached inspect', async () => {
    const a = new Attributor();
    const v1 = await a.attribute(exec(`/docker/${c.id}`));
    const v2 = await a.attribute(exec(`/system.slice/docker-${c.id}.scope`));
    const inspect = JSON.parse(await docker(['inspect', c.id])) as Array<{ Name: string; Image: string; State: { StartedAt: string } }>;
    const [repo, tag] = c.image.split(':');
    assert.deepEqual(v1.container, {
      id: c.id, name: c.name, imageRepository: repo, imageTag: tag, imageId: inspect[0]!.Image, startedAt: inspect[0]!.State.StartedAt,
    });
    assert.deepEqual(v2.container, v1.container);
    assert.equal(a.inspects, 1);
  });

  it('leaves host events without container, and an unknown id as just the id', async () => {
    const a = new Attributor();
    assert.equal((await a.attribute(exec('/user.slice/session-1.scope'))).container, undefined);
    assert.equal((await a.attribute(exec())).container, undefined);
    const unknown = 'f'.repeat(64);
    assert.deepEqual((await a.attribute(exec(`/docker/${unknown}`))).container, { id: unknown });
  });

  it('drops the cache entry on container_stop', async () => {
    const a = new Attributor();
    await a.attribute(exec(`/docker/${c.id}`));
    const stop = await a.attribute({ time: Date.now(), type: 'container_stop', sensor: 'docker', container: { id: c.id } });
    assert.equal(stop.container?.name, c.name);
    assert.equal(a.inspects, 1);
    await a.attribute(exec(`/docker/${c.id}`));
    assert.equal(a.inspects, 2);
  });
});
