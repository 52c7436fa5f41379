/**
 * The runtime agent: sensors -> bounded queue -> attribution -> per event: baseline observe (anomalies
 * while monitoring), rule evaluation, drift checks (async, whatever the baseline state) -> at most one
 * alert per event carrying every reason -> every sink. Writes a status file every few seconds and serves the control folder (control.ts).
 */
import type { BaselineEngine } from '../baseline/engine.js';
import type { DriftFinding } from '../drift/detector.js';
import type { RuntimeEvent } from '../events.js';
import type { RuleAlert } from '../rules/engine.js';
import type { Sensor } from '../sensors/types.js';
import { anomalyWhy, driftWhy, eventAlert, ruleWhy, type Alert, type Why, type WhySource } from './alert.js';
import { serveControl } from './control.js';
import { BoundedQueue } from './queue.js';
import type { Sink } from './sinks.js';
import { STATUS_VERSION, writeStatusFile, type AgentStatus } from './status.js';

export interface AgentOptions {
  sensors: Sensor[];
  sinks: Sink[];
  /** Fills event.container (the real Attributor, or a stub). Default: events as they come. */
  attributor?: { attribute(e: RuntimeEvent): Promise<RuntimeEvent> };
  /** `examines`, when given, spares the asynchronous round trip for events the checks never look at. */
  drift?: { check(e: RuntimeEvent): Promise<DriftFinding[]>; examines?(e: RuntimeEvent): boolean };
  baseline?: BaselineEngine;
  rules?: { evaluate(e: RuntimeEvent): readonly RuleAlert[] };
  /** Events waiting for processing at most; beyond, they are dropped and counted (default 10000). */
  queueCapacity?: number;
  /** Concurrent drift checks at most; processing waits for a slot beyond (default 32). */
  maxDriftInFlight?: number;
  /** Status file written every statusIntervalMs (default 2 s); none when unset. */
  statusFile?: string;
  statusIntervalMs?: number;
  /** Control folder polled every controlIntervalMs (default 250 ms); none when unset. */
  controlDir?: string;
  controlIntervalMs?: number;
  /** Store path shown in the status. */
  storePath?: string;
  /** Told about processing errors (the CLI logs them to stderr). */
  onError?: (message: string) => void;
}

/**
 * The container runtime's own setup inside a new container or `docker exec` before the entrypoint runs:
 * `runc init` (exe shown as "/" or a memfd) and its stages runc:[0:PARENT], runc:[1:CHILD], runc:[2:INIT]
 * mounting /proc, /sys and the rootfs, and runc mounting its cloned binary below .../runtime-runc/.
 * That is in the container's cgroup but is not the container's behaviour: no drift, no baseline, no rules
 * (else every container start is a "Mount in container" and a binary "/" not in the image).
 */
export function isRuntimeInit(ev: RuntimeEvent): boolean {
  const p = ev.proc;
  if (p === undefined) return false;
  // The comm alone can be set by any process (prctl): the stage names count only with runc's own exe
  // ("/" for its sealed clone, a memfd or descriptor, or the runc binary).
  const runcExe = p.exepath === undefined || p.exepath === '/' || p.exepath.endsWith('/runc') || /^\/(memfd:|dev\/fd\/|proc\/self\/)/.test(p.exepath);
  if (p.name.startsWith('runc:[') && runcExe) return true;
  const fromRunc = p.pname === 'runc' || p.pexepath?.endsWith('/runc') === true;
  if (fromRunc && p.args?.[0] === 'runc' && p.args[1] === 'init') return true;
  // runc re-executing its sealed clone by descriptor (execveat of a memfd) as the container's init.
  if (fromRunc && ev.type === 'exec' && p.name === 'runc' && /^(\/|\/proc\/self\/exe|\/(dev|proc\/self)\/fd\/\d+)$/.test(p.exepath ?? '')) return true;
  // runc itself (cloned as "exe") mounting its own binary below its state dir while it joins the container.
  // Its exe is the runc binary or, once sealed, "/" or a memfd (seen as `exe <- runc`).
  return ev.type === 'mount' && (runcExe || fromRunc) && /\/runtime-runc\//.test(ev.file?.path ?? '');
}

export class RuntimeAgent {
  readonly queue: BoundedQueue<RuntimeEvent>;
  private readonly o: AgentOptions;
  private readonly alertCounts: { total: number } & Record<WhySource, number> = { total: 0, rule: 0, anomaly: 0, drift: 0 };
  private readonly errors: AgentStatus['errors'] = { attribution: 0, drift: 0, rules: 0, baseline: 0 };
  private processed = 0;
  private readonly driftPending = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private startedAt = new Date();
  private listeners: Array<(a: Alert) => void> = [];
  /** The sensors that started. */
  private sensors: Sensor[] = [];

  constructor(options: AgentOptions) {
    this.o = options;
    this.queue = new BoundedQueue(options.queueCapacity ?? 10_000);
  }

