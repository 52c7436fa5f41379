/**
 * Docker Engine events sensor: the engine's /events stream filtered to containers (start, die,
 * exec_start) → container_start / container_stop / container_exec.
 *
 * start() resolves whether or not the engine answers: when it does not, the sensor counts an error
 * ("engine unreachable: <reason>") and keeps trying with exponential backoff (backoffMs doubling up to
 * maxBackoffMs), counting each attempt in `restarts`. The same happens when the stream ends (engine
 * restart). Every reconnect asks for `since` (the last event seen, else the time start() was called),
 * so events the engine kept from the gap are replayed; events already emitted are not emitted twice.
 * stop() cancels a pending retry and aborts a connection attempt in flight.
 */
import Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { engineConnection } from '../../sources/engine/docker-engine.js';
import type { RuntimeEvent, RuntimeEventType } from '../events.js';
import { StatsCounter, type Sensor, type SensorStats } from './types.js';

export interface DockerSensorOptions {
  dockerHost?: string;
  /** An existing client (tests, or to share one with the attributor). */
  docker?: Docker;
  /** First retry delay (ms); doubles on each failed attempt. Default 500. */
  backoffMs?: number;
  /** Cap of the retry delay (ms). Default 30 000. */
  maxBackoffMs?: number;
  /** An attempt whose response headers do not come within this many ms is abandoned (and retried). Default 10 000. */
  connectTimeoutMs?: number;
  /** Called with each error also counted in stats() (engine unreachable, stream ended, ...). */
  onError?: (message: string) => void;
}

interface EngineEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  from?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

const ACTIONS: Record<string, RuntimeEventType> = { start: 'container_start', die: 'container_stop', exec_start: 'container_exec' };

/** Maps one engine event to a RuntimeEvent; undefined for actions the sensor ignores. */
export function engineEventToRuntime(e: EngineEvent): RuntimeEvent | undefined {
  if ((e.Type ?? 'container') !== 'container') return undefined;
  // exec_start's action is "exec_start: sh -c ..." (the command follows a colon).
  const action = (e.Action ?? e.status ?? '').split(':')[0]!.trim();
  const type = ACTIONS[action];
  const id = e.Actor?.ID ?? e.id;
  if (!type || !id) return undefined;
  const attrs = e.Actor?.Attributes ?? {};
  const time = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? Date.now() / 1000) * 1000;
  const image = attrs['image'] ?? e.from;
  const event: RuntimeEvent = {
    time,
    type,
    sensor: 'docker',
    container: { id, ...(attrs['name'] ? { name: attrs['name'] } : {}), ...(image ? splitImage(image) : {}) },
  };
  if (type === 'container_exec') {
    const command = (e.Action ?? '').split(':').slice(1).join(':').trim();
    if (command) event.arg = command;
  }
  if (type === 'container_stop' && attrs['exitCode'] !== undefined) event.arg = Number(attrs['exitCode']);
  return event;
}

/** "reg:5000/a/b:tag@sha256:..." → repository "reg:5000/a/b", tag "tag" (digest dropped). */
export function splitImage(ref: string): { imageRepository: string; imageTag?: string } {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { imageRepository: noDigest.slice(0, colon), imageTag: noDigest.slice(colon + 1) };
  return { imageRepository: noDigest };
}

export class DockerSensor implements Sensor {
  readonly id = 'docker' as const;
  private readonly counter = new StatsCounter();
  private readonly docker: Docker;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly connectTimeoutMs: number;
  private readonly onError: ((message: string) => void) | undefined;
  private backoff: number;
  private stream: Readable | undefined;
  private emit: ((e: RuntimeEvent) => void) | undefined;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  /** Aborts a getEvents() in flight (stop() while connecting). */
  private abort: AbortController | undefined;
  /** Seconds since the epoch when start() was called: `since` of a first connection that comes late. */
  private startedAt: number | undefined;
  /** Seconds since the epoch of the last event seen, for `since` on reconnect. */
  private lastTime: number | undefined;
  /** Events seen in second `lastTime`: a replay from `since` (whole seconds) repeats them. */
  private seenInLastSecond = new Set<string>();

