/**
 * Dynamic baselines: one model per image ID (replicas of an image share it) that learns what the
 * image's containers do, switches itself to monitoring once the behaviour is stable, and then reports
 * behaviour outside the model as scored anomalies. Time is the events' own `time` (an injected clock),
 * so the engine is deterministic.
 */
import { BulwarkError } from '../../core/errors.js';
import type { RuntimeEvent } from '../events.js';
import {
  emptyModel,
  ITEM_KINDS,
  RATE_METRICS,
  type Anomaly,
  type BaselineItem,
  type ItemKind,
  type ModelData,
  type ModelStatus,
  type RateMetric,
} from './model.js';
import {
  commandShape,
  ignoredWritePath,
  parentKey,
  connectRisk,
  destinationKey,
  execRisk,
  listenKey,
  listenRisk,
  parentDir,
  userRisk,
  writeRisk,
} from './normalize.js';
import { advanceMinute, DEFAULT_RATE_OPTIONS, MINUTE_MS, rateScore, rateThreshold, type RateOptions } from './rates.js';
import type { BaselineStore, ModelChanges } from './store.js';
import { modelFromYaml, modelToYaml } from './yaml.js';

export interface BaselineOptions {
  /** A model learns at least this long after its first event. Default 1 hour. */
  learnWindowMs: number;
  /** ... and then until nothing new was learned for this long. Default 15 minutes. */
  quietPeriodMs: number;
  rate: RateOptions;
  /** observe() flushes to the store when this much event time passed since the last flush. Default 5 s. */
  flushIntervalMs: number;
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = {
  learnWindowMs: 60 * 60_000,
  quietPeriodMs: 15 * 60_000,
  rate: DEFAULT_RATE_OPTIONS,
  flushIntervalMs: 5_000,
};

export type BaselineOptionsInput = Partial<Omit<BaselineOptions, 'rate'>> & { rate?: Partial<RateOptions> };

/** A model in memory with what changed since the last flush. */
interface LiveModel {
  data: ModelData;
  headerDirty: boolean;
  replace: boolean;
  /** Items changed since the last flush (each once: see LiveItem.gen). */
  dirty: Record<ItemKind, string[]>;
  /** Burst threshold of the minute being counted. */
  threshold: Record<RateMetric, number>;
  /** Minute index of the last rate anomaly (one per minute and metric). */
  alerted: Record<RateMetric, number>;
}

/** Returned when an event raises nothing; frozen so that a caller cannot fill it by mistake. */
/** An item in memory: `gen` is the flush generation in which it was last queued for writing. */
interface LiveItem extends BaselineItem {
  gen?: number;
}

const NONE: Anomaly[] = Object.freeze([]) as unknown as Anomaly[];
const SHAPE_CACHE_MAX = 16384;

const LABEL: Record<ItemKind, string> = {
  exec: 'executable (with parent)',
  command: 'command shape',
  listen: 'listening port',
  connect: 'outbound destination',
  write: 'written directory',
  user: 'user id',
};

export class BaselineEngine {
  readonly options: BaselineOptions;
  private readonly store: BaselineStore | null;
  private readonly models = new Map<string, LiveModel>();
  private readonly deleted = new Set<string>();
  private readonly shapes = new Map<string, string>();
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** Flush generation: an item is queued for writing once per generation. */
  private gen = 1;
  private readonly uidKeys: string[] = [];

  /** `store` null keeps models in memory only (benchmarks, tests). Loads every stored model. */
  constructor(store: BaselineStore | null, options: BaselineOptionsInput = {}) {
    this.store = store;
    this.options = { ...DEFAULT_BASELINE_OPTIONS, ...options, rate: { ...DEFAULT_RATE_OPTIONS, ...options.rate } };
    if (store) for (const m of store.load()) this.models.set(m.key, this.live(m, false));
  }

