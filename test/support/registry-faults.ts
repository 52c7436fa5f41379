/**
 * A fault-injecting node:http proxy in front of a REAL registry (test/support/registry.ts).
 * Rules match requests and then answer with an injected status, stall, reset the connection,
 * delay, or rewrite the upstream answer; everything else is forwarded unchanged.
 * It counts requests and in-flight requests (peak) so tests can check retries and concurrency limits.
 */
import { request as httpRequest, createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { closeServer, listen } from './registry.js';

export interface ProxiedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  authorization?: string;
}

export interface Upstream {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export type FaultAction =
  /** Answer this instead of asking the registry. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string | Buffer }
  /** Accept the request and never answer (until the client gives up or the proxy stops). */
  | { kind: 'stall' }
  /** Destroy the client's socket without answering. */
  | { kind: 'reset' }
  /** Forward, but only after a pause (keeps the request in flight). */
  | { kind: 'delay'; ms: number }
  /** Forward, then change the registry's answer before sending it on. */
  | { kind: 'rewrite'; fn: (upstream: Upstream, req: ProxiedRequest) => Upstream };

export interface FaultRule {
  match: (req: ProxiedRequest) => boolean;
  action: FaultAction;
  /** Applies to this many matching requests, then falls through; default: always. */
  times?: number;
  /** How many requests this rule has handled. */
  hits?: number;
}

export interface FaultProxy {
  /** 127.0.0.1:PORT */
  host: string;
  url: string;
  rules: FaultRule[];
  requests: ProxiedRequest[];
  readonly inFlight: number;
  readonly peakInFlight: number;
  /** Forgets recorded requests and the peak; keeps rules unless `rules` is true. */
  reset(rules?: boolean): void;
  stop(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Added to every forwarded request that has no Authorization (lets open-registry push helpers write to a protected one). */
  injectAuthorization?: string;
}

export async function startFaultProxy(targetUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const state = { inFlight: 0, peak: 0 };
  const rules: FaultRule[] = [];
  const requests: ProxiedRequest[] = [];
  const stalled = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const seen: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/' };
    if (req.headers.authorization) seen.authorization = req.headers.authorization;
    requests.push(seen);
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      state.inFlight--;
    };
    res.on('close', finish);
    const rule = rules.find((r) => (r.times === undefined || (r.hits ?? 0) < r.times) && r.match(seen));
    if (rule) rule.hits = (rule.hits ?? 0) + 1;
    void handle(req, res, seen, rule?.action).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(599, { 'content-type': 'text/plain' }).end(`proxy: ${String(e)}`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, seen: ProxiedRequest, action: FaultAction | undefined): Promise<void> {
    const body = await buffer(req);
    if (action?.kind === 'status') {
      const payload = action.body === undefined ? Buffer.alloc(0) : Buffer.from(action.body);
      res.writeHead(action.status, { 'content-length': String(payload.length), ...action.headers }).end(payload);
      return;
    }
    if (action?.kind === 'stall') {
      stalled.add(res);
      return;
    }
    if (action?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
    // The client's Host is kept, so the Location and Link URLs the registry builds point back through the proxy.
    const headers = { ...req.headers };
    if (options.injectAuthorization && !headers.authorization) headers.authorization = options.injectAuthorization;
    const upstream = await forward(seen.method, seen.path, headers, body);
    const out = action?.kind === 'rewrite' ? action.fn(upstream, seen) : upstream;
    const outHeaders = { ...out.headers };
    delete outHeaders['transfer-encoding'];
    outHeaders['content-length'] = String(out.body.length);
    res.writeHead(out.status, outHeaders).end(out.body);
  }

  function forward(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const up = httpRequest({ host: target.hostname, port: target.port, method, path, headers }, (r) => {
        buffer(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: { ...r.headers }, body: b }), reject);
      });
      up.on('error', reject);
      up.end(body);
    });
  }

  const host = await listen(server);
  return {
    host,
    url: `http://${host}`,
    rules,
    requests,
    get inFlight() {
      return state.inFlight;
    },
    get peakInFlight() {
      return state.peak;
    },
    reset(clearRules = false) {
      requests.length = 0;
      state.peak = state.inFlight;
      if (clearRules) rules.length = 0;
    },
    async stop() {
      for (const res of stalled) res.destroy();
      await closeServer(server);
    },
  };
}

/** Matches a request by method (default any) and a path test. */
export function on(path: RegExp | string, method?: string): (req: ProxiedRequest) => boolean {
  return (req) => (method === undefined || req.method === method) && (typeof path === 'string' ? req.path.startsWith(path) : path.test(req.path));
}

/**
 * distribution 2.8 ignores `?n=` on tags/list; this rewrite pages the REAL tag list the way distribution 3
 * and other registries do (sorted, `last`/`n`, a relative `Link: <…>; rel="next"`).
 */
export function paginateTags(upstream: Upstream, req: ProxiedRequest): Upstream {
  if (upstream.status !== 200) return upstream;
  const url = new URL(req.path, 'http://proxy');
  const n = Number(url.searchParams.get('n') ?? '0');
  const last = url.searchParams.get('last');
  const doc = JSON.parse(upstream.body.toString()) as { name: string; tags: string[] | null };
  const all = [...(doc.tags ?? [])].sort();
  const rest = last === null ? all : all.filter((t) => t > last);
  const page = n > 0 ? rest.slice(0, n) : rest;
  const headers: OutgoingHttpHeaders = { ...upstream.headers };
  if (n > 0 && rest.length > n) headers.link = `<${url.pathname}?last=${encodeURIComponent(page[page.length - 1]!)}&n=${n}>; rel="next"`;
  return { status: 200, headers, body: Buffer.from(JSON.stringify({ name: doc.name, tags: page })) };
}
