import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { z } from 'zod';
import type { ServerIdentity } from './facts.js';

export const SHIPPED_SERVERS_FILE = fileURLToPath(new URL('../../../data/registry/servers.json', import.meta.url));

const entrySchema = z.object({
  /** semver range; "*" matches every version, including an unknown one. */
  range: z.string(),
  status: z.enum(['eol', 'flawed']),
  note: z.string().min(10),
  references: z.array(z.string().url()).min(1),
});

const serversSchema = z.object({
  products: z.array(z.object({ product: z.string(), name: z.string(), entries: z.array(entrySchema) })),
});

export type ServerData = z.infer<typeof serversSchema>;
export type ServerVerdict = z.infer<typeof entrySchema> & { product: string; name: string };

let shipped: ServerData | undefined;

export function parseServerData(text: string): ServerData {
  return serversSchema.parse(JSON.parse(text));
}

export function loadServerData(file = SHIPPED_SERVERS_FILE): ServerData {
  if (file === SHIPPED_SERVERS_FILE) return (shipped ??= parseServerData(readFileSync(file, 'utf8')));
  return parseServerData(readFileSync(file, 'utf8'));
}

/**
 * Who answers, from the response headers of GET /v2/ (and /v1/_ping when the HTTP layer tried it), names lower-case.
 * Undefined when nothing identifies the product. The HTTP layer may do better with product endpoints
 * (Harbor's /api/v2.0/systeminfo, ...) and fill ServerIdentity itself.
 */
export function identifyServer(headers: Readonly<Record<string, string | undefined>>): ServerIdentity | undefined {
  const server = headers['server'];
  const v1 = headers['x-docker-registry-version'];
  if (v1 !== undefined) return { product: 'docker-registry-v1', ...(versionOf(v1) ? { version: versionOf(v1)! } : {}), source: 'X-Docker-Registry-Version header' };
  const known: [RegExp, string][] = [
    [/^nexus\/(\S+)/i, 'nexus'],
    [/^artifactory\/(\S+)/i, 'artifactory'],
    [/^harbor\/?(\S*)/i, 'harbor'],
    [/^zot\/?(\S*)/i, 'zot'],
    [/^(?:docker-)?distribution\/?(\S*)/i, 'distribution'],
  ];
  if (server) {
    for (const [re, product] of known) {
      const m = re.exec(server.trim());
      if (m) return { product, ...(versionOf(m[1]) ? { version: versionOf(m[1])! } : {}), source: 'Server header' };
    }
  }
  if (headers['docker-distribution-api-version']?.startsWith('registry/2')) return { product: 'distribution', source: 'Docker-Distribution-Api-Version header' };
  return undefined;
}

function versionOf(text: string | undefined): string | undefined {
  return text ? (/\d+(?:\.\d+){0,3}(?:-[\w.]+)?/.exec(text)?.[0] ?? undefined) : undefined;
}

/**
 * The data entries that apply to a server: "*" ranges always; other ranges only when the version is known and
 * satisfies them (coerced: "2.8.1-1" counts as 2.8.1).
 */
export function serverVerdicts(id: ServerIdentity, data: ServerData = loadServerData()): ServerVerdict[] {
  const product = data.products.find((p) => p.product === id.product);
  if (!product) return [];
  const version = id.version ? semver.coerce(id.version)?.version : undefined;
  return product.entries
    .filter((e) => e.range.trim() === '*' || (version !== undefined && semver.satisfies(version, e.range)))
    .map((e) => ({ ...e, product: product.product, name: product.name }));
}
