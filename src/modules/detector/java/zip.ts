import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** Raised when an entry inflates past the bytes allowed for it. */
export class EntryTooLarge extends Error {}

export async function openZip(buffer: Buffer): Promise<ZipFile> {
  // decodeStrings: false so a hostile name ("../x", "/abs") is just a name, not an error ending the walk;
  // validateEntrySizes: an entry inflating to more than its declared size is an error.
  return yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
}

/** The entry's name decoded (UTF-8 when flagged, else CP437 as yauzl does), never validated. */
export function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
}

/** Inflates one entry into memory, refusing (EntryTooLarge) past `cap` bytes whatever the header says. */
export async function readEntry(zip: ZipFile, entry: Entry, cap: number): Promise<Buffer> {
  if (entry.uncompressedSize > cap) throw new EntryTooLarge(`inflates to ${entry.uncompressedSize} bytes, over the ${cap} byte limit`);
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > cap) throw new EntryTooLarge(`inflates past the ${cap} byte limit`);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}
