/** The data of one baseline model (one image ID), shared by the engine, the SQLite store and the YAML form. */

export const ITEM_KINDS = ['exec', 'command', 'listen', 'connect', 'write', 'user'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const RATE_METRICS = ['exec', 'connect'] as const;
export type RateMetric = (typeof RATE_METRICS)[number];
export type AnomalyKind = ItemKind | 'rate';
export type ModelState = 'learning' | 'monitoring';

/** One learned behaviour. Times are ms since the epoch. */
export interface BaselineItem {
  first: number;
  last: number;
  count: number;
}

/**
 * Moving statistics of one per-minute rate: an EWMA of the count per minute and of its variance
 * (the first 1/alpha minutes are an exact running mean/variance, so a short learning window is not
 * dominated by its first minute), plus the minute being counted now.
 */
export interface RateStats {
  mean: number;
  variance: number;
  /** Finished minutes folded into mean/variance. */
  minutes: number;
  /** The highest per-minute count accepted by an operator (`accept` of a rate anomaly); the threshold never goes below it. */
  accepted: number;
  /** Index (time / 60000, floored) of the minute being counted, -1 before the first event. */
  minute: number;
  /** Events counted in that minute so far. */
  current: number;
}

export interface ModelData {
  /** The image ID (config digest), "sha256:...". */
  key: string;
  imageRepository?: string;
  state: ModelState;
  learningSince: number;
  monitoringSince?: number;
  /** Last time a new item was added while learning (the quiet period counts from here). */
  lastNewAt: number;
  lastEventAt: number;
  eventsSeen: number;
  items: Record<ItemKind, Map<string, BaselineItem>>;
  rates: Record<RateMetric, RateStats>;
}

export interface Anomaly {
  /** The model key (image ID). */
  model: string;
  kind: AnomalyKind;
  /** The behaviour as the model would store it (an item value), or for rate "exec/min" / "connect/min". */
  what: string;
  /** 0..100. */
  score: number;
  reason: string;
  /** Event time (ms). */
  time: number;
  imageRepository?: string;
  containerId?: string;
  /** The raw form when it differs from `what` (full command line, exact address, written path); for rate the minute's count. */
  detail?: string;
  /** Further new items the same event brought, that accept() adds too (a new executable's command shape). */
  implied?: Array<{ kind: ItemKind; what: string }>;
  /** rate only: the count in the minute and the threshold it crossed. */
  observed?: number;
  threshold?: number;
}

export interface ModelStatus {
  key: string;
  imageRepository?: string;
  state: ModelState;
  learningSince: number;
  monitoringSince?: number;
  lastNewAt: number;
  eventsSeen: number;
  items: Record<ItemKind, number>;
  rates: Record<RateMetric, { mean: number; stddev: number; minutes: number }>;
}

export function emptyRate(): RateStats {
  return { mean: 0, variance: 0, minutes: 0, accepted: 0, minute: -1, current: 0 };
}

export function emptyModel(key: string, time: number, imageRepository?: string): ModelData {
  const m: ModelData = {
    key,
    state: 'learning',
    learningSince: time,
    lastNewAt: time,
    lastEventAt: time,
    eventsSeen: 0,
    items: { exec: new Map(), command: new Map(), listen: new Map(), connect: new Map(), write: new Map(), user: new Map() },
    rates: { exec: emptyRate(), connect: emptyRate() },
  };
  if (imageRepository !== undefined) m.imageRepository = imageRepository;
  return m;
}
