/** Baseline models in SQLite, so an agent restart keeps what its models learned. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BulwarkError } from '../../core/errors.js';
import { emptyModel, emptyRate, ITEM_KINDS, RATE_METRICS, type ItemKind, type ModelData, type ModelState, type RateMetric, type RateStats } from './model.js';

/** Marks the file as Bulwark's baseline store ("BWKB"), so a stray SQLite file is not taken for one. */
export const BASELINE_APPLICATION_ID = 0x42574b42;

interface Migration {
  version: number;
  up(db: Database.Database): void;
}

/** Every schema change, in order. Never edit a released migration: append a new one. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: (db) =>
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE models (
          key TEXT PRIMARY KEY,
          image_repository TEXT,
          state TEXT NOT NULL CHECK (state IN ('learning', 'monitoring')),
          learning_since INTEGER NOT NULL,
          monitoring_since INTEGER,
          last_new_at INTEGER NOT NULL,
          last_event_at INTEGER NOT NULL,
          events_seen INTEGER NOT NULL,
          -- {"exec": RateStats, "connect": RateStats}
          rates TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE items (
          model TEXT NOT NULL,
          kind TEXT NOT NULL,
          value TEXT NOT NULL,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (model, kind, value)
        ) WITHOUT ROWID;
      `),
  },
];

export const BASELINE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** What changed in one model since the last save. */
export interface ModelChanges {
  model: ModelData;
  /** Rewrite the model's items from scratch (import, reset) instead of upserting `items`. */
  replace: boolean;
  /** Items to upsert, as [kind, value]; their data is read from `model`. */
  items: ReadonlyArray<readonly [ItemKind, string]>;
}

interface ModelRow {
  key: string;
  image_repository: string | null;
  state: ModelState;
  learning_since: number;
  monitoring_since: number | null;
  last_new_at: number;
  last_event_at: number;
  events_seen: number;
  rates: string;
}

interface ItemRow {
  model: string;
  kind: string;
  value: string;
  first_seen: number;
  last_seen: number;
  count: number;
}

export class BaselineStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly upsertModel: Database.Statement;
  private readonly upsertItem: Database.Statement;
  private readonly deleteItems: Database.Statement;
  private readonly deleteModel: Database.Statement;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.upsertModel = db.prepare(
      `INSERT INTO models (key, image_repository, state, learning_since, monitoring_since, last_new_at, last_event_at, events_seen, rates)
       VALUES (@key, @image_repository, @state, @learning_since, @monitoring_since, @last_new_at, @last_event_at, @events_seen, @rates)
       ON CONFLICT (key) DO UPDATE SET image_repository = excluded.image_repository, state = excluded.state,
         learning_since = excluded.learning_since, monitoring_since = excluded.monitoring_since, last_new_at = excluded.last_new_at,
         last_event_at = excluded.last_event_at, events_seen = excluded.events_seen, rates = excluded.rates`,
    );
    this.upsertItem = db.prepare(
      `INSERT INTO items (model, kind, value, first_seen, last_seen, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, kind, value) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, count = excluded.count`,
    );
    this.deleteItems = db.prepare('DELETE FROM items WHERE model = ?');
    this.deleteModel = db.prepare('DELETE FROM models WHERE key = ?');
  }

  /** Opens (creating it and its directory if needed) the store at `path`, bringing its schema up to date. */
  static open(path: string): BaselineStore {
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      migrate(db, path);
      return new BaselineStore(path, db);
    } catch (e) {
      db?.close();
      if (e instanceof BulwarkError) throw e;
      throw new BulwarkError('E_DB', `${path}: cannot open the baseline store: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Every stored model. */
  load(): ModelData[] {
    const models = new Map<string, ModelData>();
    for (const r of this.db.prepare('SELECT * FROM models ORDER BY key').all() as ModelRow[]) {
      const m = emptyModel(r.key, r.learning_since, r.image_repository ?? undefined);
      m.state = r.state;
      if (r.monitoring_since !== null) m.monitoringSince = r.monitoring_since;
      m.lastNewAt = r.last_new_at;
      m.lastEventAt = r.last_event_at;
      m.eventsSeen = r.events_seen;
      m.rates = parseRates(r.rates);
      models.set(r.key, m);
    }
    for (const r of this.db.prepare('SELECT * FROM items').iterate() as IterableIterator<ItemRow>) {
      const m = models.get(r.model);
      if (!m || !(ITEM_KINDS as readonly string[]).includes(r.kind)) continue;
      m.items[r.kind as ItemKind].set(r.value, { first: r.first_seen, last: r.last_seen, count: r.count });
    }
    return [...models.values()];
  }

  /** Writes changed models and deletes `deleted` ones in one transaction. */
  save(changes: readonly ModelChanges[], deleted: readonly string[] = []): void {
    this.db.transaction(() => {
      for (const key of deleted) {
        this.deleteItems.run(key);
        this.deleteModel.run(key);
      }
      for (const c of changes) {
        const m = c.model;
        this.upsertModel.run({
          key: m.key,
          image_repository: m.imageRepository ?? null,
          state: m.state,
          learning_since: m.learningSince,
          monitoring_since: m.monitoringSince ?? null,
          last_new_at: m.lastNewAt,
          last_event_at: m.lastEventAt,
          events_seen: m.eventsSeen,
          rates: JSON.stringify(m.rates),
        });
        if (c.replace) {
          this.deleteItems.run(m.key);
          for (const kind of ITEM_KINDS) for (const [value, it] of m.items[kind]) this.upsertItem.run(m.key, kind, value, it.first, it.last, it.count);
        } else {
          for (const [kind, value] of c.items) {
            const it = m.items[kind].get(value);
            if (it) this.upsertItem.run(m.key, kind, value, it.first, it.last, it.count);
          }
        }
      }
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function parseRates(json: string): Record<RateMetric, RateStats> {
  const out = { exec: emptyRate(), connect: emptyRate() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return out;
  }
  for (const metric of RATE_METRICS) {
    const r = (parsed as Record<string, Partial<RateStats>> | null)?.[metric];
    if (r && typeof r === 'object') Object.assign(out[metric], r);
  }
  return out;
}

function migrate(db: Database.Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  let current = 0;
  if (appId !== 0 || tables !== 0) {
    if (appId !== BASELINE_APPLICATION_ID) throw new BulwarkError('E_DB', `${file} is an SQLite file but not a bulwark baseline store`);
    const value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
    current = Number(value);
    if (!Number.isInteger(current) || current < 1) throw new BulwarkError('E_DB', `${file}: schema version "${String(value)}" is not a number`);
  }
  if (current > BASELINE_SCHEMA_VERSION) {
    throw new BulwarkError('E_DB', `${file} has baseline schema version ${current}, newer than this bulwark reads (${BASELINE_SCHEMA_VERSION}); upgrade bulwark`);
  }
  if (current === BASELINE_SCHEMA_VERSION) return;
  db.transaction(() => {
    for (const m of MIGRATIONS) if (m.version > current) m.up(db);
    db.pragma(`application_id = ${BASELINE_APPLICATION_ID}`);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
      String(BASELINE_SCHEMA_VERSION),
    );
  })();
}