  constructor(options: DockerSensorOptions = {}) {
    this.docker = options.docker ?? new Docker(engineConnection(options.dockerHost));
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = Math.max(options.maxBackoffMs ?? 30_000, this.backoffMs);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.onError = options.onError;
    this.backoff = this.backoffMs;
  }

  /** Resolves once connected, or once the first attempt failed and a retry is scheduled. Never rejects for an absent engine. */
  async start(emit: (e: RuntimeEvent) => void): Promise<void> {
    this.emit = emit;
    this.stopping = false;
    this.backoff = this.backoffMs;
    this.startedAt ??= Math.floor(Date.now() / 1000);
    try {
      await this.connect();
    } catch (e) {
      if (this.stopping) return;
      this.error(`engine unreachable: ${(e as Error).message}`);
      this.reconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    const stream = this.stream;
    this.stream = undefined;
    stream?.destroy();
  }

  stats(): SensorStats {
    return this.counter.snapshot();
  }

  /** True while an event stream is open. */
  get connected(): boolean {
    return this.stream !== undefined;
  }

  private error(message: string): void {
    this.counter.error(message);
    this.onError?.(message);
  }

  private async connect(): Promise<void> {
    const filters = { type: ['container' as const], event: ['start', 'die', 'exec_start'] };
    const since = this.lastTime ?? (this.counter.restarts > 0 ? this.startedAt : undefined);
    const abort = new AbortController();
    this.abort = abort;
    const options = { filters, ...(since !== undefined ? { since } : {}), abortSignal: abort.signal } as Docker.GetEventsOptions;
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.connectTimeoutMs);
    let stream: Readable;
    try {
      stream = (await this.docker.getEvents(options)) as unknown as Readable;
    } catch (e) {
      if (timedOut) throw new Error(`no answer within ${this.connectTimeoutMs} ms`);
      throw e;
    } finally {
      clearTimeout(timeout);
      if (this.abort === abort) this.abort = undefined;
    }
    if (this.stopping) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    this.backoff = this.backoffMs;
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) this.onLine(line);
      }
    });
    const ended = (why: string): void => {
      if (this.stream !== stream || this.stopping) return;
      this.stream = undefined;
      this.error(`engine event stream ${why}`);
      this.reconnect();
    };
    stream.on('end', () => ended('ended'));
    stream.on('close', () => ended('closed'));
    stream.on('error', (e: Error) => ended(`failed: ${e.message}`));
  }

  private reconnect(): void {
    if (this.stopping) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.maxBackoffMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping) return;
      this.counter.restarts++;
      this.connect().catch((e: unknown) => {
        if (this.stopping) return;
        this.error(`engine unreachable: ${(e as Error).message}`);
        this.reconnect();
      });
    }, delay);
  }

  private onLine(line: string): void {
    let raw: EngineEvent;
    try {
      raw = JSON.parse(line) as EngineEvent;
    } catch {
      this.counter.dropped++;
      this.error(`unparseable engine event: ${line.slice(0, 200)}`);
      return;
    }
    if (raw.time !== undefined) {
      // A replay from `since` starts at the whole second of the last event: skip what was emitted.
      if (this.lastTime !== undefined && raw.time < this.lastTime) return;
      const key = `${raw.timeNano ?? ''}|${raw.Actor?.ID ?? raw.id ?? ''}|${raw.Action ?? raw.status ?? ''}`;
      if (raw.time === this.lastTime) {
        if (this.seenInLastSecond.has(key)) return;
      } else {
        this.lastTime = raw.time;
        this.seenInLastSecond = new Set();
      }
      this.seenInLastSecond.add(key);
    }
    const event = engineEventToRuntime(raw);
    if (!event || this.stopping || !this.emit) return;
    this.counter.events++;
    this.emit(event);
  }
}