  /**
   * Feeds one event; returns the anomalies it raises (a shared empty array when none: do not mutate).
   * Events without a container, or whose container has no image ID, are ignored.
   */
  observe(ev: RuntimeEvent): Anomaly[] {
    const c = ev.container;
    const key = c?.imageId;
    if (c === undefined || key === undefined) return NONE;
    const t = ev.time;
    let live = this.models.get(key);
    if (live === undefined) {
      live = this.live(emptyModel(key, t, c.imageRepository), true);
      this.models.set(key, live);
      this.deleted.delete(key);
    }
    const d = live.data;
    d.eventsSeen++;
    if (t > d.lastEventAt) d.lastEventAt = t;
    if (d.imageRepository === undefined && c.imageRepository !== undefined) d.imageRepository = c.imageRepository;
    live.headerDirty = true;
    if (d.state === 'learning') this.maybeMonitor(live, t);
    const learning = d.state === 'learning';

    let out: Anomaly[] | undefined;
    const p = ev.proc;
    switch (ev.type) {
      case 'exec': {
        if (p === undefined) break;
        const exe = p.exepath ?? p.name;
        const execKey = `${exe} <- ${parentKey(p.pexepath, p.pname)}`;
        const execKnown = this.touch(live, 'exec', execKey, t, learning);
        const shape = this.shape(p.name, p.args);
        const shapeKnown = this.touch(live, 'command', shape, t, learning);
        if (!execKnown) {
          const a = this.itemAnomaly(live, ev, 'exec', execKey, execRisk(p.name, p.exepath), p.args?.join(' '));
          if (!shapeKnown) a.implied = [{ kind: 'command', what: shape }];
          (out ??= []).push(a);
        } else if (!shapeKnown) {
          // A new executable implies a new command shape: one anomaly for it, not two.
          (out ??= []).push(this.itemAnomaly(live, ev, 'command', shape, execRisk(p.name, p.exepath), p.args?.join(' ')));
        }
        const a = this.countRate(live, 'exec', t, learning, ev);
        if (a) (out ??= []).push(a);
        break;
      }
      case 'connect': {
        const k = ev.net && destinationKey(ev.net);
        if (k !== undefined && !this.touch(live, 'connect', k, t, learning)) {
          (out ??= []).push(this.itemAnomaly(live, ev, 'connect', k, connectRisk(k), `${ev.net?.dip}:${ev.net?.dport}`));
        }
        const a = this.countRate(live, 'connect', t, learning, ev);
        if (a) (out ??= []).push(a);
        break;
      }
      case 'listen': {
        const k = ev.net && listenKey(ev.net);
        if (k !== undefined && !this.touch(live, 'listen', k, t, learning)) (out ??= []).push(this.itemAnomaly(live, ev, 'listen', k, listenRisk(k)));
        break;
      }
      case 'open_write':
      case 'unlink':
      case 'chmod':
      case 'rename': {
        const f = ev.file;
        if (f === undefined || ignoredWritePath(f.path)) break;
        const dir = parentDir(f.path);
        if (!this.touch(live, 'write', dir, t, learning)) (out ??= []).push(this.itemAnomaly(live, ev, 'write', dir, writeRisk(dir), f.path));
        if (ev.type === 'rename' && f.target !== undefined) {
          const to = parentDir(f.target);
          if (to !== dir && !this.touch(live, 'write', to, t, learning)) (out ??= []).push(this.itemAnomaly(live, ev, 'write', to, writeRisk(to), f.target));
        }
        break;
      }
      case 'setuid': {
        if (ev.arg !== undefined && ev.arg !== p?.uid) {
          const u = String(ev.arg);
          if (!this.touch(live, 'user', u, t, learning)) (out ??= []).push(this.itemAnomaly(live, ev, 'user', u, userRisk(u)));
        }
        break;
      }
      default:
        break;
    }
    if (p?.uid !== undefined) {
      const u = this.uidKey(p.uid);
      if (!this.touch(live, 'user', u, t, learning)) (out ??= []).push(this.itemAnomaly(live, ev, 'user', u, userRisk(u)));
    }
    if (this.store !== null && t - this.lastFlushAt >= this.options.flushIntervalMs) {
      this.flush();
      this.lastFlushAt = t;
    }
    return out ?? NONE;
  }

