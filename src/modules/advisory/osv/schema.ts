import { z } from 'zod';

/**
 * An OSV record as published (https://ossf.github.io/osv-schema/). Only the fields Bulwark reads are
 * declared; unknown fields (credits, schema_version, future additions) are tolerated and dropped.
 *
 * Deliberately free of zod effects (transform, refine, default): each one multiplies zod's cost per
 * value, and an OSV import parses hundreds of thousands of records (plain: ~12 µs a record; with
 * effects on the lists and ranges: ~105 µs). Defaults for absent lists and the rules the JSON
 * Schema states with oneOf/if-then (one key per event, `repo` for GIT ranges) live in parse.ts.
 */

/** The schema allows null for most lists; absent and null both mean empty. */
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).nullish();

const objectMap = z.record(z.unknown());

export const osvSeverity = z.object({ type: z.string().min(1), score: z.string() });

export const osvEvent = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

export const osvRange = z.object({
  type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
  repo: z.string().optional(),
  events: z.array(osvEvent).min(1),
  database_specific: objectMap.nullish(),
});

export const osvPackage = z.object({
  ecosystem: z.string().min(1),
  name: z.string().min(1),
  purl: z.string().optional(),
});

export const osvAffected = z.object({
  /** Optional in the schema (a GIT-only entry); such entries cannot be looked up by package and are dropped. */
  package: osvPackage.optional(),
  severity: list(osvSeverity),
  ranges: list(osvRange),
  versions: list(z.string()),
  ecosystem_specific: objectMap.nullish(),
  database_specific: objectMap.nullish(),
});

export const osvRecord = z.object({
  id: z.string().min(1),
  modified: z.string().min(1),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: list(z.string()),
  upstream: list(z.string()),
  /** A list of ids; a proposed extension lists `{type, id}` objects instead. */
  related: list(z.union([z.string(), z.object({ id: z.string() })])),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: list(osvSeverity),
  affected: list(osvAffected),
  references: list(z.object({ type: z.string(), url: z.string() })),
  database_specific: objectMap.nullish(),
});

export type OsvRecordParsed = z.output<typeof osvRecord>;
