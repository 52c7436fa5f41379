/**
 * The host view: files under a root (the live "/" or a tree mounted with --root), the dockerd process
 * found through <root>/proc, its daemon.json, and the Engine API facts when a daemon answered.
 */
import { cmdlineSetting } from './daemon-config.js';
import { chooseDaemon, listProcesses, normalizeAddress } from './proc.js';
import { fileType, MAX_READ_BYTES, parseIdNames, RootFs } from './rootfs.js';
import type { DaemonProcess, EngineFacts, HostFileStat, HostView } from './types.js';
import type { Stats } from 'node:fs';

export const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';

export interface BuildHostViewOptions {
  /** Root directory of the host filesystem; default "/". */
  root?: string;
  engine?: EngineFacts;
  /**
   * The socket of the daemon to audit when several dockerd run ("unix:///tmp/x.sock" or a path):
   * the dockerd whose -H/--host names it. Without it: the one the engine answered on, else the one on
   * the default socket, else the oldest.
   */
  daemonSocket?: string;
  /** Bound on one file read (default 4 MiB). */
  maxReadBytes?: number;
}

/** The view buildHostView makes: every optional part of HostView it can fill is filled. */
export type BuiltHostView = HostView;

export async function buildHostView(options: BuildHostViewOptions = {}): Promise<BuiltHostView> {
  const fs = new RootFs(options.root ?? '/', options.maxReadBytes ?? MAX_READ_BYTES);
  const users = parseIdNames((await fs.readFile('/etc/passwd'))?.toString('utf8'));
  const groups = parseIdNames((await fs.readFile('/etc/group'))?.toString('utf8'));
  const toHostStat = (st: Stats | undefined): HostFileStat | undefined => {
    if (!st) return undefined;
    const user = users.get(st.uid);
    const group = groups.get(st.gid);
    return {
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: st.size,
      type: fileType(st),
      ...(user !== undefined ? { user } : {}),
      ...(group !== undefined ? { group } : {}),
    };
  };

  const daemon = await findDaemon(fs, options);
  const view: BuiltHostView = {
    root: fs.root,
    readFile: (path) => fs.readFile(path),
    lstat: async (path) => toHostStat(await fs.lstat(path)),
    stat: async (path) => toHostStat(await fs.stat(path)),
    readdir: (path) => fs.readdir(path),
    resolvePath: (path) => fs.canonical(path),
    ...(daemon ? { daemon } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  };

  const configFile = daemon ? cmdlineSetting(daemon.argv, 'config-file') : undefined;
  const jsonPath = typeof configFile === 'string' && configFile !== '' ? absolute(configFile) : DEFAULT_DAEMON_JSON;
  const outcome = await fs.read(jsonPath);
  switch (outcome.status) {
    case 'absent':
      break;
    case 'ok': {
      view.daemonJsonPath = jsonPath;
      const parsed = parseDaemonJson(outcome.content, jsonPath);
      if ('error' in parsed) view.daemonJsonError = parsed.error;
      else view.daemonJson = parsed.value;
      break;
    }
    case 'too-large':
      view.daemonJsonPath = jsonPath;
      view.daemonJsonError = `${jsonPath}: larger than ${outcome.limit} bytes, not read`;
      break;
    case 'not-a-file':
      view.daemonJsonPath = jsonPath;
      view.daemonJsonError = `${jsonPath}: not a regular file`;
      break;
    case 'error':
      view.daemonJsonPath = jsonPath;
      view.daemonJsonError = `${jsonPath}: cannot be read (${outcome.message})`;
      break;
  }
  return view;
}

async function findDaemon(fs: RootFs, options: BuildHostViewOptions): Promise<DaemonProcess | undefined> {
  const processes = await listProcesses(fs);
  if (options.daemonSocket !== undefined) return chooseDaemon(processes, options.daemonSocket);
  const address = options.engine?.address;
  if (address && normalizeAddress(address).startsWith('/')) {
    const match = chooseDaemon(processes, address);
    if (match) return match;
  }
  return chooseDaemon(processes);
}

/** A relative --config-file is relative to dockerd's working directory, which we do not know: read it from "/". */
function absolute(path: string): string {
  return path.startsWith('/') ? path : '/' + path;
}

/** daemon.json parsed: an object, or an error naming the file and where the JSON broke. */
export function parseDaemonJson(content: Buffer, path: string): { value: Record<string, unknown> } | { error: string } {
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `${path}: malformed JSON (${(e as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `${path}: not a JSON object` };
  }
  return { value: value as Record<string, unknown> };
}
