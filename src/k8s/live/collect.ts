import { AppsV1Api, BatchV1Api, CoreV1Api, NetworkingV1Api, RbacAuthorizationV1Api, VersionApi } from '@kubernetes/client-node';
import type { K8sObject } from '../types.js';
import { dropControlledChildren } from './dedup.js';
import { CLUSTER_KINDS, NODE_KIND, type ClusterApis, type ClusterKind, type Page } from './kinds.js';
import { loadKubeConfig } from './kubeconfig.js';
import { ClusterRefusal, ClusterUnavailable, rawCall, type CallOptions } from './request.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_PAGE_SIZE = 500;
/** A list that needs more pages than this is treated as a server that keeps handing out continue tokens. */
const MAX_PAGES = 10_000;

export interface CollectOptions {
  /** Kubeconfig file; default $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** Context name; default the kubeconfig's current-context. */
  context?: string;
  /** Read namespaced kinds only in these namespaces (cluster-scoped kinds are still read). */
  namespaces?: string[];
  /** Per request; default 30000. */
  timeoutMs?: number;
  /** `limit` of each list request; default 500. */
  pageSize?: number;
}

export interface ClusterNode {
  name: string;
  kubeletVersion: string;
  osImage?: string;
  containerRuntimeVersion?: string;
}

export interface ClusterSnapshot {
  context: string;
  server: string;
  /** Objects as a manifest holds them (apiVersion/kind set, metadata.managedFields dropped), source {kind:'cluster'}. */
  objects: K8sObject[];
  /** "cluster <context>: cannot list <kind> (403 Forbidden: ...)" for each kind or namespace that could not be read. */
  warnings: string[];
  version?: { gitVersion: string; major: string; minor: string };
  nodes: ClusterNode[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A list answer that is not a Kubernetes list: refused like a 4xx for that kind, the other kinds go on. */
function parseList(text: string, kind: string): { items: unknown[]; continueToken?: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ClusterRefusal(200, `answer is not JSON`);
  }
  if (!isRecord(v) || !Array.isArray(v.items)) throw new ClusterRefusal(200, `answer is not a ${kind}List`);
  const metadata = isRecord(v.metadata) ? v.metadata : {};
  const token = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
  return { items: v.items, ...(token ? { continueToken: token } : {}) };
}

/** The item as loadManifests gives it for the same YAML: kind/apiVersion filled in, server bookkeeping (managedFields) dropped. */
export function toClusterObject(item: unknown, kind: ClusterKind, context: string): K8sObject | undefined {
  if (!isRecord(item)) return undefined;
  const value: Record<string, unknown> = { ...item };
  if (value.apiVersion === undefined) value.apiVersion = kind.apiVersion;
  if (value.kind === undefined) value.kind = kind.kind;
  if (isRecord(value.metadata) && 'managedFields' in value.metadata) {
    const { managedFields: _dropped, ...metadata } = value.metadata;
    value.metadata = metadata;
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '';
  const obj: K8sObject = { apiVersion: String(value.apiVersion), kind: String(value.kind), name, value, source: { kind: 'cluster', context } };
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '') obj.namespace = metadata.namespace;
  return obj;
}

class Collector {
  readonly warnings: string[] = [];

  constructor(
    private readonly apis: ClusterApis,
    private readonly context: string,
    private readonly timeoutMs: number,
    private readonly pageSize: number,
  ) {}

  /** Every item of one list, following `continue`; a refusal becomes a warning and an empty result. */
  async list(kind: ClusterKind, call: (page: Page, options: CallOptions) => Promise<unknown>, where: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await rawCall((o) => call({ limit: this.pageSize, ...(token ? { _continue: token } : {}) }, o), this.timeoutMs);
        const parsed = parseList(answer.text, kind.kind);
        items.push(...parsed.items);
        token = parsed.continueToken;
        if (token === undefined) return items;
        if (seen.has(token)) throw new ClusterUnavailable(`listing ${kind.kind} loops: the server repeated continue token ${JSON.stringify(token.slice(0, 40))}`);
        seen.add(token);
      }
      throw new ClusterUnavailable(`listing ${kind.kind} did not end after ${MAX_PAGES} pages`);
    } catch (e) {
      if (!(e instanceof ClusterRefusal)) throw e;
      this.warnings.push(`cluster ${this.context}: cannot list ${kind.kind}${where} (${e.reason})`);
      return [];
    }
  }

  async listKind(kind: ClusterKind, namespaces: readonly string[] | undefined): Promise<unknown[]> {
    if (!namespaces || !kind.listIn) return this.list(kind, (p, o) => kind.listAll(this.apis, p, o), '');
    const listIn = kind.listIn;
    const out: unknown[] = [];
    for (const ns of namespaces) out.push(...(await this.list(kind, (p, o) => listIn(this.apis, ns, p, o), ` in namespace ${ns}`)));
    return out;
  }

  /** With a namespace filter, only the named Namespace objects are read (a get each), not every namespace of the cluster. */
  async readNamespaces(namespaces: readonly string[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const name of namespaces) {
      try {
        const answer = await rawCall((o) => this.apis.core.readNamespace({ name }, o), this.timeoutMs);
        out.push(JSON.parse(answer.text));
      } catch (e) {
        if (e instanceof SyntaxError) this.warnings.push(`cluster ${this.context}: cannot read Namespace ${name} (answer is not JSON)`);
        else if (e instanceof ClusterRefusal) this.warnings.push(`cluster ${this.context}: cannot read Namespace ${name} (${e.reason})`);
        else throw e;
      }
    }
    return out;
  }
}

