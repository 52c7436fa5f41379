import type { RpmBlob } from './blob.js';
import { RpmHeader } from './header.js';
import { readRecord, type RpmRecord } from './record.js';

export interface ParsedRecords {
  records: RpmRecord[];
  /** One line per header that could not be parsed (it is skipped, the rest still count). */
  problems: string[];
}

/** Parses each header blob; gpg-pubkey pseudo-packages (imported signing keys) are dropped. */
export function parseRecords(blobs: readonly RpmBlob[], dbPath: string): ParsedRecords {
  const records: RpmRecord[] = [];
  const problems: string[] = [];
  for (const { headerNumber, blob } of blobs) {
    try {
      const record = readRecord(new RpmHeader(blob, { dbPath, headerNumber }), headerNumber);
      if (record.name !== 'gpg-pubkey') records.push(record);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { records, problems };
}
