import { inflateSync } from 'node:zlib';
import { findSection } from './elf.js';
import { versionInfo, type AuditablePackage } from './schema.js';

export const SECTION = '.dep-v0';
/** cargo-auditable's own readers refuse more than 8 MiB of JSON; a bound against zlib bombs. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;

export interface RustBinaryCrate {
  name: string;
  version: string;
  source?: string;
  build: boolean;
  root: boolean;
}

/** The crates cargo-auditable recorded in an ELF file, undefined when it has no `.dep-v0`; throws on bad data. */
export function readAuditData(file: Buffer): RustBinaryCrate[] | undefined {
  const section = findSection(file, SECTION);
  if (section === undefined) return undefined;
  let json: Buffer;
  try {
    json = inflateSync(section, { maxOutputLength: MAX_JSON_BYTES });
  } catch (error) {
    const why = (error as Error).message.includes('maxOutputLength') || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      ? `inflates to more than ${MAX_JSON_BYTES} bytes`
      : `does not inflate (${(error as Error).message})`;
    throw new Error(`${SECTION} section ${why}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(json.toString('utf8')) as unknown;
  } catch (error) {
    throw new Error(`${SECTION} section is not JSON (${(error as Error).message})`);
  }
  const parsed = versionInfo.safeParse(data);
  if (!parsed.success) throw new Error(`${SECTION} section is not cargo-auditable data (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data.packages.map((p: AuditablePackage) => {
    const crate: RustBinaryCrate = { name: p.name, version: p.version, build: p.kind === 'build', root: p.root === true };
    if (p.source) crate.source = p.source;
    return crate;
  });
}
