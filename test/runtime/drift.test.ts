/**
 * Drift detection against real containers on the real engine: the image file index is checked against
 * what a container of the image really holds, and the drift checks run on events built from real
 * processes (their host pid, /proc/<pid>/exe, argv, and the container's ID, image ID and start time).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ContainerInfo, RuntimeEvent } from '../../src/runtime/events.js';
import {
  DriftDetector,
  engineImageOpener,
  FileIndex,
  ImageIndexCache,
  type DriftFinding,
  type FileIndexData,
} from '../../src/runtime/drift/index.js';
import { debianFixtures } from '../support/images.js';

const exec = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await exec('docker', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real process of the container, as a sensor sees it from the host: pid, exe link, argv. */
async function findProcess(containerId: string, marker: string): Promise<{ pid: number; exepath: string; args: string[] }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const cgroup = await readFile(`/proc/${name}/cgroup`, 'utf8');
        if (!cgroup.includes(containerId)) continue;
        const args = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').filter((a) => a !== '');
        if (!args.includes(marker)) continue;
        return { pid: Number(name), exepath: await readlink(`/proc/${name}/exe`), args };
      } catch {
        // exited meanwhile
      }
    }
    await sleep(100);
  }
  throw new Error(`no process with argument ${marker} in container ${containerId}`);
}

function execEvent(container: ContainerInfo, p: { pid: number; exepath: string; args: string[] }): RuntimeEvent {
  return {
    time: Date.now(),
    type: 'exec',
    sensor: 'proc',
    proc: { pid: p.pid, name: p.exepath.split('/').pop()!, exepath: p.exepath, args: p.args },
    container,
    cgroup: `/docker/${container.id}`,
  };
}

const kinds = (findings: DriftFinding[]) => findings.map((f) => f.kind);

