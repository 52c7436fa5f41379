/**
 * Changes to baseline models while an agent runs. The agent owns its models in memory and flushes
 * them to the SQLite store, so a second process writing the store would be overwritten (or would
 * overwrite the agent's unflushed learning). Hence `accept` and `import` go through a control folder
 * when an agent is alive: the CLI drops `<id>.json`, the agent (polling every ~250 ms) applies it to
 * its engine, flushes, and answers `<id>.done`. With no agent, the CLI applies the same change to the
 * store directly through a BaselineEngine. `export` only reads the store (the agent flushes first when
 * asked through the folder as well, so the export is current).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BulwarkError } from '../../core/errors.js';
import type { BaselineEngine } from '../baseline/engine.js';
import { ITEM_KINDS, type Anomaly, type AnomalyKind } from '../baseline/model.js';

export type ControlRequest =
  | { op: 'accept'; model: string; kind: AnomalyKind; what: string }
  | { op: 'import'; yaml: string; file: string }
  | { op: 'export'; model: string };

export type ControlResult = { ok: true; model?: string; yaml?: string } | { ok: false; error: string };

export const ANOMALY_KINDS: readonly AnomalyKind[] = [...ITEM_KINDS, 'rate'];

/** Applies one request to an engine and flushes it; throws BulwarkError on a bad request. */
export function applyControl(engine: BaselineEngine, req: ControlRequest, now = Date.now()): ControlResult {
  switch (req.op) {
    case 'accept': {
      if (!ANOMALY_KINDS.includes(req.kind)) throw new BulwarkError('E_USAGE', `--kind "${req.kind}": expected one of ${ANOMALY_KINDS.join(', ')}`);
      if (req.kind === 'rate' && req.what !== 'exec/min' && req.what !== 'connect/min') {
        throw new BulwarkError('E_USAGE', `--what "${req.what}": a rate is exec/min or connect/min`);
      }
      const anomaly: Anomaly = { model: req.model, kind: req.kind, what: req.what, score: 0, reason: 'accepted by an operator', time: now };
      engine.accept(req.model, anomaly);
      engine.flush();
      return { ok: true, model: req.model };
    }
    case 'import': {
      const key = engine.importYaml(req.yaml, req.file);
      engine.flush();
      return { ok: true, model: key };
    }
    case 'export': {
      engine.flush();
      return { ok: true, model: req.model, yaml: engine.exportYaml(req.model) };
    }
  }
}

/** CLI side: hands `req` to the running agent and waits for its answer. */
export async function sendControl(controlDir: string, req: ControlRequest, timeoutMs = 10_000): Promise<ControlResult> {
  mkdirSync(controlDir, { recursive: true });
  const id = `${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(controlDir, `${id}.tmp`);
  writeFileSync(tmp, JSON.stringify(req));
  renameSync(tmp, join(controlDir, `${id}.json`));
  const done = join(controlDir, `${id}.done`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(50);
    let text: string;
    try {
      text = readFileSync(done, 'utf8');
    } catch {
      continue;
    }
    rmSync(done, { force: true });
    return JSON.parse(text) as ControlResult;
  }
  rmSync(join(controlDir, `${id}.json`), { force: true });
  throw new BulwarkError('E_TIMEOUT', `the running agent did not answer within ${timeoutMs / 1000} s (control folder ${controlDir})`);
}

/** Agent side: applies every pending request in `controlDir` (oldest first) and answers each. */
export function serveControl(controlDir: string, engine: BaselineEngine): number {
  let names: string[];
  try {
    names = readdirSync(controlDir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(controlDir, name);
    let result: ControlResult;
    try {
      const req = JSON.parse(readFileSync(path, 'utf8')) as ControlRequest;
      result = applyControl(engine, req);
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
    }
    const id = name.slice(0, -'.json'.length);
    const tmp = join(controlDir, `${id}.done-tmp`);
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, join(controlDir, `${id}.done`));
    rmSync(path, { force: true });
  }
  return names.length;
}
