/**
 * A real HTTP server on 127.0.0.1 that serves OSV zips as OSV's bucket does: `<base>/<Ecosystem>/all.zip`
 * with ETag and Last-Modified, answering If-None-Match / If-Modified-Since with 304. Switches make it
 * misbehave (drop the connection half-way through a body, stall, answer 500) and every request is logged.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Misbehaviour =
  /** Sends the headers (full Content-Length) and `afterBytes` of the body (default half), then destroys the socket. */
  | { kind: 'drop'; afterBytes?: number }
  /** Sends the headers and `afterBytes` of the body (default half), then nothing, holding the connection open. */
  | { kind: 'stall'; afterBytes?: number }
  /** Accepts the connection and never answers. */
  | { kind: 'stall-headers' }
  | { kind: 'status'; status: number };

export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

interface Published {
  body: Buffer;
  etag: string;
  lastModified: Date;
}

export interface OsvServer {
  /** http://127.0.0.1:PORT, to pass as --db-url. */
  baseUrl: string;
  requests: LoggedRequest[];
  /** Serves `zip` as `<Ecosystem>/all.zip` from now on; the ETag is its sha256 unless given. */
  publish(ecosystem: string, zip: Buffer, options?: { etag?: string; lastModified?: Date }): void;
  unpublish(ecosystem: string): void;
  /** Applies to every later request for that ecosystem (or all of them) until cleared. */
  misbehave(how: Misbehaviour, ecosystem?: string): void;
  behave(): void;
  /** Requests for one ecosystem's all.zip. */
  requestsFor(ecosystem: string): LoggedRequest[];
  stop(): Promise<void>;
}

export async function startOsvServer(): Promise<OsvServer> {
  const published = new Map<string, Published>();
  const misbehaviours = new Map<string | undefined, Misbehaviour>();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const log = (status: number): void => void requests.push({ method: req.method ?? 'GET', path, headers: req.headers, status });
    const match = /^\/([^/]+)\/all\.zip$/.exec(path);
    const ecosystem = match ? decodeURIComponent(match[1] ?? '') : undefined;
    const trouble = (ecosystem !== undefined ? misbehaviours.get(ecosystem) : undefined) ?? misbehaviours.get(undefined);
    if (trouble?.kind === 'stall-headers') return log(0);
    if (trouble?.kind === 'status') {
      log(trouble.status);
      res.writeHead(trouble.status, { 'content-type': 'text/plain' }).end(`injected failure ${trouble.status}\n`);
      return;
    }
    const entry = ecosystem !== undefined ? published.get(ecosystem) : undefined;
    if (req.method !== 'GET' || !entry) {
      log(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const validators = { etag: entry.etag, 'last-modified': entry.lastModified.toUTCString() };
    if (notModified(req.headers, entry)) {
      log(304);
      res.writeHead(304, validators).end();
      return;
    }
    log(200);
    res.writeHead(200, { ...validators, 'content-type': 'application/zip', 'content-length': String(entry.body.length) });
    if (trouble?.kind === 'drop' || trouble?.kind === 'stall') {
      const cut = Math.min(trouble.afterBytes ?? Math.floor(entry.body.length / 2), entry.body.length - 1);
      res.write(entry.body.subarray(0, cut), () => {
        if (trouble.kind === 'drop') res.socket?.destroy();
      });
      return;
    }
    res.end(entry.body);
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    publish(ecosystem, zip, options = {}) {
      const etag = options.etag ?? `"${createHash('sha256').update(zip).digest('hex').slice(0, 32)}"`;
      // HTTP dates have one-second precision; keep the stored time comparable with what clients send back.
      const lastModified = new Date(Math.floor((options.lastModified ?? new Date()).getTime() / 1000) * 1000);
      published.set(ecosystem, { body: zip, etag, lastModified });
    },
    unpublish(ecosystem) {
      published.delete(ecosystem);
    },
    misbehave(how, ecosystem) {
      misbehaviours.set(ecosystem, how);
    },
    behave() {
      misbehaviours.clear();
    },
    requestsFor(ecosystem) {
      return requests.filter((r) => r.path === `/${encodeURIComponent(ecosystem)}/all.zip`);
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** RFC 9110: If-None-Match decides when present; If-Modified-Since only without it. */
function notModified(headers: IncomingHttpHeaders, entry: Published): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((tag) => tag.trim() === entry.etag || tag.trim() === '*');
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && entry.lastModified.getTime() <= since;
}