describe('runtime drift: image file index', () => {
  let baseImage: string;
  let baseId: string;
  let cacheDir: string;
  let index: FileIndex;
  const cache = () => new ImageIndexCache({ open: engineImageOpener(), cacheDir });

  before(async () => {
    baseImage = (await debianFixtures()).baseImage;
    baseId = (await docker('image', 'inspect', '-f', '{{.Id}}', baseImage)).trim();
    cacheDir = await mkdtemp(join(tmpdir(), 'bulwark-drift-index-'));
    index = await cache().get(baseId);
  });
  after(async () => {
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('lists every regular file and symlink a container of the image has, with the same sizes', async () => {
    const listing = await docker('run', '--rm', '--network', 'none', baseImage, 'find', '/', '-xdev', '(', '-type', 'f', '-o', '-type', 'l', ')', '-printf', '%y %s %p\\n');
    // Files the engine adds to every container's init layer, not part of the image.
    const engineAdded = new Set(['/.dockerenv', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab']);
    let files = 0;
    const seen = new Set<string>();
    for (const line of listing.split('\n').filter(Boolean)) {
      const [type, size, path] = [line[0], Number(line.split(' ')[1]), line.split(' ').slice(2).join(' ')];
      if (engineAdded.has(path)) continue;
      seen.add(path);
      const entry = index.get(path);
      assert.ok(entry, `${path} is in the container but not in the index`);
      if (type === 'f') {
        files++;
        const real = entry.type === 'hardlink' ? index.resolve(path).entry! : entry;
        assert.equal(real.type, 'file', path);
        assert.equal(real.size, size, `${path} size`);
      } else {
        assert.equal(entry.type, 'symlink', path);
      }
    }
    assert.ok(files > 3000, `only ${files} files listed`);
    for (const path of index.paths()) {
      const e = index.get(path)!;
      if (e.type === 'file' || e.type === 'symlink') assert.ok(seen.has(path) || engineAdded.has(path) || path.startsWith('/dev/'), `${path} is indexed but not in the container`);
    }
    assert.equal(index.imageId, baseId);
  });

  it('hashes regular executables: /usr/bin/dash matches sha256sum inside the container', async () => {
    const out = await docker('run', '--rm', '--network', 'none', baseImage, 'sha256sum', '/usr/bin/dash', '/etc/os-release');
    const [dash] = out.split('\n').map((l) => l.split(' ')[0]);
    const entry = index.get('/usr/bin/dash')!;
    assert.equal(entry.type, 'file');
    assert.equal(entry.sha256, dash);
    assert.equal(entry.mode & 0o111, 0o111);
    assert.equal(index.get('/etc/os-release')?.sha256, undefined, 'non-executables are not hashed');
    assert.deepEqual(index.resolve('/bin/sh').path, '/usr/bin/dash');
  });

  it('keeps the index on disk by image ID and reads it back without opening the image', async () => {
    const stored = JSON.parse(await readFile(join(cacheDir, `${baseId.slice(7)}.json`), 'utf8')) as FileIndexData;
    assert.equal(stored.imageId, baseId);
    const reread = await new ImageIndexCache({ open: () => Promise.reject(new Error('must not open the image')), cacheDir }).get(baseId);
    assert.equal(reread.size, index.size);
    assert.deepEqual(reread.get('/usr/bin/dash'), index.get('/usr/bin/dash'));
  });

  it('honours whiteouts: a file a later layer deletes is not in the index', async () => {
    const dockerfile = `FROM ${baseImage}\nRUN rm /usr/bin/tac && mkdir /opt/added && echo hi > /opt/added/file\n`;
    const tag = `bulwark-test/drift-whiteout:${createHash('sha256').update(dockerfile).digest('hex').slice(0, 8)}`;
    const exists = await docker('image', 'inspect', tag).then(() => true, () => false);
    if (!exists) {
      const context = await mkdtemp(join(tmpdir(), 'bulwark-drift-ctx-'));
      try {
        await writeFile(join(context, 'Dockerfile'), dockerfile);
        await exec('docker', ['build', '--network', 'none', '-t', tag, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
      } finally {
        await rm(context, { recursive: true, force: true });
      }
    }
    const id = (await docker('image', 'inspect', '-f', '{{.Id}}', tag)).trim();
    assert.equal((await docker('image', 'inspect', '-f', '{{len .RootFS.Layers}}', tag)).trim(), '2');
    const two = await cache().get(id);
    assert.ok(index.get('/usr/bin/tac'), 'the base has tac');
    assert.equal(two.get('/usr/bin/tac'), undefined, 'deleted by layer 2');
    assert.equal(two.resolve('/bin/tac').entry, undefined);
    assert.equal(two.get('/opt/added/file')?.size, 3);
    // What the engine really shows in a container of that image.
    const probe = await exec('docker', ['run', '--rm', '--network', 'none', tag, 'ls', '/usr/bin/tac']).then(() => 'present', () => 'absent');
    assert.equal(probe, 'absent');
  });
});

describe('runtime drift: checks on a running container', () => {
  let baseImage: string;
  let container: ContainerInfo;
  let detector: DriftDetector;
  let indexes: ImageIndexCache;
  const name = `bulwark-drift-${process.pid}`;

  before(async () => {
    baseImage = (await debianFixtures()).baseImage;
    await docker('rm', '-f', name).catch(() => '');
    await docker('run', '-d', '--network', 'none', '--name', name, baseImage, 'sleep', '600');
    const inspect = JSON.parse(await docker('inspect', name))[0] as { Id: string; Image: string; State: { StartedAt: string } };
    container = { id: inspect.Id, name, imageId: inspect.Image, startedAt: inspect.State.StartedAt };
    indexes = new ImageIndexCache({ open: engineImageOpener() });
    detector = new DriftDetector(indexes.get);
  });
  after(async () => {
    await docker('rm', '-f', name).catch(() => '');
  });

  it('a normal exec of /usr/bin/dash (also reached through /bin/sh) is no drift', async () => {
    await docker('exec', '-d', name, '/usr/bin/dash', '-c', 'sleep 60; : dash-marker');
    const p = await findProcess(container.id, 'sleep 60; : dash-marker');
    assert.equal(p.exepath, '/usr/bin/dash');
    assert.deepEqual(await detector.check(execEvent(container, p)), []);
    assert.deepEqual(await detector.check(execEvent(container, { ...p, exepath: '/bin/sh' })), []);
    // The container's own sleep, by its real pid.
    const main = await findProcess(container.id, '600');
    assert.deepEqual(await detector.check(execEvent(container, main)), []);
  });

  it('exec of a binary copied in after start -> binary not in image (live root, then index only)', async () => {
    await docker('cp', '/bin/sleep', `${name}:/tmp/newtool-sleeper`);
    await docker('exec', '-d', name, '/tmp/newtool-sleeper', '61');
    const p = await findProcess(container.id, '61');
    assert.equal(p.exepath, '/tmp/newtool-sleeper');
    const findings = await detector.check(execEvent(container, p));
    assert.deepEqual(kinds(findings), ['binary-not-in-image']);
    assert.equal(findings[0]!.path, '/tmp/newtool-sleeper');
    assert.equal(findings[0]!.imageId, container.imageId);
    assert.equal(findings[0]!.container.id, container.id);
    assert.match(findings[0]!.reason, /absent in image sha256:/);
    // Reached through a symlink the container adds: resolved inside the container's root.
    await docker('exec', name, 'ln', '-s', '/tmp/newtool-sleeper', '/usr/local/bin/nt');
    const viaLink = await detector.check(execEvent(container, { ...p, exepath: '/usr/local/bin/nt' }));
    assert.deepEqual(kinds(viaLink), ['binary-not-in-image']);
    assert.equal(viaLink[0]!.path, '/tmp/newtool-sleeper');
    // Once the process is gone, the index alone still tells.
    process.kill(p.pid);
    const gone = await detector.check(execEvent(container, { ...p, pid: 999_999_999 }));
    assert.deepEqual(kinds(gone), ['binary-not-in-image']);
  });

  it('exec of an image binary overwritten after start -> binary modified after start', async () => {
    await docker('cp', '/bin/sleep', `${name}:/usr/bin/tail`);
    await docker('exec', '-d', name, '/usr/bin/tail', '62');
    const p = await findProcess(container.id, '62');
    assert.equal(p.exepath, '/usr/bin/tail');
    const findings = await detector.check(execEvent(container, p));
    assert.deepEqual(kinds(findings), ['binary-modified']);
    assert.equal(findings[0]!.path, '/usr/bin/tail');
    // docker cp keeps the host file's mtime, but the change time is the copy's.
    assert.match(findings[0]!.reason, /changed .* after the container started|modified .* after the container started/);
  });

  it('an image binary rewritten with the same bytes after start -> modified after start, by its times alone', async () => {
    await docker('exec', name, 'sh', '-c', 'cp /usr/bin/timeout /tmp/t && cat /tmp/t > /usr/bin/timeout');
    await docker('exec', '-d', name, '/usr/bin/timeout', '63', '/usr/bin/sleep', '100');
    const p = await findProcess(container.id, '63');
    assert.equal(p.exepath, '/usr/bin/timeout');
    const findings = await detector.check(execEvent(container, p));
    assert.deepEqual(kinds(findings), ['binary-modified']);
    assert.match(findings[0]!.reason, /: modified \S+, after the container started \S+$/);
    // A container started after the change: the same file is no drift by time.
    const later = { ...container, startedAt: new Date(Date.now() + 60_000).toISOString() };
    assert.deepEqual(await detector.check(execEvent(later, p)), []);
  });

  it('same size, same times, other content -> caught by the sha256 of the image', async () => {
    const real = await indexes.get(container.imageId!);
    const forged = JSON.parse(JSON.stringify(real.toJSON())) as FileIndexData;
    const row = forged.files.find(([path]) => path === '/usr/bin/sleep')!;
    row[1].sha256 = '0'.repeat(64);
    const strict = new DriftDetector(async () => FileIndex.fromJSON(forged));
    const main = await findProcess(container.id, '600');
    assert.equal(main.exepath, '/usr/bin/sleep');
    const findings = await strict.check(execEvent(container, main));
    assert.deepEqual(kinds(findings), ['binary-modified']);
    assert.match(findings[0]!.reason, /^\/usr\/bin\/sleep differs from image .*: sha256 [0-9a-f]{12} in the container, 000000000000 in the image$/);
  });

  it('a package manager run -> package manager in running container', async () => {
    const main = await findProcess(container.id, '600');
    const aptGet = { pid: main.pid, exepath: '/usr/bin/apt-get', args: ['apt-get', 'install', '-y', 'curl'] };
    const findings = await detector.check(execEvent(container, aptGet));
    assert.deepEqual(kinds(findings), ['package-manager']);
    assert.equal(findings[0]!.path, '/usr/bin/apt-get');
    const pipModule = await detector.check(execEvent(container, { pid: 999_999_999, exepath: '/usr/bin/python3', args: ['python3', '-m', 'pip', 'install', 'x'] }));
    assert.deepEqual(kinds(pipModule), ['binary-not-in-image', 'package-manager'], 'the minbase image has no python3 either');
  });

  it('writes, renames, unlinks and chmods below binary and library dirs -> write below binary dir', async () => {
    const main = await findProcess(container.id, '600');
    const fileEvent = (type: RuntimeEvent['type'], path: string, target?: string): RuntimeEvent => ({
      time: Date.now(),
      type,
      sensor: 'ebpf',
      proc: { pid: main.pid, name: 'sh', exepath: '/usr/bin/dash' },
      file: { path, ...(target ? { target } : {}) },
      container,
    });
    const hit = async (e: RuntimeEvent) => kinds(await detector.check(e));
    assert.deepEqual(await hit(fileEvent('open_write', '/usr/bin/x')), ['write-below-binary-dir']);
    assert.deepEqual(await hit(fileEvent('unlink', '/lib/x86_64-linux-gnu/libc.so.6')), ['write-below-binary-dir']);
    assert.deepEqual(await hit(fileEvent('chmod', '/usr/local/sbin/tool')), ['write-below-binary-dir']);
    assert.deepEqual(await hit(fileEvent('rename', '/tmp/a', '/usr/local/bin/a')), ['write-below-binary-dir']);
    assert.deepEqual(await hit(fileEvent('open_write', '/tmp/../usr/sbin/y')), ['write-below-binary-dir']);
    assert.deepEqual(await hit(fileEvent('open_write', '/tmp/x')), []);
    assert.deepEqual(await hit(fileEvent('open_write', '/usr/binaries/x')), []);
    assert.deepEqual(await hit(fileEvent('open_read', '/usr/bin/x')), []);
    const [finding] = await detector.check(fileEvent('open_write', '/usr/bin/x'));
    assert.equal(finding!.path, '/usr/bin/x');
    assert.match(finding!.reason, /open_write of \/usr\/bin\/x below \/usr\/bin by sh/);
  });

  it('host events (no container) are never drift', async () => {
    const self = { pid: process.pid, exepath: await readlink('/proc/self/exe'), args: ['node'] };
    const event = execEvent(container, self);
    delete event.container;
    assert.deepEqual(await detector.check(event), []);
  });
});
