import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import { isLoopbackHost } from '../../core/image-reference.js';
import type { Descriptor } from '../../sources/oci-schema.js';
import type { ManifestInfo, RegistryApi } from '../api/index.js';
import { attachmentFromTag, classifyManifest } from './classify.js';
import type { ManifestFacts, ReferrerFacts, RegistryAuditFacts, RepositoryFacts, TagFacts, TransportFacts } from './facts.js';
import { OsReleaseReader } from './os-release.js';
import { identifyServer } from './server-identity.js';
import { probeTls, type TlsProbeOptions } from './tls-probe.js';

export interface GatherAuditOptions {
  /** The registry as the user named it (only used when the clients have no base URL yet; facts.url is the client's). */
  url: string;
  staleDays: number;
  public: boolean;
  /** Which catalog repositories to audit; default all. */
  repos?: (name: string) => boolean;
  /**
   * At most this many ordinary tags per repository (sorted by name); `sha256-<hex>[.sig|.att|.sbom]` tags are then
   * kept only when they belong to a gathered digest. Default: every tag.
   */
  tagsPerRepoLimit?: number;
  onProgress?: (msg: string) => void;
  /** A second client without credentials: the ping, the catalog and pull probes go through it. */
  anonymous: RegistryApi;
  /** Repositories gathered at once (HTTP concurrency is bounded by the clients themselves); default 4. */
  repoConcurrency?: number;
  /** The TLS handshake probe (https only). */
  tls?: TlsProbeOptions;
  /**
   * Tell images' base OS from their os-release (streaming layers top down, each layer digest at most once) and
   * judge its end of life (ManifestFacts.osEol, BW-REG-013); default true.
   */
  osEol?: boolean;
  /** At most this many distinct layers read for osEol per audit; default 200. */
  osEolMaxLayers?: number;
  /** Layers larger than this (compressed bytes) are skipped for osEol with a warning; default 512 MiB. */
  osEolMaxLayerBytes?: number;
  /** The day the osEol verdict is for; default now. */
  now?: Date;
}

export interface GatheredAudit {
  facts: RegistryAuditFacts;
  /** One line each: what could not be gathered (a repository, a manifest, a probe), naming it. The rest went on. */
  warnings: string[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');

/**
 * Everything `bulwark registry audit` judges, read from a live registry: the anonymous ping (status, headers,
 * server identity), transport and TLS, the anonymous catalog probe, then per repository every tag and the
 * manifest behind it, classified; image configs (`created`), index children, referrers (API or tag schema) and
 * the untagged digests they, index children and `sha256-<hex>.sig` tags lead to; and one anonymous pull sample.
 *
 * Failures of one repository, tag or manifest (not found, digest mismatch, timeouts after the client's retries)
 * become warnings and the rest goes on; only a failing ping (unreachable, or /v2/ answering other than 200/401/403: nothing to audit) rejects.
 *
 * `osEol` (BW-REG-013, unless `osEol: false`): each image's /etc/os-release (or /usr/lib/os-release) is looked for
 * by streaming its layers from the top down and stopping at the first that has it (OsReleaseReader): a layer digest
 * is read at most once per audit, so a base shared by many images costs one read; oversized layers and layers past
 * the per-audit count are skipped with a warning. An image without os-release gets no osEol.
 */
export async function gatherAuditFacts(api: RegistryApi, options: GatherAuditOptions): Promise<GatheredAudit> {
  const warnings: string[] = [];
  const warn = (where: string, e: unknown): void => {
    const text = message(e);
    warnings.push(text.includes(where) ? text : `${where}: ${text}`);
  };
  const progress = options.onProgress ?? (() => undefined);
  const anonymous = options.anonymous;
  const osReader =
    options.osEol === false
      ? undefined
      : new OsReleaseReader(api, {
          ...(options.osEolMaxLayers !== undefined ? { maxLayers: options.osEolMaxLayers } : {}),
          ...(options.osEolMaxLayerBytes !== undefined ? { maxLayerBytes: options.osEolMaxLayerBytes } : {}),
          ...(options.now !== undefined ? { now: options.now } : {}),
        });

  progress('GET /v2/ (anonymous)');
  const ping = await anonymous.ping();
  if (ping.status !== 200 && ping.status !== 401 && ping.status !== 403) {
    throw new BulwarkError('E_REGISTRY', `${anonymous.ctx.label}: GET /v2/ answered ${ping.status}: not a working registry API, nothing to audit`);
  }
  const base = anonymous.baseUrl || api.baseUrl || options.url;
  const parsed = new URL(base);
  const scheme: 'http' | 'https' = parsed.protocol === 'https:' ? 'https' : 'http';
  const transport: TransportFacts = { scheme };
  if (scheme === 'https') {
    const port = parsed.port ? Number(parsed.port) : 443;
    progress(`TLS handshake with ${parsed.host}`);
    try {
      transport.tls = await probeTls(parsed.hostname, port, options.tls);
    } catch (e) {
      warn(`TLS ${parsed.host}`, e);
    }
  }

  const facts: RegistryAuditFacts = {
    url: `${scheme}://${parsed.host}`,
    loopback: isLoopbackHost(parsed.host),
    transport,
    ping: {
      status: ping.status,
      anonymousOk: ping.status === 200,
      ...(ping.headers['server'] !== undefined ? { server: ping.headers['server'] } : {}),
      ...(ping.apiVersion !== undefined ? { apiVersion: ping.apiVersion } : {}),
    },
    repositories: [],
    options: { staleDays: options.staleDays, public: options.public },
  };
  const server = identifyServer(ping.headers);
  if (server) facts.server = server;

  progress('GET /v2/_catalog (anonymous)');
  try {
    facts.catalogAnonymous = await anonymous.canListCatalogAnonymously();
  } catch (e) {
    warn('anonymous catalog probe', e);
  }

  progress('GET /v2/_catalog');
  let names: string[] = [];
  try {
    names = [...new Set(await api.listRepositories())].sort();
  } catch (e) {
    warn('catalog', e);
  }
  if (options.repos) names = names.filter(options.repos);

  const results: RepositoryFacts[] = new Array(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      const name = names[i]!;
      progress(`repository ${name} (${i + 1}/${names.length})`);
      results[i] = await gatherRepository(api, anonymous, name, options.tagsPerRepoLimit, warn, osReader);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.repoConcurrency ?? 4, names.length)) }, worker));
  facts.repositories = results;
  if (osReader) warnings.push(...osReader.warnings);
  // Repositories are gathered concurrently: sorted, the warnings read the same on every run.
  return { facts, warnings: warnings.sort() };
}

