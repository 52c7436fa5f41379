import { z } from 'zod';
import type { EolRelease } from './types.js';
import { optionalDate, parseRow, requireColumns, type CsvDocument } from './csv.js';

/** The columns every distro-info-data CSV starts with (debian.csv adds eol-lts, eol-elts; ubuntu.csv eol-server, eol-esm, eol-legacy). */
export const DISTRO_INFO_COLUMNS = ['version', 'codename', 'series', 'created', 'release', 'eol'] as const;

export function isDistroInfo(doc: CsvDocument): boolean {
  return DISTRO_INFO_COLUMNS.every((c, i) => doc.header[i] === c);
}

const row = z.object({
  version: z.string(),
  codename: z.string().min(1, 'empty codename'),
  series: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case series name'),
  created: optionalDate,
  release: optionalDate,
  eol: optionalDate,
  'eol-server': optionalDate.optional(),
  'eol-lts': optionalDate.optional(),
  'eol-esm': optionalDate.optional(),
});

/**
 * Debian: regular security support ends at `eol`, Debian LTS at `eol-lts` (extended).
 * Ubuntu: an LTS release's standard support for servers ends at `eol-server` (else `eol`), ESM at
 * `eol-esm` (extended). Freexian ELTS and Ubuntu Legacy are paid add-ons beyond that and not reported.
 */
export function parseDistroInfo(doc: CsvDocument, file: string): EolRelease[] {
  requireColumns(doc, DISTRO_INFO_COLUMNS, file);
  return doc.rows.map((r) => {
    const cells = parseRow(row, r, file);
    // "22.04 LTS" is matched as "22.04"; sid and experimental have no version.
    const version = cells.version.split(/\s+/)[0] || undefined;
    const release: EolRelease = {
      codename: cells.series,
      label: cells.version ? `${cells.version} (${cells.codename})` : cells.codename,
    };
    if (version) release.version = version;
    if (cells.release) release.released = cells.release;
    const eol = cells['eol-server'] ?? cells.eol;
    if (eol) release.eol = eol;
    const extended = cells['eol-lts'] ?? cells['eol-esm'];
    if (extended) release.extended = extended;
    return release;
  });
}
