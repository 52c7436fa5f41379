import { realpath } from 'node:fs/promises';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { RootFs } from '../../host/rootfs.js';
import { parseFlagLines, parseFlagTokens, type ArgToken, type FlagMap } from './flags.js';

export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const;
export type ControlPlaneComponent = (typeof CONTROL_PLANE_COMPONENTS)[number];

export const MANIFEST_DIR = '/etc/kubernetes/manifests';
export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
export const KUBEADM_FLAGS_ENV = '/var/lib/kubelet/kubeadm-flags.env';
export const KUBELET_DROPIN_DIR = '/etc/systemd/system/kubelet.service.d';
/** Static pod manifests and kubelet configuration are small; anything larger is not read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

type Path = readonly (string | number)[];

/** A static pod manifest's container command line. */
export interface ComponentConfig {
  component: ControlPlaneComponent;
  /** Host path of the manifest, e.g. /etc/kubernetes/manifests/kube-apiserver.yaml. */
  file: string;
  /** Line of the container's command (or of the file when it has none). */
  line: number;
  flags: FlagMap;
}

export interface KubeletSettings {
  /** Host path of the KubeletConfiguration file, when one was read. */
  configFile?: string;
  /** The KubeletConfiguration document (empty without a file). */
  config: Record<string, unknown>;
  /** Line of a field of the config file (nearest present ancestor), or undefined without a file. */
  lineOf(path: Path): number | undefined;
  /** Flags from kubeadm-flags.env and the systemd drop-ins; flags override the config file, as in the kubelet. */
  flags: FlagMap;
}

export interface ControlPlaneInput {
  root: string;
  components: Map<ControlPlaneComponent, ComponentConfig>;
  /** Undefined when neither a kubelet config file nor kubelet flags were found. */
  kubelet?: KubeletSettings;
  /** What was not there (not a problem: a worker node has no control-plane manifests). */
  notes: string[];
  /** What was there but could not be read: "<file>:<line>: <message>". */
  warnings: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function childNode(node: unknown, seg: string | number): { value: unknown; at: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(seg)) return { value: pair.value, at: pair.key ?? pair.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined || item === null ? undefined : { value: item, at: item };
  }
  return undefined;
}

interface ParsedYaml {
  value: unknown;
  lineOf(path: Path): number | undefined;
  nodeAt(path: Path): unknown;
  lineOfNode(node: unknown): number | undefined;
}

/** One YAML document with positions; a syntax error is returned as "<line>: <message>". */
function parseYaml(text: string): ParsedYaml | { error: string; line: number } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const err = doc.errors[0];
  if (err) return { error: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), line: counter.linePos(err.pos[0]).line };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0]!, line: 1 };
  }
  const lineOfNode = (node: unknown): number | undefined => {
    const range = (node as Node | null | undefined)?.range;
    return range ? counter.linePos(range[0]).line : undefined;
  };
  return {
    value,
    lineOfNode,
    nodeAt(path) {
      let node: unknown = doc.contents;
      for (const seg of path) {
        const next = childNode(node, seg);
        if (!next) return undefined;
        node = next.value;
      }
      return node;
    },
    lineOf(path) {
      let node: unknown = doc.contents;
      let line: number | undefined = lineOfNode(node);
      for (const seg of path) {
        const next = childNode(node, seg);
        if (!next) break;
        line = lineOfNode(next.at) ?? line;
        node = next.value;
      }
      return line;
    },
  };
}

async function readText(fs: RootFs, path: string): Promise<{ text: string } | { absent: true } | { warning: string }> {
  if (await escapesRoot(fs, path)) return { warning: `${path}: symlink resolves outside ${fs.root}; refused` };
  const outcome = await fs.read(path, MAX_CONFIG_BYTES);
  switch (outcome.status) {
    case 'ok':
      return { text: outcome.content.toString('utf8') };
    case 'absent':
      return { absent: true };
    case 'too-large':
      return { warning: `${path}: larger than ${outcome.limit} bytes; not read` };
    case 'not-a-file':
      return { warning: `${path}: not a regular file; not read` };
    case 'error':
      return { warning: `${outcome.message}; not read` };
  }
}

/**
 * True when the host path, followed the way the kernel would, lands outside the root. RootFs alone would
 * confine such a link to a file under the root, which is not the file the node uses; saying so is clearer.
 */
async function escapesRoot(fs: RootFs, path: string): Promise<boolean> {
  if (fs.root === '/') return false;
  try {
    const [base, real] = await Promise.all([realpath(fs.root), realpath(fs.root + path)]);
    return real !== base && !real.startsWith(`${base}/`);
  } catch {
    return false;
  }
}

