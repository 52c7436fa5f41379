/**
 * Real-registry fixtures: a CNCF distribution registry (`docker-registry serve`) on 127.0.0.1,
 * open, htpasswd-protected or token-protected (with a tiny JWT token server in this process),
 * plus helpers to build docker-archive tars and push images, indexes and artifacts into it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

const run = promisify(execFile);

export type RegistryAuth =
  | { kind: 'open' }
  | { kind: 'htpasswd'; username: string; password: string }
  | { kind: 'token'; username: string; password: string };

export interface TokenServer {
  url: string;
  /** How many tokens were issued, to check that the client re-uses its token. */
  issued: number;
  stop(): Promise<void>;
}

export interface RunningRegistry {
  /** 127.0.0.1:PORT */
  host: string;
  url: string;
  dir: string;
  rootDir: string;
  token?: TokenServer;
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

export const TOKEN_SERVICE = 'bulwark-test-registry';
export const TOKEN_ISSUER = 'bulwark-test-issuer';

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function registryConfig(dir: string, port: number, authYaml: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomUUID()}`,
    authYaml,
  ].join('\n');
}

async function htpasswdYaml(dir: string, username: string, password: string): Promise<string> {
  const { stdout } = await run('htpasswd', ['-Bbn', username, password]);
  const path = join(dir, 'htpasswd');
  await writeFile(path, stdout);
  return ['auth:', '  htpasswd:', '    realm: bulwark-test', `    path: ${path}`].join('\n');
}

async function tokenYaml(dir: string, username: string, password: string): Promise<{ yaml: string; token: TokenServer }> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=bulwark-test-token-signer']);
  const token = await startTokenServer(await readFile(keyPath, 'utf8'), await readFile(certPath, 'utf8'), username, password);
  const yaml = [
    'auth:',
    '  token:',
    `    realm: ${token.url}`,
    `    service: ${TOKEN_SERVICE}`,
    `    issuer: ${TOKEN_ISSUER}`,
    `    rootcertbundle: ${certPath}`,
  ].join('\n');
  return { yaml, token };
}

export async function startRegistry(auth: RegistryAuth): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-registry-'));
  const port = await freePort();
  let authYaml = '';
  let token: TokenServer | undefined;
  if (auth.kind === 'htpasswd') authYaml = await htpasswdYaml(dir, auth.username, auth.password);
  if (auth.kind === 'token') ({ yaml: authYaml, token } = await tokenYaml(dir, auth.username, auth.password));
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, registryConfig(dir, port, authYaml));
  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForRegistry(url, child, () => stderr);
  } catch (e) {
    child.kill('SIGKILL');
    await token?.stop();
    throw e;
  }
  const rootDir = join(dir, 'data');
  return {
    host: `127.0.0.1:${port}`,
    url,
    dir,
    rootDir,
    token,
    blobPath: (digest) => {
      const hex = digest.replace(/^sha256:/, '');
      return join(rootDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    stop: async () => {
      await stopProcess(child);
      await token?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForRegistry(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer on ${url}/v2/: ${stderr()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// ---- token server ----

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

function parseScopes(url: URL): Access[] {
  return url.searchParams.getAll('scope').flatMap((scope) => {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last === first) return [];
    return [{ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') }];
  });
}

/** Signs an RS256 JWT that the registry accepts: x5c carries the cert from its rootcertbundle. */
function signJwt(keyPem: string, certPem: string, subject: string, access: Access[]): string {
  const der = new X509Certificate(certPem).raw.toString('base64');
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [der] };
  const claims = { iss: TOKEN_ISSUER, sub: subject, aud: TOKEN_SERVICE, exp: now + 600, nbf: now - 30, iat: now, jti: randomUUID(), access };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey(keyPem));
  return `${input}.${base64url(signature)}`;
}

function basicUser(req: IncomingMessage): { user: string; pass: string } | undefined {
  const value = req.headers.authorization;
  if (!value?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(value.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/** Known user: every requested action; anonymous: a token with no access (the registry then refuses). */
export async function startTokenServer(keyPem: string, certPem: string, username: string, password: string): Promise<TokenServer> {
  const state = { issued: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const creds = basicUser(req);
    if (creds && (creds.user !== username || creds.pass !== password)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = creds ? parseScopes(url) : [];
    state.issued++;
    const token = signJwt(keyPem, certPem, creds?.user ?? '', access);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 600 }));
  });
  const host = await listen(server);
  return {
    url: `http://${host}/token`,
    get issued() {
      return state.issued;
    },
    stop: () => closeServer(server),
  };
}

