import { PassThrough, type Readable } from 'node:stream';

/** Resolves when a branch can take more, or is gone (a consumer that stopped must not stall the rest). */
function writable(branch: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      branch.off('drain', done).off('close', done);
      resolve();
    };
    branch.once('drain', done).once('close', done);
  });
}

/**
 * Feeds one stream to several consumers, each reading at its own pace. Chunks are copied by hand:
 * tar-stream's entry bodies (streamx) can pipe to one destination only. A consumer that stops early
 * is drained, so the source always reaches its end. Never rejects on a consumer's error.
 */
export async function fanOut(
  source: Readable,
  consumers: Array<(stream: Readable) => Promise<unknown>>,
): Promise<Array<PromiseSettledResult<unknown>>> {
  const branches = consumers.map(() => new PassThrough({ highWaterMark: 1024 * 1024 }));
  const outcomes = Promise.allSettled(
    consumers.map(async (consume, i) => {
      const branch = branches[i]!;
      try {
        return await consume(branch);
      } finally {
        // Whatever the consumer left unread is discarded, so the other branches keep flowing.
        branch.on('error', () => {}).resume();
      }
    }),
  );
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const full = branches.filter((b) => !b.destroyed && !b.write(chunk));
      if (full.length > 0) await Promise.all(full.map(writable));
    }
  } catch (e) {
    // The source broke: consumers see the same error instead of waiting for data that never comes.
    for (const branch of branches) branch.destroy(e as Error);
    await outcomes;
    throw e;
  }
  for (const branch of branches) if (!branch.destroyed) branch.end();
  return outcomes;
}
