import { basename } from 'node:path';
import { z } from 'zod';
import type { EolRelease } from './types.js';
import { csvError, isoDate, optionalDate, parseRow, requireColumns, type CsvDocument } from './csv.js';

/** Bulwark's own table format, for distributions distro-info-data does not cover. */
export const TABLE_COLUMNS = ['version', 'release', 'eol', 'extended'] as const;

const row = z.object({
  version: z.string().regex(/^\d+(\.\d+)*$/, 'expected a numeric version such as 3.19'),
  release: optionalDate,
  eol: optionalDate,
  extended: optionalDate,
});

/**
 * The "# source:" lines (at least one) and "# taken:" date every table must state, summed up as
 * "alpine.csv (https://alpinelinux.org/releases/, taken 2026-11-28)": the first source's address.
 */
export function tableSource(doc: CsvDocument, file: string): string {
  const sources = doc.meta.filter((m) => m.key === 'source').map((m) => m.value);
  const taken = doc.meta.find((m) => m.key === 'taken')?.value;
  if (sources.length === 0) throw csvError(file, doc.headerLine, 'no "# source:" line before the header');
  if (!taken || !isoDate.safeParse(taken).success) {
    throw csvError(file, doc.headerLine, 'no "# taken: YYYY-MM-DD" line before the header');
  }
  const address = sources[0]!.split(/\s+/)[0];
  return `${basename(file)} (${address}, taken ${taken})`;
}

export function parseTable(doc: CsvDocument, file: string): EolRelease[] {
  requireColumns(doc, TABLE_COLUMNS, file);
  const seen = new Set<string>();
  return doc.rows.map((r) => {
    const cells = parseRow(row, r, file);
    if (seen.has(cells.version)) throw csvError(file, r.line, `version ${cells.version} listed twice`);
    seen.add(cells.version);
    const release: EolRelease = { version: cells.version, label: cells.version };
    if (cells.release) release.released = cells.release;
    if (cells.eol) release.eol = cells.eol;
    if (cells.extended) release.extended = cells.extended;
    return release;
  });
}
