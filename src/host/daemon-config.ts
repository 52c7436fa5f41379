/**
 * Daemon settings read from the running dockerd command line and daemon.json together, as dockerd
 * itself merges them (it refuses to start when one directive is in both, so the command line is
 * looked at first).
 */
import type { HostView } from './types.js';

export interface DaemonSetting {
  /** boolean for boolean flags, string[] for repeatable flags, string otherwise; daemon.json values as parsed. */
  value: unknown;
  source: 'cmdline' | 'daemon.json';
}

/** dockerd boolean flags: `--flag` is true, `--flag=false` is false (never `--flag false`). */
const BOOLEAN_FLAGS = new Set([
  'debug', 'icc', 'iptables', 'ip6tables', 'ip-forward', 'ip-masq', 'ipv6', 'live-restore', 'userland-proxy',
  'no-new-privileges', 'tls', 'tlsverify', 'experimental', 'selinux-enabled', 'raw-logs', 'init', 'rootless',
  'cri-containerd', 'validate', 'disable-legacy-registry', 'help', 'version',
]);

/** Flags that may be given several times; their values accumulate. */
const LIST_FLAGS = new Set([
  'host', 'insecure-registry', 'default-ulimit', 'authorization-plugin', 'storage-opt', 'log-opt', 'label',
  'registry-mirror', 'dns', 'dns-opt', 'dns-search', 'exec-opt', 'add-runtime', 'default-address-pool',
  'allow-nondistributable-artifacts', 'cluster-store-opt', 'node-generic-resource',
]);

const SHORT_FLAGS: Record<string, string> = {
  H: 'host', l: 'log-level', D: 'debug', G: 'group', p: 'pidfile', b: 'bridge', g: 'graph', s: 'storage-driver',
  v: 'version', h: 'help',
};

/** daemon.json key of a flag, where it is not the flag's own name. */
const JSON_KEYS: Record<string, string> = {
  host: 'hosts',
  'insecure-registry': 'insecure-registries',
  'default-ulimit': 'default-ulimits',
  'authorization-plugin': 'authorization-plugins',
  'storage-opt': 'storage-opts',
  'log-opt': 'log-opts',
  label: 'labels',
  'registry-mirror': 'registry-mirrors',
  'dns-opt': 'dns-opts',
  'exec-opt': 'exec-opts',
  'add-runtime': 'runtimes',
  'default-address-pool': 'default-address-pools',
  'cluster-store-opt': 'cluster-store-opts',
  'node-generic-resource': 'node-generic-resources',
  graph: 'graph',
};

/** The daemon.json key a flag name maps to ("--insecure-registry" -> "insecure-registries"). */
export function daemonJsonKey(flag: string): string {
  const name = flagName(flag);
  return JSON_KEYS[name] ?? name;
}

function flagName(flag: string): string {
  const bare = flag.replace(/^-+/, '');
  return (flag.startsWith('-') && !flag.startsWith('--') ? SHORT_FLAGS[bare] : undefined) ?? bare;
}

/** Go's strconv.ParseBool, as pflag uses it. */
function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** Every flag of a dockerd argv, long names, in order: [name, raw value or undefined]. */
export function parseDaemonArgs(argv: readonly string[]): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  const start = argv[1] === 'daemon' ? 2 : 1;
  for (let i = start; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    let name: string;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      value = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1]!;
      name = SHORT_FLAGS[short] ?? short;
      const rest = arg.slice(2);
      value = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    } else {
      continue; // a stray positional argument
    }
    if (value === undefined && !BOOLEAN_FLAGS.has(name) && i + 1 < argv.length) value = argv[++i];
    out.push([name, value]);
  }
  return out;
}

/** A flag's value on a dockerd command line, or undefined when the flag is not there. */
export function cmdlineSetting(argv: readonly string[], flag: string): unknown {
  const name = flagName(flag);
  const values = parseDaemonArgs(argv)
    .filter(([n]) => n === name)
    .map(([, v]) => v);
  if (values.length === 0) return undefined;
  if (BOOLEAN_FLAGS.has(name)) {
    const last = values.at(-1);
    return last === undefined ? true : (parseBool(last) ?? last);
  }
  if (LIST_FLAGS.has(name)) return values.filter((v): v is string => v !== undefined);
  return values.at(-1) ?? '';
}

/**
 * A daemon setting from the running dockerd's command line, else from daemon.json; undefined when
 * neither sets it. `flag` is the command-line name, with or without dashes ("--icc", "log-level", "-H").
 */
export function daemonSetting(view: Pick<HostView, 'daemon' | 'daemonJson'>, flag: string): DaemonSetting | undefined {
  if (view.daemon) {
    const value = cmdlineSetting(view.daemon.argv, flag);
    if (value !== undefined) return { value, source: 'cmdline' };
  }
  const key = daemonJsonKey(flag);
  if (view.daemonJson && Object.prototype.hasOwnProperty.call(view.daemonJson, key)) {
    return { value: view.daemonJson[key], source: 'daemon.json' };
  }
  return undefined;
}

/** A boolean setting: true/false as set, or undefined when unset or not a boolean. */
export function booleanSetting(view: Pick<HostView, 'daemon' | 'daemonJson'>, flag: string): boolean | undefined {
  const s = daemonSetting(view, flag);
  if (!s) return undefined;
  if (typeof s.value === 'boolean') return s.value;
  if (typeof s.value === 'string') return parseBool(s.value);
  return undefined;
}

/** A string setting, or undefined when unset or empty. */
export function stringSetting(view: Pick<HostView, 'daemon' | 'daemonJson'>, flag: string): string | undefined {
  const s = daemonSetting(view, flag);
  if (!s) return undefined;
  const v = Array.isArray(s.value) ? s.value.at(-1) : s.value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * A repeatable setting as a list of strings: command-line values, or daemon.json's array (or, for
 * object-valued keys such as default-ulimits and runtimes, its keys as "key=value" strings).
 */
export function listSetting(view: Pick<HostView, 'daemon' | 'daemonJson'>, flag: string): string[] {
  const s = daemonSetting(view, flag);
  if (!s) return [];
  return toStrings(s.value);
}

function toStrings(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? [v] : [JSON.stringify(v)]));
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return [String(value)];
}

/** "cmdline" or "daemon.json" in words, for check details. */
export function describeSource(setting: DaemonSetting | undefined, flag: string): string {
  if (!setting) return `${flag} not set`;
  const name = flagName(flag);
  return setting.source === 'cmdline'
    ? `dockerd --${name}${typeof setting.value === 'boolean' ? `=${setting.value}` : ` ${toStrings(setting.value).join(',')}`}`
    : `daemon.json "${daemonJsonKey(flag)}": ${JSON.stringify(setting.value)}`;
}