async function readVersion(version: VersionApi, timeoutMs: number, warn: (s: string) => void): Promise<ClusterSnapshot['version']> {
  try {
    const answer = await rawCall((o) => version.getCode({}, o), timeoutMs);
    const v = JSON.parse(answer.text) as unknown;
    if (isRecord(v) && typeof v.gitVersion === 'string') return { gitVersion: v.gitVersion, major: String(v.major ?? ''), minor: String(v.minor ?? '') };
    throw new ClusterUnavailable('GET /version did not answer a Kubernetes version (is this an API server?)');
  } catch (e) {
    if (e instanceof SyntaxError) throw new ClusterUnavailable('GET /version answer is not JSON (is this an API server?)');
    if (!(e instanceof ClusterRefusal)) throw e;
    // Every API server serves /version; a 404 there means the kubeconfig points at something else.
    if (e.status === 404) throw new ClusterUnavailable(`GET /version answered ${e.reason} (is this an API server?)`);
    warn(`cannot read the server version (${e.reason})`);
    return undefined;
  }
}

function nodeOf(item: unknown): ClusterNode | undefined {
  if (!isRecord(item) || !isRecord(item.metadata) || typeof item.metadata.name !== 'string') return undefined;
  const info = isRecord(item.status) && isRecord(item.status.nodeInfo) ? item.status.nodeInfo : {};
  const node: ClusterNode = { name: item.metadata.name, kubeletVersion: typeof info.kubeletVersion === 'string' ? info.kubeletVersion : '' };
  if (typeof info.osImage === 'string') node.osImage = info.osImage;
  if (typeof info.containerRuntimeVersion === 'string') node.containerRuntimeVersion = info.containerRuntimeVersion;
  return node;
}

/**
 * Reads a live cluster through a kubeconfig, read-only (GET list/get calls only): the workloads, services,
 * service accounts, network policies and RBAC objects the k8s rule packs check, plus the server version and
 * node inventory. A kind the credentials may not list is a warning; a cluster that cannot be reached,
 * rejects the credentials, fails (5xx) or does not answer in time is a one-line Error naming context and server.
 */
export async function collectClusterObjects(options: CollectOptions = {}): Promise<ClusterSnapshot> {
  const { kc, context, server } = loadKubeConfig(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const namespaces = options.namespaces && options.namespaces.length > 0 ? [...new Set(options.namespaces)] : undefined;
  const apis: ClusterApis = {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
  };
  const collector = new Collector(apis, context, timeoutMs, pageSize);
  try {
    const version = await readVersion(kc.makeApiClient(VersionApi), timeoutMs, (s) => collector.warnings.push(`cluster ${context}: ${s}`));
    const nodes = (await collector.listKind(NODE_KIND, undefined)).map(nodeOf).filter((n): n is ClusterNode => n !== undefined);
    const collected: K8sObject[] = [];
    for (const kind of CLUSTER_KINDS) {
      const items = kind.kind === 'Namespace' && namespaces ? await collector.readNamespaces(namespaces) : await collector.listKind(kind, namespaces);
      for (const item of items) {
        const obj = toClusterObject(item, kind, context);
        if (obj) collected.push(obj);
      }
    }
    return { context, server, objects: dropControlledChildren(collected), warnings: collector.warnings, ...(version ? { version } : {}), nodes };
  } catch (e) {
    if (e instanceof ClusterUnavailable) throw new Error(`cluster ${context} (${server}): ${e.message}`);
    throw new Error(`cluster ${context} (${server}): ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
}