function containerTokens(parsed: ParsedYaml, index: number): { tokens: ArgToken[]; line?: number } {
  const tokens: ArgToken[] = [];
  let line: number | undefined;
  for (const field of ['command', 'args'] as const) {
    const seq = parsed.nodeAt(['spec', 'containers', index, field]);
    if (!isSeq(seq)) continue;
    line ??= parsed.lineOf(['spec', 'containers', index, field]);
    for (const item of seq.items) {
      if (!isScalar(item) || item.value === null || typeof item.value === 'object') continue;
      const tokenLine = parsed.lineOfNode(item);
      tokens.push({ text: String(item.value), ...(tokenLine !== undefined ? { line: tokenLine } : {}) });
    }
  }
  return { tokens, ...(line !== undefined ? { line } : {}) };
}

/** The index of the container that runs the component (named after it, else the first). */
function componentContainer(value: Record<string, unknown>, component: ControlPlaneComponent): number {
  const containers = isRecord(value.spec) && Array.isArray(value.spec.containers) ? value.spec.containers : [];
  const named = containers.findIndex((c) => isRecord(c) && c.name === component);
  return named >= 0 ? named : 0;
}

async function readComponent(fs: RootFs, component: ControlPlaneComponent, out: ControlPlaneInput): Promise<void> {
  const file = `${MANIFEST_DIR}/${component}.yaml`;
  const read = await readText(fs, file);
  if ('absent' in read) {
    out.notes.push(`${file}: not present; ${component} checks skipped`);
    return;
  }
  if ('warning' in read) {
    out.warnings.push(read.warning);
    return;
  }
  const parsed = parseYaml(read.text);
  if ('error' in parsed) {
    out.warnings.push(`${file}:${parsed.line}: ${parsed.error}; ${component} checks skipped`);
    return;
  }
  if (!isRecord(parsed.value) || parsed.value.kind !== 'Pod' || !isRecord(parsed.value.spec) || !Array.isArray(parsed.value.spec.containers)) {
    out.warnings.push(`${file}:1: not a static Pod manifest (kind Pod with spec.containers); ${component} checks skipped`);
    return;
  }
  const index = componentContainer(parsed.value, component);
  const { tokens, line } = containerTokens(parsed, index);
  if (tokens.length === 0) {
    out.warnings.push(`${file}:${parsed.lineOf(['spec', 'containers', index]) ?? 1}: container has no command or args; ${component} checks skipped`);
    return;
  }
  out.components.set(component, { component, file, line: line ?? 1, flags: parseFlagTokens(tokens, file) });
}

async function readKubelet(fs: RootFs, out: ControlPlaneInput): Promise<void> {
  const flags: FlagMap = new Map();
  const flagFiles: string[] = [];
  const dropins = ((await fs.readdir(KUBELET_DROPIN_DIR)) ?? []).filter((n) => n.endsWith('.conf')).map((n) => `${KUBELET_DROPIN_DIR}/${n}`);
  // systemd applies drop-ins in name order and the env file is sourced by the unit; later settings win either way.
  for (const file of [...dropins, KUBEADM_FLAGS_ENV]) {
    const read = await readText(fs, file);
    if ('absent' in read) continue;
    if ('warning' in read) {
      out.warnings.push(read.warning);
      continue;
    }
    parseFlagLines(read.text, file, flags);
    flagFiles.push(file);
  }
  const configFile = flags.get('config')?.value ?? KUBELET_CONFIG;
  const read = await readText(fs, configFile);
  let config: Record<string, unknown> = {};
  let lineOf: KubeletSettings['lineOf'] = () => undefined;
  let haveConfig = false;
  if ('warning' in read) out.warnings.push(read.warning);
  else if ('absent' in read) out.notes.push(`${configFile}: not present; kubelet settings judged by flags and flag defaults`);
  else {
    const parsed = parseYaml(read.text);
    if ('error' in parsed) out.warnings.push(`${configFile}:${parsed.line}: ${parsed.error}; kubelet config file checks skipped`);
    else if (!isRecord(parsed.value) || parsed.value.kind !== 'KubeletConfiguration') out.warnings.push(`${configFile}:1: not a KubeletConfiguration; kubelet config file checks skipped`);
    else {
      config = parsed.value;
      lineOf = parsed.lineOf;
      haveConfig = true;
    }
  }
  if (!haveConfig && flagFiles.length === 0) return;
  out.kubelet = { ...(haveConfig ? { configFile } : {}), config, lineOf, flags };
}

/**
 * Reads a node's control-plane static pod manifests and kubelet configuration under `root` (a mounted
 * node filesystem, or "/"). Paths resolve inside the root, symlinks included, so nothing outside it is read.
 */
export async function readControlPlane(root: string): Promise<ControlPlaneInput> {
  const fs = new RootFs(root, MAX_CONFIG_BYTES);
  const out: ControlPlaneInput = { root: fs.root, components: new Map(), notes: [], warnings: [] };
  for (const component of CONTROL_PLANE_COMPONENTS) await readComponent(fs, component, out);
  await readKubelet(fs, out);
  return out;
}
