import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RuntimeEvent } from '../../src/runtime/events.js';
import { DockerSensor, engineEventToRuntime, splitImage } from '../../src/runtime/sensors/docker.js';
import { docker, EventLog, runContainer, type TestContainer } from '../support/runtime-containers.js';

describe('engine event mapping', () => {
  it('maps start/die/exec_start and ignores the rest', () => {
    const id = 'b'.repeat(64);
    const base = { Type: 'container', Actor: { ID: id, Attributes: { name: 'web', image: 'reg:5000/shop/web:1.2' } }, time: 1700000000, timeNano: 1700000000123456789 };
    assert.deepEqual(engineEventToRuntime({ ...base, Action: 'start' }), {
      time: 1700000000123, type: 'container_start', sensor: 'docker',
      container: { id, name: 'web', imageRepository: 'reg:5000/shop/web', imageTag: '1.2' },
    });
    assert.equal(engineEventToRuntime({ ...base, Action: 'exec_start: sh -c id' })?.arg, 'sh -c id');
    assert.equal(engineEventToRuntime({ ...base, Action: 'kill' }), undefined);
    assert.equal(engineEventToRuntime({ ...base, Type: 'image', Action: 'start' }), undefined);
    assert.deepEqual(splitImage('reg:5000/a@sha256:00'), { imageRepository: 'reg:5000/a' });
  });
});

describe('DockerSensor on the real engine', () => {
  let sensor: DockerSensor;
  const log = new EventLog<RuntimeEvent>();
  let c: TestContainer | undefined;
  before(async () => {
    sensor = new DockerSensor();
    await sensor.start(log.push);
  });
  after(async () => {
    await sensor.stop();
    await c?.remove();
  });

  it('sees start, exec and die of a container', async () => {
    c = await runContainer(['sleep', '600'], { network: 'none' });
    const start = await log.waitFor('container_start', (e) => e.type === 'container_start' && e.container?.id === c!.id);
    assert.equal(start.sensor, 'docker');
    assert.equal(start.container?.name, c.name);
    assert.equal(`${start.container?.imageRepository}:${start.container?.imageTag}`, c.image);
    await c.exec(['true']);
    const exec = await log.waitFor('container_exec', (e) => e.type === 'container_exec' && e.container?.id === c!.id);
    assert.equal(exec.arg, 'true');
    await docker(['kill', c.name]);
    const die = await log.waitFor('container_stop', (e) => e.type === 'container_stop' && e.container?.id === c!.id);
    assert.equal(die.arg, 137);
    assert.ok(Math.abs(die.time - Date.now()) < 60_000);
    assert.deepEqual(sensor.stats(), { events: 3, dropped: 0, lost: 0, restarts: 0, errors: [] });
  });
});
