import { PassThrough, type Readable } from 'node:stream';

/**
 * Feeds one stream to several consumers, each reading at its own pace (pipe waits for the slowest).
 * A consumer that stops early is drained, so the source always reaches its end. Resolves with each
 * consumer's outcome, never rejects on a consumer's error.
 */
export async function fanOut(
  source: Readable,
  consumers: Array<(stream: Readable) => Promise<unknown>>,
): Promise<Array<PromiseSettledResult<unknown>>> {
  if (consumers.length === 0) {
    source.resume();
    await new Promise<void>((resolve, reject) => source.once('end', resolve).once('error', reject));
    return [];
  }
  const branches = consumers.map(() => new PassThrough({ highWaterMark: 1024 * 1024 }));
  for (const branch of branches) source.pipe(branch);
  const ended = new Promise<void>((resolve, reject) => source.once('end', resolve).once('error', reject));
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
  const [results] = await Promise.all([outcomes, ended]);
  return results;
}
