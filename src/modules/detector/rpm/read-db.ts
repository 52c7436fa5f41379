import { readBdbBlobs } from './bdb.js';
import type { RpmBlob, RpmdbFormat } from './blob.js';
import { readNdbBlobs } from './ndb.js';
import { readSqliteBlobs } from './sqlite.js';

const READERS: Record<RpmdbFormat, (content: Buffer, dbPath: string) => RpmBlob[]> = {
  sqlite: readSqliteBlobs,
  bdb: readBdbBlobs,
  ndb: readNdbBlobs,
};

/** Every package header blob of one rpm database file; throws BulwarkError E_FORMAT when unreadable. */
export function readRpmdbBlobs(content: Buffer, dbPath: string, format: RpmdbFormat): RpmBlob[] {
  return READERS[format](content, dbPath);
}