  /** Called for every alert after the sinks (tests, embedding). */
  onAlert(listener: (a: Alert) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    this.startedAt = new Date();
    this.stopping = false;
    this.loop = this.run();
    const emit = (e: RuntimeEvent): void => {
      if (!this.stopping) this.queue.push(e);
    };
    // One sensor failing (no engine for the Docker sensor) does not stop the others.
    const live: Sensor[] = [];
    for (const s of this.o.sensors) {
      try {
        await s.start(emit);
        live.push(s);
      } catch (e) {
        this.o.onError?.(`sensor ${s.id} did not start: ${(e as Error).message}`);
      }
    }
    if (this.o.sensors.length > 0 && live.length === 0) {
      this.stopping = true;
      this.queue.wake();
      await this.loop;
      throw new Error('no sensor could start');
    }
    this.sensors = live;
    if (this.o.statusFile) {
      this.writeStatus(true);
      this.timers.push(setInterval(() => this.writeStatus(true), this.o.statusIntervalMs ?? 2000));
    }
    if (this.o.controlDir && this.o.baseline) {
      const dir = this.o.controlDir;
      const engine = this.o.baseline;
      this.timers.push(
        setInterval(() => {
          try {
            serveControl(dir, engine);
          } catch (e) {
            this.error('baseline', `control: ${(e as Error).message}`);
          }
        }, this.o.controlIntervalMs ?? 250),
      );
    }
    if (this.o.baseline) {
      const engine = this.o.baseline;
      // Models switch to monitoring on time alone, without waiting for an event.
      this.timers.push(setInterval(() => engine.tick(Date.now()), 1000));
    }
  }

  /** Stops the sensors, processes what is queued, waits for drift checks, flushes the store, closes the sinks. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.allSettled(this.sensors.map((s) => s.stop()));
    this.queue.wake();
    await this.loop;
    await Promise.allSettled([...this.driftPending]);
    try {
      this.o.baseline?.flush();
    } catch (e) {
      this.error('baseline', `flush: ${(e as Error).message}`);
    }
    if (this.o.controlDir && this.o.baseline) serveControl(this.o.controlDir, this.o.baseline);
    if (this.o.statusFile) this.writeStatus(false);
    await Promise.allSettled(this.o.sinks.map((s) => s.close()));
  }

  /** Resolves once the queue is empty and no drift check is pending (tests). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.driftPending.size > 0 || this.busy) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  status(running = true): AgentStatus {
    const s: AgentStatus = {
      version: STATUS_VERSION,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      running,
      sensors: this.sensors.map((x) => ({ id: x.id, ...x.stats() })),
      queue: { capacity: this.queue.capacity, depth: this.queue.length, accepted: this.queue.accepted, dropped: this.queue.dropped, processed: this.processed },
      alerts: { ...this.alertCounts },
      errors: { ...this.errors },
      sinks: this.o.sinks.map((x) => x.stats()),
      models: this.o.baseline?.status() ?? [],
    };
    if (this.o.storePath) s.store = this.o.storePath;
    return s;
  }

  private writeStatus(running: boolean): void {
    try {
      writeStatusFile(this.o.statusFile!, this.status(running));
    } catch (e) {
      this.o.onError?.(`status file: ${(e as Error).message}`);
    }
  }

  private busy = false;

  private async run(): Promise<void> {
    for (;;) {
      const ev = this.queue.shift();
      if (ev === undefined) {
        if (this.stopping) return;
        this.busy = false;
        await this.queue.wait();
        continue;
      }
      this.busy = true;
      await this.process(ev);
      this.processed++;
    }
  }

  private async process(raw: RuntimeEvent): Promise<void> {
    if (isRuntimeInit(raw)) return;
    let ev = raw;
    if (this.o.attributor) {
      try {
        ev = await this.o.attributor.attribute(raw);
      } catch (e) {
        this.error('attribution', (e as Error).message);
      }
    }
    // Every reason this one event raises goes into one alert; drift is asynchronous (the image index), so
    // the alert waits for it when a drift check runs.
    const reasons: Why[] = [];
    if (this.o.baseline) {
      try {
        for (const a of this.o.baseline.observe(ev)) reasons.push(anomalyWhy(a));
      } catch (e) {
        this.error('baseline', (e as Error).message);
      }
    }
    if (this.o.rules) {
      try {
        for (const r of this.o.rules.evaluate(ev)) reasons.push(ruleWhy(r));
      } catch (e) {
        this.error('rules', (e as Error).message);
      }
    }
    if (!this.o.drift || this.o.drift.examines?.(ev) === false) {
      if (reasons.length > 0) this.publish(eventAlert(ev, reasons));
      return;
    }
    while (this.driftPending.size >= (this.o.maxDriftInFlight ?? 32)) await Promise.race(this.driftPending);
    const p: Promise<void> = this.o.drift
      .check(ev)
      .then(
        (findings) => {
          for (const f of findings) reasons.push(driftWhy(f));
          return findings[0]?.container;
        },
        (e: unknown) => {
          this.error('drift', (e as Error).message);
          return undefined;
        },
      )
      .then((attributed) => {
        if (reasons.length > 0) this.publish(eventAlert(ev, reasons, attributed));
      })
      .finally(() => this.driftPending.delete(p));
    this.driftPending.add(p);
  }

  private publish(alert: Alert): void {
    this.alertCounts.total++;
    for (const w of alert.why) this.alertCounts[w.source]++;
    for (const s of this.o.sinks) s.write(alert);
    for (const l of this.listeners) l(alert);
  }

  private error(kind: keyof Omit<AgentStatus['errors'], 'lastError'>, message: string): void {
    this.errors[kind]++;
    this.errors.lastError = `${kind}: ${message}`;
    this.o.onError?.(`${kind}: ${message}`);
  }
}
