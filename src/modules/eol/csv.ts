import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';

/** A data row with its 1-based line number, so errors can point at the line. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export interface CsvDocument {
  header: string[];
  headerLine: number;
  rows: CsvRow[];
  /** "# key: value" lines before the header, in order (a key may repeat, e.g. source). */
  meta: Array<{ key: string; value: string }>;
}

export function csvError(file: string, line: number, message: string): BulwarkError {
  return new BulwarkError('E_FORMAT', `${file}:${line}: ${message}`);
}

/**
 * Reads the unquoted CSV both distro-info-data and our own tables use. Hand-written rather than a CSV
 * library (none is installed, and neither format quotes): a quote or a row with more cells than the
 * header is rejected instead of guessed at. Rows may have fewer cells (distro-info omits empty tail
 * columns); the missing ones are empty.
 */
export function readCsv(text: string, file: string): CsvDocument {
  const lines = text.split(/\r?\n/);
  const meta: CsvDocument['meta'] = [];
  let header: string[] | undefined;
  let headerLine = 0;
  const rows: CsvRow[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      if (header) throw csvError(file, line, 'comment lines are only allowed before the header');
      const m = /^#\s*([a-z][a-z-]*):\s*(.*\S)\s*$/i.exec(raw);
      if (m) meta.push({ key: m[1]!.toLowerCase(), value: m[2]! });
      return;
    }
    if (raw.includes('"')) throw csvError(file, line, 'quoted fields are not supported');
    const cells = raw.split(',').map((c) => c.trim());
    if (!header) {
      if (cells.some((c) => c === '')) throw csvError(file, line, 'empty column name in header');
      header = cells;
      headerLine = line;
      return;
    }
    if (cells.length > header.length) {
      throw csvError(file, line, `${cells.length} fields, the header has ${header.length}`);
    }
    const record: Record<string, string> = {};
    header.forEach((name, i) => (record[name] = cells[i] ?? ''));
    rows.push({ line, cells: record });
  });
  if (!header) throw csvError(file, Math.max(lines.length, 1), 'no header line');
  return { header, headerLine, rows, meta };
}

/** Calendar date YYYY-MM-DD that exists (2023-02-30 does not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    // Refinements run even after the pattern failed, hence the NaN guard; 2023-02-30 rolls over to March.
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

export const optionalDate = z.union([z.literal(''), isoDate]).transform((s) => (s === '' ? undefined : s));

/** Validates one row against a schema; the first problem becomes a one-line error naming file and line. */
export function parseRow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, row: CsvRow, file: string): T {
  const result = schema.safeParse(row.cells);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const column = issue.path.join('.');
  const value = column ? row.cells[column] : undefined;
  throw csvError(file, row.line, `${column ? `column ${column}` : 'row'}${value !== undefined ? ` "${value}"` : ''}: ${issue.message}`);
}

export function requireColumns(doc: CsvDocument, columns: readonly string[], file: string): void {
  const missing = columns.filter((c) => !doc.header.includes(c));
  if (missing.length) throw csvError(file, doc.headerLine, `header lacks column(s) ${missing.join(', ')}`);
}
