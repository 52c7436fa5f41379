import { BulwarkError } from '../../../core/errors.js';

/** One package header as stored in an rpmdb, keyed by rpm's header number (instance). */
export interface RpmBlob {
  headerNumber: number;
  blob: Buffer;
}

export type RpmdbFormat = 'sqlite' | 'bdb' | 'ndb';

export function formatError(dbPath: string, reason: string): BulwarkError {
  return new BulwarkError('E_FORMAT', `cannot read rpm database ${dbPath}: ${reason}`);
}
