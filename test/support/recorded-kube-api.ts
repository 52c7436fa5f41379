/**
 * A recorded Kubernetes API server for the live-cluster tests: node:http on 127.0.0.1 (port 0) answering GET
 * requests from the JSON a real kube-apiserver v1.30 sent (test/fixtures/k8s/api/<path>.json), with the
 * apiserver's own behaviour around it: bearer-token check (401 Status), limit/continue pagination,
 * namespaced lists cut from the all-namespaces list, 404 Status for unknown paths, 405 for writes.
 * Every request is recorded; a path can be told to answer 403, 500 or never answer.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/k8s/api/', import.meta.url));
export const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.recorded.token';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

export type Override = { status: 403 | 500 | 404 | 401 } | { stall: true } | { body: string; status?: number } | { hugeBytes: number };

interface KubeList {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  items: { metadata: { name: string; namespace?: string } }[];
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 410: 'Expired', 500: 'InternalError' };

function status(code: number, message: string, details?: Record<string, unknown>): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'Unknown', ...(details ? { details } : {}), code });
}

/** "pods" of /api/v1/pods, group "" ; "deployments" of /apis/apps/v1/..., group "apps". */
function resourceOf(path: string): { group: string; resource: string } {
  const parts = path.split('/').filter(Boolean);
  const group = parts[0] === 'apis' ? parts[1]! : '';
  return { group, resource: parts[parts.length - 1]! };
}

function forbiddenMessage(path: string): string {
  if (!path.startsWith('/api')) return `forbidden: User "system:serviceaccount:ci:bulwark-scanner" cannot get path "${path}"`;
  const { group, resource } = resourceOf(path);
  const ns = /\/namespaces\/([^/]+)\//.exec(path)?.[1];
  const scope = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
  return `${resource}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:ci:bulwark-scanner" cannot list resource "${resource}" in API group "${group}" ${scope}`;
}

function continueToken(rv: string, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: `${start}\u0000` })).toString('base64');
}

export class RecordedKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly overrides = new Map<string, Override>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  /** `path` exactly as requested (no query), e.g. "/apis/networking.k8s.io/v1/networkpolicies". */
  override(path: string, answer: Override): void {
    this.overrides.set(path, answer);
  }

  /** Forgets recorded requests and overrides (between tests sharing one server). */
  reset(): void {
    this.requests.length = 0;
    this.overrides.clear();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    this.requests.push({ method: req.method ?? '', path, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization });
    const send = (code: number, body: string): void => {
      res.writeHead(code, { 'Content-Type': 'application/json', 'Audit-Id': `audit-${this.requests.length}`, 'Cache-Control': 'no-cache, private' });
      res.end(body);
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, status(401, 'Unauthorized'));
    if (req.method !== 'GET') return send(405, status(405, `the server does not allow this method on the requested resource`));
    const override = this.overrides.get(path);
    if (override) {
      if ('stall' in override) return; // accept, never answer
      if ('hugeBytes' in override) {
        // Announce a body far larger than any list answer, send its first bytes, then hold the connection.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(override.hugeBytes) });
        res.write('{"kind":"DeploymentList","items":[');
        return;
      }
      if ('body' in override) return send(override.status ?? 200, override.body);
      if (override.status === 403) return send(403, status(403, forbiddenMessage(path), { group: resourceOf(path).group, kind: resourceOf(path).resource }));
      if (override.status === 500) return send(500, status(500, 'Internal error occurred: etcdserver: request timed out'));
      return send(override.status, status(override.status, override.status === 404 ? 'the server could not find the requested resource' : 'Unauthorized'));
    }
    const answer = this.answer(path, url.searchParams);
    if (answer === undefined) return send(404, status(404, 'the server could not find the requested resource', { }));
    send(answer.code, answer.body);
  }

  private answer(path: string, query: URLSearchParams): { code: number; body: string } | undefined {
    if (path === '/version') return { code: 200, body: readFileSync(join(FIXTURE_DIR, 'version.json'), 'utf8') };
    // GET /api/v1/namespaces/<name>
    const nsGet = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (nsGet) {
      const list = this.fixture('/api/v1/namespaces')!;
      const item = list.items.find((i) => i.metadata.name === nsGet[1]);
      if (!item) return { code: 404, body: status(404, `namespaces "${nsGet[1]}" not found`, { name: nsGet[1], kind: 'namespaces' }) };
      return { code: 200, body: JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', ...item }) };
    }
    // A namespaced list is the all-namespaces list cut to one namespace, as the apiserver's storage does.
    const nsList = /^(\/apis?\/.+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(path);
    const list = nsList ? this.fixture(`${nsList[1]}/${nsList[3]}`) : this.fixture(path);
    if (!list) return undefined;
    const items = nsList ? list.items.filter((i) => i.metadata.namespace === nsList[2]) : list.items;
    const limit = Number(query.get('limit') ?? '0');
    let start = 0;
    const token = query.get('continue');
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start: string };
      const key = decoded.start.replace(/\u0000$/, '');
      start = items.findIndex((i) => `${i.metadata.namespace ?? ''}/${i.metadata.name}` === key);
      if (start < 0) return { code: 410, body: status(410, 'The provided continue parameter is too old to display a consistent list result.') };
    }
    const rv = String(list.metadata.resourceVersion);
    const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
    const rest = items.length - start - page.length;
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (rest > 0) {
      const next = items[start + page.length]!;
      metadata.continue = continueToken(rv, `${next.metadata.namespace ?? ''}/${next.metadata.name}`);
      metadata.remainingItemCount = rest;
    }
    return { code: 200, body: JSON.stringify({ kind: list.kind, apiVersion: list.apiVersion, metadata, items: page }) };
  }

  private fixture(path: string): KubeList | undefined {
    const file = join(FIXTURE_DIR, `${path}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KubeList) : undefined;
  }
}

export interface TempKubeconfig {
  dir: string;
  path: string;
  cleanup(): void;
}

/** A kubeconfig with context "recorded" (server = the recorded API, bearer-token user) and "other" pointing at `otherServer`. */
export function writeKubeconfig(server: string, options: { token?: string; otherServer?: string } = {}): TempKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-kubeconfig-'));
  const path = join(dir, 'config');
  const other = options.otherServer ?? 'http://127.0.0.1:1';
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: recorded',
      '  cluster:',
      `    server: ${server}`,
      // client-node only speaks plain http to a cluster marked like this.
      ...(server.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
      '- name: other',
      '  cluster:',
      `    server: ${other}`,
      ...(other.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
      'users:',
      '- name: scanner',
      '  user:',
      `    token: ${options.token ?? TOKEN}`,
      'contexts:',
      '- name: recorded',
      '  context:',
      '    cluster: recorded',
      '    user: scanner',
      '- name: other',
      '  context:',
      '    cluster: other',
      '    user: scanner',
      'current-context: recorded',
      '',
    ].join('\n'),
  );
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