  /** Moves learning models whose window and quiet period have passed at `now` to monitoring (no event needed). */
  tick(now: number): void {
    for (const live of this.models.values()) if (live.data.state === 'learning') this.maybeMonitor(live, now);
  }

  /** Every model, sorted by key. */
  status(): ModelStatus[] {
    return [...this.models.values()]
      .map(({ data: d }) => {
        const items = {} as Record<ItemKind, number>;
        for (const kind of ITEM_KINDS) items[kind] = d.items[kind].size;
        const rates = {} as ModelStatus['rates'];
        for (const metric of RATE_METRICS) {
          const r = d.rates[metric];
          rates[metric] = { mean: r.mean, stddev: Math.sqrt(r.variance), minutes: r.minutes };
        }
        const s: ModelStatus = { key: d.key, state: d.state, learningSince: d.learningSince, lastNewAt: d.lastNewAt, eventsSeen: d.eventsSeen, items, rates };
        if (d.imageRepository !== undefined) s.imageRepository = d.imageRepository;
        if (d.monitoringSince !== undefined) s.monitoringSince = d.monitoringSince;
        return s;
      })
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The model's data (live object: read only), or undefined. */
  model(key: string): Readonly<ModelData> | undefined {
    return this.models.get(key)?.data;
  }

  /**
   * Adds an anomaly's behaviour to model `key`, so the same behaviour is normal from now on. A rate
   * anomaly raises the model's burst threshold to at least the observed count.
   */
  accept(key: string, anomaly: Anomaly): void {
    const live = this.models.get(key);
    if (live === undefined) throw new BulwarkError('E_NOT_FOUND', `no baseline model ${key}`);
    if (anomaly.kind === 'rate') {
      const metric: RateMetric = anomaly.what.startsWith('connect') ? 'connect' : 'exec';
      const r = live.data.rates[metric];
      // The anomaly fired when the minute crossed the threshold; if that minute is still being
      // counted, accept everything it has counted so far.
      const sameMinute = Math.floor(anomaly.time / MINUTE_MS) === r.minute;
      r.accepted = Math.max(r.accepted, anomaly.observed ?? 0, sameMinute ? r.current : 0);
      live.threshold[metric] = rateThreshold(r, this.options.rate);
    } else {
      for (const { kind, what } of [{ kind: anomaly.kind, what: anomaly.what }, ...(anomaly.implied ?? [])]) {
        const map = live.data.items[kind];
        const it = map.get(what);
        if (it) it.count++;
        else map.set(what, { first: anomaly.time, last: anomaly.time, count: 1 });
        live.dirty[kind].push(what);
      }
    }
    live.headerDirty = true;
  }

  /** Forgets model `key`; the image's next event starts learning again. */
  reset(key: string): boolean {
    if (!this.models.delete(key)) return false;
    this.deleted.add(key);
    return true;
  }

  exportYaml(key: string): string {
    const live = this.models.get(key);
    if (live === undefined) throw new BulwarkError('E_NOT_FOUND', `no baseline model ${key}`);
    return modelToYaml(live.data);
  }

  /** Imports a model from YAML (see yaml.ts), replacing any model with the same key; returns the key. */
  importYaml(text: string, file: string): string {
    const m = modelFromYaml(text, file);
    this.models.set(m.key, this.live(m, true));
    this.deleted.delete(m.key);
    return m.key;
  }

  /** Writes every change since the last flush in one transaction (no-op without a store). */
  flush(): void {
    if (this.store === null) return;
    const changes: ModelChanges[] = [];
    for (const live of this.models.values()) {
      if (!live.headerDirty && !live.replace) continue;
      const items: Array<readonly [ItemKind, string]> = [];
      if (!live.replace) for (const kind of ITEM_KINDS) for (const v of live.dirty[kind]) items.push([kind, v]);
      changes.push({ model: live.data, replace: live.replace, items });
    }
    if (changes.length === 0 && this.deleted.size === 0) return;
    this.store.save(changes, [...this.deleted]);
    this.deleted.clear();
    for (const live of this.models.values()) {
      live.headerDirty = false;
      live.replace = false;
      for (const kind of ITEM_KINDS) live.dirty[kind].length = 0;
    }
    this.gen++;
  }

  private live(data: ModelData, fresh: boolean): LiveModel {
    const o = this.options.rate;
    const threshold = { exec: rateThreshold(data.rates.exec, o), connect: rateThreshold(data.rates.connect, o) };
    // A stored minute already above its threshold was alerted before the store was written (restart): not again.
    const alerted = (m: RateMetric): number => (data.rates[m].current > threshold[m] ? data.rates[m].minute : -1);
    return {
      data,
      headerDirty: fresh,
      replace: fresh,
      dirty: { exec: [], command: [], listen: [], connect: [], write: [], user: [] },
      threshold,
      alerted: { exec: alerted('exec'), connect: alerted('connect') },
    };
  }

  private maybeMonitor(live: LiveModel, now: number): void {
    const d = live.data;
    if (now - d.learningSince >= this.options.learnWindowMs && now - d.lastNewAt >= this.options.quietPeriodMs) {
      d.state = 'monitoring';
      d.monitoringSince = now;
      live.headerDirty = true;
    }
  }

  /** Known: updates it and returns true. Unknown: learns it (true) while learning, else returns false. */
  private touch(live: LiveModel, kind: ItemKind, value: string, t: number, learning: boolean): boolean {
    const map = live.data.items[kind];
    const it: LiveItem | undefined = map.get(value);
    if (it !== undefined) {
      it.count++;
      if (t > it.last) it.last = t;
      if (it.gen !== this.gen) {
        it.gen = this.gen;
        live.dirty[kind].push(value);
      }
      return true;
    }
    if (!learning) return false;
    const fresh: LiveItem = { first: t, last: t, count: 1, gen: this.gen };
    map.set(value, fresh);
    live.dirty[kind].push(value);
    live.data.lastNewAt = t;
    return true;
  }

  private uidKey(uid: number): string {
    if (uid < 0 || uid >= 65536 || !Number.isInteger(uid)) return String(uid);
    return (this.uidKeys[uid] ??= String(uid));
  }

  private shape(name: string, args: string[] | undefined): string {
    if (args === undefined || args.length <= 1) return commandShape(name, args);
    const raw = args.join('\0');
    let s = this.shapes.get(raw);
    if (s === undefined) {
      if (this.shapes.size >= SHAPE_CACHE_MAX) this.shapes.clear();
      s = commandShape(name, args);
      this.shapes.set(raw, s);
    }
    return s;
  }

  private countRate(live: LiveModel, metric: RateMetric, t: number, learning: boolean, ev: RuntimeEvent): Anomaly | undefined {
    const r = live.data.rates[metric];
    const minute = Math.floor(t / MINUTE_MS);
    if (minute > r.minute) {
      advanceMinute(r, minute, this.options.rate, learning);
      live.threshold[metric] = rateThreshold(r, this.options.rate);
    }
    r.current++;
    if (learning || r.current <= live.threshold[metric] || live.alerted[metric] === r.minute) return undefined;
    live.alerted[metric] = r.minute;
    const threshold = live.threshold[metric];
    const a: Anomaly = {
      model: live.data.key,
      kind: 'rate',
      what: `${metric}/min`,
      score: rateScore(r.current, threshold),
      reason: `${r.current} ${metric}s in a minute, above the learned ${r.mean.toFixed(1)} ± ${Math.sqrt(r.variance).toFixed(1)} per minute (threshold ${threshold.toFixed(1)})`,
      time: ev.time,
      observed: r.current,
      threshold,
    };
    return this.attribute(a, live, ev);
  }

  /**
   * Score of a behaviour outside the model = novelty + rarity + risk, at most 100:
   * - novelty 0..40: 40 when nothing related is in the model; 25 when something related is (the same
   *   executable under another parent, another command shape of a known program, a known port at
   *   another address or a known address at another port, the same port over the other protocol, a
   *   directory below a known written one);
   * - rarity 0..20: 20 × (1 − ln(1 + c) / ln(1 + max)), c = how often the related items were seen,
   *   max = count of the most frequent item of that kind: 20 for the entirely new, near 0 for a variant of
   *   the model's most common behaviour;
   * - risk 0..40: static, from normalize.ts (a shell 40, a package manager, a network tool or a program
   *   in /tmp 35, a write below a binary or library dir 40, the metadata address 40, root 30, ...).
   * So an entirely new harmless program scores 60, a new shell 100, a new command shape of a frequent
   * program about 25..45.
   */
  private itemAnomaly(live: LiveModel, ev: RuntimeEvent, kind: ItemKind, what: string, risk: { risk: number; why?: string }, detail?: string): Anomaly {
    const map = live.data.items[kind];
    const related = relatedCount(kind, what, map);
    let max = 1;
    for (const it of map.values()) if (it.count > max) max = it.count;
    const novelty = related === 0 ? 40 : 25;
    const rarity = Math.round(20 * (1 - Math.log1p(related) / Math.log1p(max)));
    const score = Math.min(100, novelty + Math.max(0, rarity) + risk.risk);
    const how = related === 0 ? 'never seen' : `a variant of behaviour seen ${related} time${related === 1 ? '' : 's'}`;
    const a: Anomaly = {
      model: live.data.key,
      kind,
      what,
      score,
      reason: `${LABEL[kind]} "${what}" is not in the baseline (${how})${risk.why ? `; ${risk.why}` : ''}`,
      time: ev.time,
    };
    if (detail !== undefined && detail !== what) a.detail = detail;
    return this.attribute(a, live, ev);
  }

  private attribute(a: Anomaly, live: LiveModel, ev: RuntimeEvent): Anomaly {
    if (live.data.imageRepository !== undefined) a.imageRepository = live.data.imageRepository;
    if (ev.container !== undefined) a.containerId = ev.container.id;
    return a;
  }
}

/** How often items related to `what` (see the score comment) were seen. Runs only for anomalies. */
function relatedCount(kind: ItemKind, what: string, map: Map<string, BaselineItem>): number {
  let n = 0;
  let match: (v: string) => boolean;
  switch (kind) {
    case 'exec': {
      const exe = what.slice(0, what.indexOf(' <- ') + 4);
      match = (v) => v.startsWith(exe);
      break;
    }
    case 'command': {
      const sp = what.indexOf(' ');
      const prog = sp < 0 ? what : what.slice(0, sp);
      match = (v) => v === prog || v.startsWith(prog + ' ');
      break;
    }
    case 'connect': {
      const colon = what.lastIndexOf(':');
      const addr = what.slice(0, colon + 1);
      const slash = what.indexOf('/');
      const proto = what.slice(0, slash + 1);
      const port = what.slice(colon);
      match = (v) => v.startsWith(addr) || (v.startsWith(proto) && v.endsWith(port));
      break;
    }
    case 'listen': {
      const port = what.slice(what.indexOf('/'));
      match = (v) => v.endsWith(port);
      break;
    }
    case 'write':
      match = (v) => what.startsWith(v === '/' ? '/' : v + '/');
      break;
    case 'user':
      return 0;
  }
  for (const [v, it] of map) if (match(v)) n += it.count;
  return n;
}
