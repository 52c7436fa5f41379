import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { extract, pack } from 'tar-stream';
import { fanOut } from '../../src/image/fan-out.js';

const chunks = (n: number, size: number) => Array.from({ length: n }, (_, i) => Buffer.alloc(size, i % 256));

async function readAll(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const c of stream) bytes += (c as Buffer).length;
  return bytes;
}

describe('fanOut', () => {
  it('gives every consumer every byte, at its own pace', async () => {
    const slow = async (s: Readable) => {
      let bytes = 0;
      for await (const c of s) {
        bytes += (c as Buffer).length;
        await new Promise((r) => setImmediate(r));
      }
      return bytes;
    };
    const results = await fanOut(Readable.from(chunks(64, 64 * 1024)), [readAll, slow, readAll]);
    assert.deepEqual(results.map((r) => (r as PromiseFulfilledResult<number>).value), [4194304, 4194304, 4194304]);
  });

  it('a consumer that stops early or throws does not stall the others', async () => {
    const stopEarly = async (s: Readable) => {
      for await (const _ of s) return 'stopped';
      return 'empty';
    };
    const fails = async () => {
      throw new Error('boom');
    };
    const results = await fanOut(Readable.from(chunks(64, 64 * 1024)), [stopEarly, fails, readAll]);
    assert.equal((results[0] as PromiseFulfilledResult<string>).value, 'stopped');
    assert.equal((results[1] as PromiseRejectedResult).reason.message, 'boom');
    assert.equal((results[2] as PromiseFulfilledResult<number>).value, 4194304);
  });

  it('feeds several consumers from a tar-stream entry, which can pipe to one destination only', async () => {
    const p = pack();
    p.entry({ name: 'big' }, Buffer.alloc(3 * 1024 * 1024, 7));
    p.finalize();
    const x = extract();
    const seen: number[][] = [];
    x.on('entry', (_h, body, next) => {
      fanOut(body as unknown as Readable, [readAll, readAll]).then((r) => {
        seen.push(r.map((o) => (o as PromiseFulfilledResult<number>).value));
        next();
      }, next);
    });
    await new Promise<void>((resolve, reject) => {
      x.on('finish', resolve).on('error', reject);
      (p as unknown as Readable).pipe(x as unknown as NodeJS.WritableStream);
    });
    assert.deepEqual(seen, [[3 * 1024 * 1024, 3 * 1024 * 1024]]);
  });

  it('a source that breaks rejects, and its consumers see the error', async () => {
    async function* broken() {
      yield Buffer.alloc(1024);
      throw new Error('truncated');
    }
    const seen: string[] = [];
    const consumer = async (s: Readable) => readAll(s).catch((e: Error) => seen.push(e.message));
    await assert.rejects(fanOut(Readable.from(broken()), [consumer, consumer]), /truncated/);
    assert.deepEqual(seen, ['truncated', 'truncated']);
  });
});
