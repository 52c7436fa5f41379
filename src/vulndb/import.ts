import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { listOsvFiles, readOsvFiles } from './dir-documents.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, type OsvDocument } from './import-limits.js';
import { loadDocuments } from './load-documents.js';
import { dbFilePath } from './paths.js';
import type { ProgressListener } from './progress.js';
import { replaceDb, withWriterLock } from './replace.js';
import { openOsvZip } from './zip-documents.js';

export interface ImportDbOptions {
  dbDir: string;
  /** A zip of OSV JSON files (one ecosystem's all.zip or any mix), a directory of them, or one JSON file. */
  path: string;
  limits?: Partial<ImportLimits>;
  onProgress?: ProgressListener;
  /** Time stamped on the sources imported (tests). */
  now?: Date;
}

export interface ImportResult {
  path: string;
  /** The sources replaced: the OSV ecosystems of the imported records' affected packages. */
  sources: { ecosystem: string; records: number; withdrawn: number }[];
  documents: number;
  /** Records naming no affected package, not stored. */
  skipped: number;
}

interface Input {
  total?: number;
  documents: AsyncIterable<OsvDocument>;
  close(): void;
}

/**
 * Imports OSV records for air-gapped use. The sources the records belong to are replaced whole;
 * others stay. Any bad entry (hostile name, bomb, malformed JSON, invalid record) fails the import
 * with one line naming it, and the database is left as it was.
 */
export async function importDb(options: ImportDbOptions): Promise<ImportResult> {
  const path = resolve(options.path);
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const fetchedAt = (options.now ?? new Date()).toISOString();
  const input = await openInput(path, limits);
  try {
    return await withWriterLock(options.dbDir, () =>
      replaceDb(options.dbDir, async ({ writer }) => {
        const counts = await loadDocuments(writer, input.documents, { totalDocuments: input.total, onProgress: options.onProgress });
        const replaced = writer.replacedSources().sort();
        if (replaced.length === 0) throw new BulwarkError('E_INPUT', `${path}: no OSV records with affected packages found`);
        for (const ecosystem of replaced) writer.setSource({ ecosystem, origin: path, fetchedAt });
        options.onProgress?.({ phase: 'commit' });
        const sources = writer.sources().filter((s) => replaced.includes(s.ecosystem));
        return {
          path: dbFilePath(options.dbDir),
          sources: sources.map((s) => ({ ecosystem: s.ecosystem, records: s.records, withdrawn: s.withdrawn })),
          ...counts,
        };
      }),
    );
  } finally {
    input.close();
  }
}

async function openInput(path: string, limits: ImportLimits): Promise<Input> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new BulwarkError('E_INPUT', `${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (info.isDirectory()) {
    const files = await listOsvFiles(path, limits);
    return { total: files.length, documents: readOsvFiles(files, path, limits), close: () => {} };
  }
  if (!info.isFile()) throw new BulwarkError('E_INPUT', `${path}: not a file or directory`);
  const magic = await firstBytes(path, 4);
  if (magic.equals(Buffer.from('PK\x03\x04', 'latin1')) || magic.equals(Buffer.from('PK\x05\x06', 'latin1'))) {
    const zip = await openOsvZip(path, limits);
    return { total: zip.entryCount, documents: zip.documents(), close: () => zip.close() };
  }
  if (path.toLowerCase().endsWith('.json')) return { total: 1, documents: readOsvFiles([path], path, limits), close: () => {} };
  throw new BulwarkError('E_FORMAT', `${path}: neither a zip of OSV records, a directory of them, nor an OSV JSON file`);
}

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