// ---- images ----

export interface LayerSpec {
  files: Record<string, string>;
}

export interface ImageSpec {
  layers: LayerSpec[];
  architecture?: string;
  os?: string;
  variant?: string;
  /** Makes the config (and so every digest) unique per test. */
  label?: string;
}

export interface BuiltImage {
  config: Buffer;
  configDigest: string;
  /** Uncompressed layer tars, in order. */
  layers: Buffer[];
  diffIds: string[];
}

export async function layerTar(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  return buffer(pack);
}

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const layers = await Promise.all(spec.layers.map((l) => layerTar(l.files)));
  const diffIds = layers.map((l) => sha256(l));
  const config = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: spec.os ?? 'linux',
      ...(spec.variant ? { variant: spec.variant } : {}),
      config: { Env: ['PATH=/usr/bin'], Cmd: ['/bin/sh'], Labels: { 'test.label': spec.label ?? 'none' } },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
    }),
  );
  return { config, configDigest: sha256(config), layers, diffIds };
}

/** Writes the layout `docker save` produces: <hex>.json config, <hex>/layer.tar, manifest.json. */
export async function writeDockerArchive(path: string, image: BuiltImage, repoTag: string): Promise<void> {
  const pack = tar.pack();
  const configName = `${image.configDigest.slice(7)}.json`;
  const layerNames = image.diffIds.map((d) => `${d.slice(7)}/layer.tar`);
  pack.entry({ name: configName }, image.config);
  image.layers.forEach((layer, i) => pack.entry({ name: layerNames[i]! }, layer));
  pack.entry({ name: 'manifest.json' }, JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: layerNames }]));
  pack.finalize();
  await writeFile(path, await buffer(pack));
}

export async function skopeoCopy(archive: string, dest: string, creds?: { username: string; password: string }): Promise<void> {
  const args = ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false'];
  if (creds) args.push('--dest-creds', `${creds.username}:${creds.password}`);
  await run('skopeo', [...args, `docker-archive:${archive}`, `docker://${dest}`], { timeout: 60_000 });
}

// ---- pushing over HTTP (open registry) ----

export async function pushBlob(registryUrl: string, repo: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start: HTTP ${start.status}`);
  const location = new URL(start.headers.get('location') ?? '', registryUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`upload ${digest}: HTTP ${put.status} ${await put.text()}`);
  return digest;
}

export async function pushManifest(registryUrl: string, repo: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': mediaType } });
  if (res.status !== 201) throw new Error(`manifest ${repo}:${reference}: HTTP ${res.status} ${await res.text()}`);
  return sha256(body);
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Pushes an OCI image (gzip layers) under `tag`, or by digest only (no tag, like an index child) when undefined; returns its manifest digest and bytes. */
export async function pushOciImage(registryUrl: string, repo: string, tag: string | undefined, image: BuiltImage): Promise<{ digest: string; manifest: Buffer; layerDigests: string[] }> {
  await pushBlob(registryUrl, repo, image.config);
  const gz = image.layers.map((l) => gzipSync(l));
  const layerDigests = await Promise.all(gz.map((g) => pushBlob(registryUrl, repo, g)));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.configDigest, size: image.config.length },
      layers: gz.map((g, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigests[i], size: g.length })),
    }),
  );
  const digest = await pushManifest(registryUrl, repo, tag ?? sha256(manifest), OCI_MANIFEST, manifest);
  return { digest, manifest, layerDigests };
}
