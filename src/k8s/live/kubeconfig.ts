import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** Path of a kubeconfig file; default: $KUBECONFIG (colon-separated, merged), then ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use instead of the file's current-context. */
  context?: string;
}

export interface ResolvedKubeConfig {
  kc: KubeConfig;
  context: string;
  server: string;
  /** The file(s) the configuration came from, for error messages. */
  file: string;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

function defaultFile(): string | undefined {
  const env = process.env.KUBECONFIG;
  if (env && env.split(delimiter).some((f) => f !== '')) return env;
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}

/**
 * Loads a kubeconfig and selects the context. Every problem (missing file, malformed YAML, unknown context,
 * a context without a cluster or server) is a one-line Error naming the file.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): ResolvedKubeConfig {
  const file = options.kubeconfig ?? defaultFile();
  // client-node's loadFromDefault falls back to http://localhost:8080 when nothing is configured; a scanner
  // must not silently talk to whatever listens there.
  if (file === undefined) throw new Error('no kubeconfig: pass --kubeconfig or set KUBECONFIG (~/.kube/config does not exist)');
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) throw new Error('file does not exist');
      kc.loadFromFile(options.kubeconfig);
    } else {
      for (const f of file.split(delimiter).filter((f) => f !== '')) if (!existsSync(f)) throw new Error(`${f} does not exist`);
      kc.loadFromDefault();
    }
  } catch (e) {
    throw new Error(`kubeconfig ${file}: cannot read it (${firstLine(e)})`);
  }
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(`kubeconfig ${file}: no context named "${options.context}" (contexts: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  if (!context) throw new Error(`kubeconfig ${file}: no current-context set and no context given`);
  if (!kc.getContextObject(context)) throw new Error(`kubeconfig ${file}: current-context "${context}" is not defined`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig ${file}: context "${context}" names a cluster that is not defined`);
  if (!cluster.server) throw new Error(`kubeconfig ${file}: cluster "${cluster.name}" of context "${context}" has no server`);
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    // client-node refuses plain http unless the cluster entry opts out of TLS verification explicitly.
    throw new Error(`kubeconfig ${file}: cluster "${cluster.name}" uses plain http (${cluster.server}); set insecure-skip-tls-verify: true on it to allow that`);
  }
  return { kc, context, server: cluster.server.replace(/\/+$/, ''), file };
}
