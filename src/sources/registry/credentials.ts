import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SourceOptions } from '../types.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for error messages (never the secret itself). */
  source: string;
}

/** Credentials when found; otherwise maybe a note explaining why none could be used. */
export interface CredentialLookup {
  credentials?: Credentials;
  note?: string;
}

interface DockerAuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

interface DockerConfigFile {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
}

const HUB_KEYS = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];
const HUB_HELPER_KEY = 'https://index.docker.io/v1/';

export async function resolveCredentials(
  registry: string,
  options: SourceOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CredentialLookup> {
  if (options.username !== undefined) {
    return { credentials: { username: options.username, password: options.password ?? '', source: 'options' } };
  }
  if (env.BULWARK_USERNAME) {
    return {
      credentials: { username: env.BULWARK_USERNAME, password: env.BULWARK_PASSWORD ?? '', source: 'BULWARK_USERNAME/BULWARK_PASSWORD' },
    };
  }
  return fromDockerConfig(registry, await dockerConfigPath(options, env));
}

async function dockerConfigPath(options: SourceOptions, env: NodeJS.ProcessEnv): Promise<string> {
  if (options.dockerConfigPath) {
    const isDir = await stat(options.dockerConfigPath).then((s) => s.isDirectory(), () => false);
    return isDir ? join(options.dockerConfigPath, 'config.json') : options.dockerConfigPath;
  }
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/** `https://host/v1/` and `host` name the same registry in docker config keys. */
function normalizeKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

function keysFor(registry: string): string[] {
  return registry === 'docker.io' ? HUB_KEYS : [registry.toLowerCase()];
}

async function fromDockerConfig(registry: string, path: string): Promise<CredentialLookup> {
  let parsed: DockerConfigFile;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as DockerConfigFile;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return {};
    return { note: `could not read docker config ${path}: ${err.message.split('\n')[0]}` };
  }
  const wanted = keysFor(registry);
  const helper = pickHelper(parsed, wanted);
  if (helper) return fromHelper(helper, registry);
  for (const [key, entry] of Object.entries(parsed.auths ?? {})) {
    if (wanted.includes(normalizeKey(key))) return fromAuthEntry(entry, `${path} auths["${key}"]`);
  }
  return {};
}

function pickHelper(config: DockerConfigFile, wanted: string[]): string | undefined {
  for (const [key, name] of Object.entries(config.credHelpers ?? {})) {
    if (typeof name === 'string' && wanted.includes(normalizeKey(key))) return name;
  }
  return typeof config.credsStore === 'string' && config.credsStore !== '' ? config.credsStore : undefined;
}

function fromAuthEntry(entry: DockerAuthEntry, source: string): CredentialLookup {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { note: `${source}: "auth" is not base64 of user:password` };
    return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source } };
  }
  if (typeof entry.username === 'string') {
    return { credentials: { username: entry.username, password: String(entry.password ?? ''), source } };
  }
  return {};
}

function fromHelper(name: string, registry: string): Promise<CredentialLookup> {
  const program = `docker-credential-${name}`;
  const server = registry === 'docker.io' ? HUB_HELPER_KEY : registry;
  return new Promise((resolve) => {
    const child = execFile(program, ['get'], { timeout: 15_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) {
        // The helper exits non-zero with "credentials not found" when it holds nothing for this registry.
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is not installed' : 'failed';
        resolve({ note: `docker credential helper ${program} ${why}` });
        return;
      }
      resolve(parseHelperOutput(stdout, program));
    });
    // A missing helper closes stdin at once; the callback above already reports it.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(server);
  });
}

function parseHelperOutput(stdout: string, program: string): CredentialLookup {
  try {
    const out = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
    if (typeof out.Username !== 'string' || typeof out.Secret !== 'string') return { note: `${program} answered without Username/Secret` };
    if (out.Username === '<token>') return { note: `${program} holds an identity token, which is not supported` };
    return { credentials: { username: out.Username, password: out.Secret, source: program } };
  } catch {
    return { note: `${program} answered with something that is not JSON` };
  }
}