type Warn = (where: string, e: unknown) => void;

async function gatherRepository(
  api: RegistryApi,
  anonymous: RegistryApi,
  name: string,
  limit: number | undefined,
  warn: Warn,
  osReader: OsReleaseReader | undefined,
): Promise<RepositoryFacts> {
  const repo: RepositoryFacts = { name, tags: [], manifests: [] };
  let allTags: string[];
  try {
    allTags = [...new Set(await api.listTags(name))].sort();
  } catch (e) {
    warn(`repository ${name} (tags)`, e);
    return repo;
  }

  const infos = new Map<string, ManifestInfo>();
  const tagged = new Map<string, string[]>();
  const fetchTag = async (tag: string): Promise<void> => {
    try {
      const info = await api.getManifest(name, tag);
      infos.set(info.digest, info);
      tagged.set(info.digest, [...(tagged.get(info.digest) ?? []), tag]);
      repo.tags.push({ tag, digest: info.digest });
    } catch (e) {
      warn(`${name}:${tag}`, e);
    }
  };

  let ordinary = allTags.filter((t) => !attachmentFromTag(t));
  let attachments = allTags.filter((t) => attachmentFromTag(t));
  if (limit !== undefined && ordinary.length > limit) {
    warn(`repository ${name}`, `${ordinary.length} tags, only the first ${limit} audited`);
    ordinary = ordinary.slice(0, limit);
  }
  await Promise.all(ordinary.map(fetchTag));
  if (limit !== undefined) attachments = attachments.filter((t) => tagged.has(attachmentFromTag(t)!.digest));
  await Promise.all(attachments.map(fetchTag));

  // Every manifest once, by digest. `hint` is the tag the class may lean on (an attachment tag wins).
  const facts = new Map<string, ManifestFacts>();
  const pending = new Map<string, Promise<ManifestFacts | undefined>>();
  const record = async (info: ManifestInfo, hint: string | undefined, expand: { referrers: boolean }): Promise<ManifestFacts> => {
    const cls = classifyManifest({
      mediaType: info.mediaType,
      json: info.json,
      ...(info.artifactType !== undefined ? { artifactType: info.artifactType } : {}),
      ...(info.configMediaType !== undefined ? { configMediaType: info.configMediaType } : {}),
      ...(hint !== undefined ? { tag: hint } : {}),
    });
    const m: ManifestFacts = { digest: info.digest, class: cls };
    facts.set(info.digest, m);
    const work: Promise<unknown>[] = [];
    if (cls.class === 'image' && info.configDigest) {
      work.push(
        api.getBlobJson(name, info.configDigest).then(
          (blob) => {
            const created = (blob.json as { created?: unknown } | null)?.created;
            if (typeof created === 'string' && !Number.isNaN(Date.parse(created))) m.created = created;
          },
          (e: unknown) => warn(`${name}@${info.digest} (config ${info.configDigest})`, e),
        ),
      );
    }
    if (osReader && cls.class === 'image' && info.layers?.length) {
      const layers = info.layers;
      work.push(
        osReader.osEolOf(name, layers).then(
          (verdict) => {
            if (verdict) m.osEol = verdict;
          },
          (e: unknown) => warn(`${name}@${info.digest} (base OS)`, e),
        ),
      );
    }
    // Children of an index (any index-shaped manifest but the tag schema's referrers index, whose entries are
    // attached to its subject, not parts of it): reachable through the index's tags, fetched and judged through it.
    const listed = [...new Set((info.manifests ?? []).map((d: Descriptor) => d.digest))];
    if (listed.length && cls.class !== 'referrers-index') m.children = listed;
    work.push(...listed.map((d) => byDigest(d, { referrers: false })));
    if (expand.referrers && (cls.class === 'image' || cls.class === 'index')) {
      work.push(
        api.referrers(name, info.digest).then(
          async (found) => {
            const refs: ReferrerFacts[] = found.descriptors.map((d) => ({ digest: d.digest, ...(typeof d.artifactType === 'string' && d.artifactType ? { artifactType: d.artifactType } : {}) }));
            if (refs.length || found.source === 'api') m.referrers = refs;
            await Promise.all(refs.map((r) => byDigest(r.digest, { referrers: false })));
          },
          (e: unknown) => warn(`${name}@${info.digest} (referrers)`, e),
        ),
      );
    }
    await Promise.all(work);
    return m;
  };
  const startTagged = (digest: string): Promise<ManifestFacts | undefined> => {
    const known = pending.get(digest);
    if (known) return known;
    const tags = tagged.get(digest)!;
    const hint = tags.find((t) => attachmentFromTag(t)) ?? tags[0];
    const p = record(infos.get(digest)!, hint, { referrers: true }).catch((e: unknown) => (warn(`${name}@${digest}`, e), undefined));
    pending.set(digest, p);
    return p;
  };
  const byDigest = (digest: string, expand: { referrers: boolean }): Promise<ManifestFacts | undefined> => {
    if (tagged.has(digest)) return startTagged(digest);
    const known = pending.get(digest);
    if (known) return known;
    const p = api
      .getManifest(name, digest)
      .then((info) => record(info, undefined, expand))
      .catch((e: unknown) => (warn(`${name}@${digest}`, e), undefined));
    pending.set(digest, p);
    return p;
  };

  // Tagged digests first (with their tag hint), then the subjects `sha256-<hex>.sig|.att|.sbom` tags name.
  const top = [...tagged.keys()].map(startTagged);
  await Promise.all(top);
  const subjects = attachments.map((t) => attachmentFromTag(t)!.digest).filter((d) => !tagged.has(d));
  await Promise.all(
    [...new Set(subjects)].map(async (digest) => {
      if (pending.has(digest)) return;
      // A signature may outlive its image: a missing subject is no failure of the audit, just nothing to record.
      const p = api.getManifest(name, digest).then(
        (info) => record(info, undefined, { referrers: true }),
        (e: unknown) => {
          if (!(isBulwarkError(e) && e.code === 'E_NOT_FOUND')) warn(`${name}@${digest}`, e);
          return undefined;
        },
      );
      pending.set(digest, p);
      await p;
    }),
  );
  // Referrers/children found while recording are awaited through their parents; wait for any stragglers.
  await Promise.all(pending.values());

  repo.tags.sort((a: TagFacts, b: TagFacts) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  repo.manifests = [...facts.values()].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));

  // One sampled pull without credentials: an ordinary tag when there is one.
  const sample = repo.tags.find((t) => !attachmentFromTag(t.tag)) ?? repo.tags[0];
  if (sample) {
    try {
      repo.anonymousPull = await anonymous.canPullAnonymously(name, sample.tag);
    } catch (e) {
      warn(`${name}:${sample.tag} (anonymous pull)`, e);
    }
  }
  return repo;
}
