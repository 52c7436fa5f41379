/** The section 1 and footprint checks against the live host root "/" and the real engine. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchEngineFacts } from '../../../src/host/engine.js';
import { buildHostView } from '../../../src/host/view.js';
import type { HostView } from '../../../src/host/types.js';
import { CHECKS as FOOTPRINT } from '../../../src/modules/rules/host/footprint/index.js';
import { CHECKS as SECTION1 } from '../../../src/modules/rules/host/section1/index.js';

const check = (id: string) => [...SECTION1, ...FOOTPRINT].find((c) => c.meta.id === id)!;

describe('host checks on the live root', () => {
  let server: Server;
  let port: number;
  let view: HostView;

  before(async () => {
    execFileSync('bash', ['scripts/start-dockerd.sh'], { stdio: 'ignore' });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const engine = await fetchEngineFacts({ timeoutMs: 30_000, imageDetails: false, containerFilter: () => false });
    assert.ok(engine, 'the engine answers');
    view = await buildHostView({ root: '/', engine });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('F.1 lists this test\'s own listener with its process, and dockerd\'s socket', async () => {
    const r = await check('F.1').run(view);
    assert.equal(r.verdict, 'INFO');
    const mine = r.items!.find((i) => i.startsWith(`tcp 127.0.0.1:${port} `));
    assert.ok(mine, `listener 127.0.0.1:${port} in ${JSON.stringify(r.items)}`);
    assert.match(mine, new RegExp(`^tcp 127\\.0\\.0\\.1:${port} \\S+ \\(pid ${process.pid}\\)$`));
    assert.ok(r.items!.some((i) => /^unix \S*docker\.sock dockerd \(pid \d+\)$/.test(i)), JSON.stringify(r.items));
    // Loopback listeners are not "all interfaces".
    const wide = await check('F.2').run(view);
    assert.ok(!(wide.items ?? []).some((i) => i.includes(`:${port} `)));
  });

  it('1.1.2 reads the real docker group and socket; 1.2.2 dates the running engine', async () => {
    const group = await check('1.1.2').run(view);
    assert.ok(group.verdict === 'INFO' || group.verdict === 'WARN');
    assert.match(group.details!, /docker group \(gid \d+\)|no docker group/);
    assert.match(group.details!, /\/var\/run\/docker\.sock \S+:\S+ \d{4}/);
    const version = await check('1.2.2').run(view);
    assert.ok(['PASS', 'INFO', 'WARN'].includes(version.verdict));
    assert.match(version.details!, /^Docker Engine \S+: /);
  });

  it('the OS and its packages are read with the detectors; every check runs', async () => {
    const os = await check('F.8').run(view);
    assert.equal(os.verdict, 'INFO');
    assert.match(os.details!, /: a general-purpose distribution \(\d+ packages\)$/);
    for (const c of [...SECTION1, ...FOOTPRINT]) {
      const r = await c.run(view);
      assert.equal(r.id, c.meta.id);
      assert.ok(['PASS', 'WARN', 'INFO', 'NOTE'].includes(r.verdict), `${r.id} ${r.verdict}`);
    }
  });
});
