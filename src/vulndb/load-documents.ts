import { parseOsvJson } from '../modules/advisory/osv/parse.js';
import type { OsvDocument } from './import-limits.js';
import type { ProgressListener } from './progress.js';
import { recordSources, type DbWriter } from './writer.js';

export interface LoadCounts {
  documents: number;
  /** Records naming no affected package: nothing could ever match them, so an import skips them. */
  skipped: number;
}

/**
 * Parses and stores documents. With `source` (an update of one OSV ecosystem directory) every
 * record goes there; without it (an import) each record goes to the ecosystems of its affected
 * packages. Each source is cleared the first time a record is stored into it.
 */
export async function loadDocuments(
  writer: DbWriter,
  documents: AsyncIterable<OsvDocument>,
  options: { source?: string; totalDocuments?: number; onProgress?: ProgressListener },
): Promise<LoadCounts> {
  const counts: LoadCounts = { documents: 0, skipped: 0 };
  if (options.source !== undefined) writer.clearSource(options.source);
  for await (const doc of documents) {
    const record = parseOsvJson(doc.bytes, doc.where);
    const sources = options.source !== undefined ? [options.source] : recordSources(record);
    if (sources.length === 0) counts.skipped++;
    for (const source of sources) {
      writer.clearSource(source);
      writer.addRecord(source, record);
    }
    counts.documents++;
    options.onProgress?.({ phase: 'import', ecosystem: options.source, documents: counts.documents, totalDocuments: options.totalDocuments });
  }
  return counts;
}
