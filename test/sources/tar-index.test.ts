import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { TarIndex } from '../../src/sources/archive/tar-index.js';

const exec = promisify(execFile);

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('tar member index, checked against GNU tar', () => {
  let dir: string;
  const longName = `${'deep/'.repeat(30)}file-with-a-name-longer-than-one-hundred-characters.txt`;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-tarindex-'));
    const root = join(dir, 'root');
    await mkdir(join(root, ...longName.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(root, longName), 'long\n');
    await writeFile(join(root, 'empty'), '');
    await writeFile(join(root, 'big'), Buffer.alloc(3 * 1024 * 1024 + 7, 7));
    await exec('ln', ['-s', 'big', join(root, 'link-to-big')]);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const format of ['gnu', 'posix', 'ustar']) {
    it(`lists the same members and sizes as tar -tv for --format=${format}`, async (t) => {
      const archive = join(dir, `${format}.tar`);
      try {
        await exec('tar', ['-C', join(dir, 'root'), `--format=${format}`, '-cf', archive, '.']);
      } catch (e) {
        if (format === 'ustar') return t.skip('ustar cannot hold the long name');
        throw e;
      }
      const index = await TarIndex.open(archive);
      const { stdout } = await exec('tar', ['-tf', archive]);
      const expected = stdout.split('\n').filter(Boolean).map((n) => n.replace(/^\.\//, '').replace(/\/$/, '')).filter(Boolean).sort();
      assert.deepEqual(index.names().filter(Boolean).sort(), expected);
      assert.equal(await text(index.stream(longName)), 'long\n');
      assert.equal(index.size('big'), 3 * 1024 * 1024 + 7);
      assert.equal((await index.read('big', 16 * 1024 * 1024)).every((b) => b === 7), true);
      assert.equal(await text(index.stream('empty')), '');
      assert.equal(index.size('link-to-big'), 3 * 1024 * 1024 + 7, 'symlinked members resolve inside the archive');
    });
  }

  it('a truncated archive and a non-tar file are one-line format errors', async () => {
    const archive = join(dir, 'cut.tar');
    await exec('tar', ['-C', join(dir, 'root'), '-cf', archive, '.']);
    await truncate(archive, Math.floor((await stat(archive)).size / 2));
    await assert.rejects(TarIndex.open(archive), /truncated tar/);
    const junk = join(dir, 'junk.bin');
    await writeFile(junk, Buffer.alloc(2048, 0x41));
    await assert.rejects(TarIndex.open(junk), /not a tar archive/);
  });
});
