/**
 * Docker Engine events sensor: the engine's /events stream filtered to containers (start, die,
 * exec_start) → container_start / container_stop / container_exec. Reconnects with backoff when the
 * stream ends (engine restart), counting restarts; events during the gap are replayed with `since`.
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
  backoffMs?: number;
  maxBackoffMs?: number;
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
  private backoff: number;
  private stream: Readable | undefined;
  private emit: ((e: RuntimeEvent) => void) | undefined;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  /** Seconds since the epoch of the last event seen, for `since` on reconnect. */
  private lastTime: number | undefined;

  constructor(options: DockerSensorOptions = {}) {
    this.docker = options.docker ?? new Docker(engineConnection(options.dockerHost));
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.backoff = this.backoffMs;
  }

  async start(emit: (e: RuntimeEvent) => void): Promise<void> {
    this.emit = emit;
    this.stopping = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const stream = this.stream;
    this.stream = undefined;
    stream?.destroy();
  }

  stats(): SensorStats {
    return this.counter.snapshot();
  }

  private async connect(): Promise<void> {
    const filters = { type: ['container' as const], event: ['start', 'die', 'exec_start'] };
    const options: Docker.GetEventsOptions = { filters };
    if (this.lastTime !== undefined) options.since = this.lastTime;
    const stream = (await this.docker.getEvents(options)) as unknown as Readable;
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
      this.counter.error(`engine event stream ${why}`);
      this.reconnect();
    };
    stream.on('end', () => ended('ended'));
    stream.on('error', (e: Error) => ended(`failed: ${e.message}`));
  }

  private reconnect(): void {
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.maxBackoffMs);
    this.timer = setTimeout(() => {
      if (this.stopping) return;
      this.counter.restarts++;
      this.connect().catch((e: unknown) => {
        this.counter.error(`reconnect: ${(e as Error).message}`);
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
      this.counter.error(`unparseable engine event: ${line.slice(0, 200)}`);
      return;
    }
    if (raw.time) this.lastTime = raw.time;
    const event = engineEventToRuntime(raw);
    if (!event || this.stopping || !this.emit) return;
    this.counter.events++;
    this.emit(event);
  }
}
