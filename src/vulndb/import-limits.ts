/** Bounds on what an OSV zip or directory may make Bulwark read, against bombs and junk. */
export interface ImportLimits {
  /** Largest single JSON document (the biggest real OSV records, Linux kernel ones, are a few MB). */
  maxDocumentBytes: number;
  /** Most uncompressed/compressed ratio tolerated for a zip entry once it is past ratioFloorBytes. */
  maxCompressionRatio: number;
  ratioFloorBytes: number;
  /** Most bytes all documents of one zip or directory may add up to. */
  maxTotalBytes: number;
  /** Most documents in one zip or directory. */
  maxDocuments: number;
  /** Largest download accepted from the OSV server. */
  maxDownloadBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxDocumentBytes: 64 * 1024 ** 2,
  maxCompressionRatio: 200,
  ratioFloorBytes: 1024 ** 2,
  maxTotalBytes: 32 * 1024 ** 3,
  maxDocuments: 10_000_000,
  maxDownloadBytes: 8 * 1024 ** 3,
};

/** One JSON document read from a zip entry or a file, with the name errors should use. */
export interface OsvDocument {
  /** "Debian/all.zip: entry DSA-1234-1.json", or the file's path. */
  where: string;
  bytes: Buffer;
}
