/** A baseline model as YAML, for review: items sorted, times ISO 8601; and back, validated. */
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import { emptyModel, ITEM_KINDS, RATE_METRICS, type ModelData } from './model.js';

export const BASELINE_YAML_KIND = 'BulwarkBaselineModel';
export const BASELINE_YAML_VERSION = 1;

const iso = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)), 'not an ISO 8601 time');
const count = z.number().int().nonnegative();

const ItemSchema = z
  .object({ value: z.string().min(1), firstSeen: iso, lastSeen: iso, count: count.min(1) })
  .strict();

const RateSchema = z
  .object({
    mean: z.number().nonnegative(),
    stddev: z.number().nonnegative(),
    minutes: count,
    accepted: z.number().nonnegative().default(0),
  })
  .strict();

const ModelSchema = z
  .object({
    kind: z.literal(BASELINE_YAML_KIND),
    version: z.literal(BASELINE_YAML_VERSION),
    image: z.object({ id: z.string().min(1), repository: z.string().optional() }).strict(),
    state: z.enum(['learning', 'monitoring']),
    learningSince: iso,
    monitoringSince: iso.optional(),
    lastNewAt: iso,
    lastEventAt: iso.optional(),
    eventsSeen: count,
    rates: z.object({ exec: RateSchema, connect: RateSchema }).strict(),
    items: z
      .object({
        exec: z.array(ItemSchema).default([]),
        command: z.array(ItemSchema).default([]),
        listen: z.array(ItemSchema).default([]),
        connect: z.array(ItemSchema).default([]),
        write: z.array(ItemSchema).default([]),
        user: z.array(ItemSchema).default([]),
      })
      .strict(),
  })
  .strict()
  .refine((m) => m.state === 'learning' || m.monitoringSince !== undefined, { message: 'required when state is monitoring', path: ['monitoringSince'] });

const isoOf = (ms: number) => new Date(ms).toISOString();
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The model as YAML: items of each kind sorted by value, times ISO 8601, rates as mean and standard deviation. */
export function modelToYaml(m: ModelData): string {
  const items: Record<string, unknown[]> = {};
  for (const kind of ITEM_KINDS) {
    items[kind] = [...m.items[kind].entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([value, it]) => ({ value, firstSeen: isoOf(it.first), lastSeen: isoOf(it.last), count: it.count }));
  }
  const rates: Record<string, unknown> = {};
  for (const metric of RATE_METRICS) {
    const r = m.rates[metric];
    rates[metric] = { mean: round(r.mean), stddev: round(Math.sqrt(r.variance)), minutes: r.minutes, accepted: r.accepted };
  }
  const doc = {
    kind: BASELINE_YAML_KIND,
    version: BASELINE_YAML_VERSION,
    image: m.imageRepository === undefined ? { id: m.key } : { id: m.key, repository: m.imageRepository },
    state: m.state,
    learningSince: isoOf(m.learningSince),
    ...(m.monitoringSince === undefined ? {} : { monitoringSince: isoOf(m.monitoringSince) }),
    lastNewAt: isoOf(m.lastNewAt),
    lastEventAt: isoOf(m.lastEventAt),
    eventsSeen: m.eventsSeen,
    rates,
    items,
  };
  return stringify(doc, { lineWidth: 0 });
}

/** Parses and validates a model written by modelToYaml (possibly edited); a bad file is one E_FORMAT line naming file and field. */
export function modelFromYaml(text: string, file: string): ModelData {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new BulwarkError('E_FORMAT', `${file}: not valid YAML: ${firstLine((e as Error).message)}`);
  }
  const r = ModelSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue && issue.path.length > 0 ? formatPath(issue.path) : '(document)';
    throw new BulwarkError('E_FORMAT', `${file}: field ${field}: ${firstLine(issue?.message ?? 'invalid')}`);
  }
  const d = r.data;
  const m = emptyModel(d.image.id, Date.parse(d.learningSince), d.image.repository);
  m.state = d.state;
  if (d.monitoringSince !== undefined) m.monitoringSince = Date.parse(d.monitoringSince);
  m.lastNewAt = Date.parse(d.lastNewAt);
  m.lastEventAt = d.lastEventAt === undefined ? m.lastNewAt : Date.parse(d.lastEventAt);
  m.eventsSeen = d.eventsSeen;
  for (const metric of RATE_METRICS) {
    const s = d.rates[metric];
    Object.assign(m.rates[metric], { mean: s.mean, variance: s.stddev * s.stddev, minutes: s.minutes, accepted: s.accepted });
  }
  for (const kind of ITEM_KINDS) {
    for (const it of d.items[kind]) m.items[kind].set(it.value, { first: Date.parse(it.firstSeen), last: Date.parse(it.lastSeen), count: it.count });
  }
  return m;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
