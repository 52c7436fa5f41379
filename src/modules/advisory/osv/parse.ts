import type { ZodIssue } from 'zod';
import { BulwarkError } from '../../../core/errors.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from '../../../vulndb/types.js';
import { osvRecord, type OsvRecordParsed } from './schema.js';

type ParsedAffected = NonNullable<OsvRecordParsed['affected']>[number];
type ParsedRange = NonNullable<ParsedAffected['ranges']>[number];
type ParsedEvent = ParsedRange['events'][number];

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/** A rule of the OSV schema broken, with the path of the offending field. */
class RuleBroken extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses the bytes of one OSV JSON document. `where` names it in errors ("Debian/all.zip: entry
 * "DSA-1234-1.json""); every error is one line with the field path.
 */
export function parseOsvJson(bytes: Buffer | string, where: string): OsvRecord {
  let value: unknown;
  try {
    const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new BulwarkError('E_FORMAT', `${where}: malformed JSON (${(e as Error).message})`);
  }
  return parseOsvRecord(value, where);
}

/** Validates an already-parsed OSV document and turns it into Bulwark's OsvRecord. */
export function parseOsvRecord(value: unknown, where: string): OsvRecord {
  const result = osvRecord.safeParse(value);
  if (!result.success) throw invalid(where, result.error.issues[0]?.path ?? [], result.error.issues[0]?.message ?? 'invalid');
  try {
    return toRecord(result.data);
  } catch (e) {
    if (e instanceof RuleBroken) throw invalid(where, e.path, e.message);
    throw e;
  }
}

function invalid(where: string, path: ZodIssue['path'], message: string): BulwarkError {
  const at = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return new BulwarkError('E_FORMAT', `${where}: not an OSV record: ${at || '(root)'}: ${message}`);
}

function toRecord(r: OsvRecordParsed): OsvRecord {
  const record: OsvRecord = {
    id: r.id,
    modified: r.modified,
    aliases: r.aliases ?? [],
    related: (r.related ?? []).map((x) => (typeof x === 'string' ? x : x.id)),
    severity: r.severity ?? [],
    affected: (r.affected ?? []).flatMap((a, i) => toAffected(a, i)),
    references: r.references ?? [],
  };
  if (r.upstream) record.upstream = r.upstream;
  if (r.published !== undefined) record.published = r.published;
  if (r.withdrawn !== undefined) record.withdrawn = r.withdrawn;
  if (r.summary !== undefined) record.summary = r.summary;
  if (r.details !== undefined) record.details = r.details;
  if (r.database_specific) record.databaseSpecific = r.database_specific;
  return record;
}

function toAffected(a: ParsedAffected, index: number): OsvAffected[] {
  const ranges = (a.ranges ?? []).map((r, i) => toRange(r, ['affected', index, 'ranges', i]));
  if (!a.package) return [];
  const pkg: OsvAffected['package'] = { ecosystem: a.package.ecosystem, name: a.package.name };
  if (a.package.purl !== undefined) pkg.purl = a.package.purl;
  const affected: OsvAffected = { package: pkg, severity: a.severity ?? [], ranges, versions: a.versions ?? [] };
  if (a.ecosystem_specific) affected.ecosystemSpecific = a.ecosystem_specific;
  if (a.database_specific) affected.databaseSpecific = a.database_specific;
  return [affected];
}

function toRange(r: ParsedRange, path: (string | number)[]): OsvRange {
  if (r.type === 'GIT' && !r.repo) throw new RuleBroken([...path, 'repo'], 'required for a GIT range');
  const range: OsvRange = { type: r.type, events: r.events.map((e, i) => toEvent(e, [...path, 'events', i])) };
  if (r.repo !== undefined) range.repo = r.repo;
  return range;
}

function toEvent(e: ParsedEvent, path: (string | number)[]): OsvEvent {
  const keys = EVENT_KEYS.filter((k) => e[k] !== undefined);
  if (keys.length !== 1) throw new RuleBroken(path, `expected exactly one of ${EVENT_KEYS.join(', ')}, found ${keys.length > 0 ? keys.join(' and ') : 'none'}`);
  if (e.introduced !== undefined) return { introduced: e.introduced };
  if (e.fixed !== undefined) return { fixed: e.fixed };
  if (e.last_affected !== undefined) return { last_affected: e.last_affected };
  return { limit: e.limit as string };
}
