/** Baselines persist in SQLite across engine instances, and round-trip through YAML. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { BaselineEngine, BaselineStore, BASELINE_SCHEMA_VERSION, type Anomaly } from '../../src/runtime/baseline/index.js';
import type { RuntimeEvent } from '../../src/runtime/events.js';
import { connect, exec, IMG_A, IMG_B, MIN, normalMinute, T0 } from './baseline-support.js';

const OPTIONS = { learnWindowMs: 10 * MIN, quietPeriodMs: 2 * MIN };
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-baseline-'));
});
after(() => rm(dir, { recursive: true, force: true }));

function feed(engine: BaselineEngine, events: RuntimeEvent[]): Anomaly[] {
  const out: Anomaly[] = [];
  for (const e of events) out.push(...engine.observe(e));
  return out;
}

describe('BaselineStore', () => {
  it('keeps models, items, state and rates across close and reopen', () => {
    const file = join(dir, 'restart', 'baselines.sqlite');
    let store = BaselineStore.open(file);
    let engine = new BaselineEngine(store, OPTIONS);
    for (let m = 0; m < 12; m++) feed(engine, normalMinute(IMG_A, m));
    feed(engine, [exec(T0 + 11 * MIN, IMG_B, '/usr/bin/curl', ['curl', 'http://127.0.0.1/'])]);
    const [shell] = engine.observe(exec(T0 + 12 * MIN, IMG_A, '/usr/bin/dash', ['sh']));
    assert.ok(shell);
    engine.accept(IMG_A, shell);
    engine.flush();
    const before = engine.status();
    const yamlBefore = engine.exportYaml(IMG_A);
    store.close();

    store = BaselineStore.open(file);
    engine = new BaselineEngine(store, OPTIONS);
    assert.deepEqual(engine.status(), before);
    assert.equal(engine.exportYaml(IMG_A), yamlBefore);
    assert.equal(engine.status()[0]?.state, 'monitoring');
    assert.equal(engine.status()[1]?.state, 'learning');
    // Known behaviour (including the accepted shell) stays quiet, new behaviour still fires.
    assert.deepEqual(feed(engine, normalMinute(IMG_A, 13)), []);
    assert.deepEqual(engine.observe(exec(T0 + 14 * MIN, IMG_A, '/usr/bin/dash', ['sh'])), []);
    assert.equal(engine.observe(connect(T0 + 14 * MIN, IMG_A, '127.0.0.9', 7000)).length, 1);

    // reset() is persisted too.
    assert.ok(engine.reset(IMG_B));
    engine.flush();
    store.close();
    store = BaselineStore.open(file);
    assert.deepEqual(store.load().map((m) => m.key), [IMG_A]);
    const db = new Database(file, { readonly: true });
    assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), String(BASELINE_SCHEMA_VERSION));
    db.close();
    store.close();
  });

  it('observe() flushes on its own after flushIntervalMs of event time', () => {
    const file = join(dir, 'auto.sqlite');
    const store = BaselineStore.open(file);
    const engine = new BaselineEngine(store, { ...OPTIONS, flushIntervalMs: 30_000 });
    feed(engine, normalMinute(IMG_A, 0));
    feed(engine, normalMinute(IMG_A, 1));
    const total = engine.status()[0]?.eventsSeen ?? 0;
    const loaded = store.load();
    assert.equal(loaded.length, 1);
    const saved = loaded[0]?.eventsSeen ?? 0;
    assert.ok(saved > total / 2 && saved < total, `saved ${saved} of ${total}: flushed during minute 1, not after every event`);
    assert.equal(loaded[0]?.items.exec.size, 1);
    engine.flush();
    assert.equal(store.load()[0]?.eventsSeen, total);
    store.close();
  });

  it('refuses an SQLite file that is not a baseline store', async () => {
    const file = join(dir, 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    assert.throws(() => BaselineStore.open(file), /not a bulwark baseline store/);
    await writeFile(join(dir, 'garbage.sqlite'), 'not sqlite at all, just some text that is long enough to be a header'.repeat(10));
    assert.throws(() => BaselineStore.open(join(dir, 'garbage.sqlite')), /garbage\.sqlite: cannot open the baseline store/);
  });
});

describe('baseline YAML', () => {
  function trained(): BaselineEngine {
    const engine = new BaselineEngine(null, OPTIONS);
    for (let m = 0; m < 12; m++) feed(engine, normalMinute(IMG_A, m));
    return engine;
  }

  it('exports a readable model and imports it back unchanged', () => {
    const engine = trained();
    const text = engine.exportYaml(IMG_A);
    const doc = parse(text) as Record<string, any>;
    assert.equal(doc.kind, 'BulwarkBaselineModel');
    assert.deepEqual(doc.image, { id: IMG_A, repository: 'shop/web' });
    assert.equal(doc.state, 'monitoring');
    assert.equal(doc.learningSince, '2026-01-05T10:00:00.000Z');
    assert.deepEqual(
      doc.items.command.map((i: { value: string }) => i.value),
      ['python3 /app/worker.py --job=<n> <tmp> --id=<hex>'],
    );
    assert.deepEqual(doc.items.connect[0], { value: 'tcp/loopback:5432', firstSeen: '2026-01-05T10:00:01.010Z', lastSeen: doc.items.connect[0].lastSeen, count: doc.items.connect[0].count });
    const values = doc.items.user.concat(doc.items.exec).map((i: { value: string }) => i.value);
    assert.ok(values.length >= 2);

    // Import into a fresh engine (another agent): same model, same behaviour.
    const other = new BaselineEngine(null, OPTIONS);
    assert.equal(other.importYaml(text, 'web.yaml'), IMG_A);
    assert.equal(other.exportYaml(IMG_A), text);
    assert.deepEqual(feed(other, normalMinute(IMG_A, 12)), []);
    assert.equal(other.observe(exec(T0 + 13 * MIN, IMG_A, '/usr/bin/wget', ['wget', 'x'])).length, 1);

    // Sorted items: an edited file with items out of order is exported sorted.
    doc.items.write = [
      { value: '/var/z', firstSeen: '2026-01-05T10:00:00Z', lastSeen: '2026-01-05T10:00:00Z', count: 1 },
      { value: '/var/a', firstSeen: '2026-01-05T10:00:00Z', lastSeen: '2026-01-05T10:00:00Z', count: 1 },
      ...doc.items.write,
    ];
    other.importYaml(stringify(doc), 'edited.yaml');
    const written = (parse(other.exportYaml(IMG_A)) as Record<string, any>).items.write.map((i: { value: string }) => i.value);
    assert.deepEqual(written, [...written].sort());
    assert.ok(written.includes('/var/a'));
  });

  it('a bad file is one line naming the file and the field', () => {
    const engine = trained();
    const doc = parse(engine.exportYaml(IMG_A)) as Record<string, any>;
    const bad = (mutate: (d: Record<string, any>) => void): string => {
      const d = structuredClone(doc);
      mutate(d);
      return stringify(d);
    };
    const cases: Array<[string, RegExp]> = [
      [bad((d) => (d.items.exec[0].firstSeen = 'yesterday')), /^bad\.yaml: field items\.exec\[0\]\.firstSeen: not an ISO 8601 time$/],
      [bad((d) => (d.items.user[0].count = -1)), /^bad\.yaml: field items\.user\[0\]\.count: /],
      [bad((d) => (d.state = 'sleeping')), /^bad\.yaml: field state: /],
      [bad((d) => delete d.monitoringSince), /^bad\.yaml: field monitoringSince: required when state is monitoring$/],
      [bad((d) => (d.items.files = [])), /^bad\.yaml: field items: /],
      [bad((d) => (d.kind = 'Other')), /^bad\.yaml: field kind: /],
      ['items: [unclosed', /^bad\.yaml: not valid YAML: /],
      ['- just\n- a list\n', /^bad\.yaml: field \(document\): /],
    ];
    for (const [text, re] of cases) {
      assert.throws(
        () => engine.importYaml(text, 'bad.yaml'),
        (e: Error) => {
          assert.match(e.message, re);
          assert.ok(!e.message.includes('\n'), e.message);
          assert.equal((e as { code?: string }).code, 'E_FORMAT');
          return true;
        },
      );
    }
    // A failed import leaves the model as it was.
    assert.equal(engine.status()[0]?.state, 'monitoring');
  });
});
