/**
 * Where alerts go: stdout and a file as JSON lines, and webhooks (one JSON alert per POST). Several
 * sinks run at once; write() never blocks nor throws, failures are counted in stats().
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { request } from 'undici';
import type { Alert } from './alert.js';

export interface SinkStats {
  name: string;
  /** Alerts delivered (written, or POSTed with a 2xx answer). */
  sent: number;
  /** Alerts given up on (write error, retries exhausted, a 4xx answer). */
  failed: number;
  /** Alerts refused because the sink's own backlog was full. */
  dropped: number;
  /** Webhook: attempts retried after a 5xx or a connection error. */
  retries: number;
  lastError?: string;
}

export interface Sink {
  readonly name: string;
  write(alert: Alert): void;
  /** Delivers what is pending (webhooks: until `deadlineMs`) and releases the sink. */
  close(deadlineMs?: number): Promise<void>;
  stats(): SinkStats;
}

function newStats(name: string): SinkStats {
  return { name, sent: 0, failed: 0, dropped: 0, retries: 0 };
}

/** JSON lines on a stream (stdout by default). */
export class StreamSink implements Sink {
  private readonly s: SinkStats;
  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    readonly name = 'stdout',
  ) {
    this.s = newStats(name);
  }

  write(alert: Alert): void {
    try {
      this.stream.write(`${JSON.stringify(alert)}\n`);
      this.s.sent++;
    } catch (e) {
      this.s.failed++;
      this.s.lastError = (e as Error).message;
    }
  }

  async close(): Promise<void> {}

  stats(): SinkStats {
    return { ...this.s };
  }
}

/** JSON lines appended to a file (created with its directory). */
export class FileSink implements Sink {
  readonly name: string;
  private readonly s: SinkStats;
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.name = `file:${path}`;
    this.s = newStats(this.name);
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (e) => {
      this.s.lastError = e.message;
    });
  }

  write(alert: Alert): void {
    this.stream.write(`${JSON.stringify(alert)}\n`, (e) => {
      if (e) {
        this.s.failed++;
        this.s.lastError = e.message;
      } else this.s.sent++;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.closed || this.stream.destroyed) return resolve();
      this.stream.end(() => resolve());
    });
  }

  stats(): SinkStats {
    return { ...this.s };
  }
}

export interface WebhookOptions {
  /** Concurrent POSTs at most (default 4). */
  maxInFlight?: number;
  /** Alerts waiting for a slot at most; beyond, they are dropped (default 1000). */
  maxBacklog?: number;
  /** Retries after a 5xx/429 or a connection error (default 5). */
  retries?: number;
  /** First retry delay, doubled each time up to maxBackoffMs (default 500 ms .. 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Bound on each attempt (default 10 s). */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** POSTs each alert as JSON to `url`, retrying 5xx/429 and connection errors with exponential backoff. */
export class WebhookSink implements Sink {
  readonly name: string;
  private readonly s: SinkStats;
  private readonly backlog: Alert[] = [];
  private inFlight = 0;
  private readonly o: Required<Omit<WebhookOptions, 'headers'>> & { headers: Record<string, string> };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private idle: (() => void) | undefined;
  private closed = false;

  constructor(
    readonly url: string,
    options: WebhookOptions = {},
  ) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`webhook ${url}: expected an http(s) URL`);
    this.name = `webhook:${u.origin}${u.pathname}`;
    this.s = newStats(this.name);
    this.o = {
      maxInFlight: options.maxInFlight ?? 4,
      maxBacklog: options.maxBacklog ?? 1000,
      retries: options.retries ?? 5,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      headers: options.headers ?? {},
    };
  }

  write(alert: Alert): void {
    if (this.closed) {
      this.s.dropped++;
      return;
    }
    if (this.backlog.length >= this.o.maxBacklog) {
      this.s.dropped++;
      return;
    }
    this.backlog.push(alert);
    this.pump();
  }

  /** Waits for the backlog and the POSTs in flight, at most `deadlineMs` (default 5 s); the rest counts as failed. */
  async close(deadlineMs = 5000): Promise<void> {
    this.closed = true;
    if (this.inFlight > 0 || this.backlog.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
      ]);
      clearTimeout(timer);
    }
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.s.failed += this.backlog.length;
    this.backlog.length = 0;
  }

  stats(): SinkStats {
    return { ...this.s };
  }

  private pump(): void {
    while (this.inFlight < this.o.maxInFlight && this.backlog.length > 0) {
      const alert = this.backlog.shift()!;
      this.inFlight++;
      void this.deliver(JSON.stringify(alert), 0).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.backlog.length === 0) this.idle?.();
      });
    }
  }

  private async deliver(body: string, attempt: number): Promise<void> {
    let retry: boolean;
    try {
      const res = await request(this.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'bulwark-runtime', ...this.o.headers },
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.o.timeoutMs)]),
      });
      await res.body.dump().catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300) {
        this.s.sent++;
        return;
      }
      this.s.lastError = `HTTP ${res.statusCode}`;
      retry = res.statusCode >= 500 || res.statusCode === 429;
    } catch (e) {
      this.s.lastError = (e as Error).message;
      retry = !this.abort.signal.aborted;
    }
    if (!retry || attempt >= this.o.retries) {
      this.s.failed++;
      return;
    }
    this.s.retries++;
    const delay = Math.min(this.o.backoffMs * 2 ** attempt, this.o.maxBackoffMs);
    const ok = await new Promise<boolean>((resolve) => {
      const onAbort = (): void => resolve(false);
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.abort.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, delay);
      this.timers.add(t);
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
    if (!ok) {
      this.s.failed++;
      return;
    }
    return this.deliver(body, attempt + 1);
  }
}
