import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import { readCsv } from './csv.js';
import { isDistroInfo, parseDistroInfo } from './distro-info.js';
import { parseTable, tableSource } from './table.js';
import type { EolData, EolTable } from './types.js';

/** Environment variable naming a directory of updated tables that take precedence over the shipped ones. */
export const EOL_DATA_ENV = 'BULWARK_EOL_DATA';

/** data/eol at the package root: three levels up from both src/modules/eol and dist/modules/eol. */
export const SHIPPED_EOL_DIR = fileURLToPath(new URL('../../../data/eol/', import.meta.url));

/** Written beside debian.csv/ubuntu.csv by scripts/update-eol-data.ts: which package version they came from. */
export const DISTRO_INFO_MANIFEST = 'distro-info.json';

export const distroInfoManifest = z.object({
  package: z.string(),
  version: z.string(),
  files: z.array(z.string()),
  taken: z.string(),
  source: z.string().optional(),
});
export type DistroInfoManifest = z.infer<typeof distroInfoManifest>;

function readManifest(dir: string): DistroInfoManifest | undefined {
  const path = join(dir, DISTRO_INFO_MANIFEST);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BulwarkError('E_FORMAT', `${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = distroInfoManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BulwarkError('E_FORMAT', `${path}: ${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Parses one table file; the format is told apart by its header (distro-info's or ours). */
export function parseEolFile(text: string, file: string, manifest?: DistroInfoManifest): EolTable {
  const doc = readCsv(text, file);
  const family = basename(file, '.csv').toLowerCase();
  if (isDistroInfo(doc)) {
    const pkg = manifest?.files.includes(basename(file)) ? `${manifest.package} ${manifest.version}` : 'distro-info-data';
    return { family, file, source: `${basename(file)} (${pkg})`, releases: parseDistroInfo(doc, file) };
  }
  return { family, file, source: tableSource(doc, file), releases: parseTable(doc, file) };
}

/** Every *.csv in one directory, exactly as it is there. */
export function loadEolDir(dir: string): Map<string, EolTable> {
  const root = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.endsWith('.csv')).sort();
  } catch (e) {
    throw new BulwarkError('E_INPUT', `end-of-life data directory ${root} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const manifest = readManifest(root);
  const tables = new Map<string, EolTable>();
  for (const name of names) {
    const file = join(root, name);
    const table = parseEolFile(readFileSync(file, 'utf8'), file, manifest);
    tables.set(table.family, table);
  }
  return tables;
}

/**
 * The shipped tables, with those of an updated directory (`dir`, else $BULWARK_EOL_DATA) replacing them
 * family by family: an update may carry only alpine.csv and still leave Debian's table in place.
 */
export function loadEolData(dir: string | undefined = process.env[EOL_DATA_ENV] || undefined): EolData {
  const tables = loadEolDir(SHIPPED_EOL_DIR);
  if (dir) for (const [family, table] of loadEolDir(dir)) tables.set(family, table);
  return tables;
}
