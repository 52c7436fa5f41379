import { BulwarkError } from '../../src/core/errors.js';

/** Asserts `promise` rejects with a BulwarkError of `code` whose message matches and is one line. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<BulwarkError> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof BulwarkError)) throw new Error(`expected a BulwarkError ${code}, got ${String(e)}`, { cause: e });
    if (e.code !== code || !message.test(e.message) || e.message.includes('\n')) {
      throw new Error(`expected ${code} matching ${String(message)} on one line, got ${e.code}: ${e.message}`, { cause: e });
    }
    return e;
  }
  throw new Error(`expected a rejection with ${code}, but it resolved`);
}
