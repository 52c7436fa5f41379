/**
 * `bulwark registry prune`, planning half: read every repository's tags, resolve them to manifests, give each
 * manifest a push time and hand the images to the retention planner (src/registry/retention).
 *
 * The Distribution API has no push time. Bulwark uses the image config's `created` field instead (for an index:
 * the newest `created` among its image children). That is the build time, which is usually a little before the push
 * and can be much earlier for a re-pushed or copied image; reproducible builds often set it to the epoch. So:
 * - a digest whose `created` cannot be read (missing, unparsable, an artifact without one, or a placeholder before
 *   1980) is kept and warned about, never expired;
 * - children of an index that stays are never expired, even when a rule selects them on their own tags.
 *
 * The Distribution API cannot list untagged manifests either: only the digests the caller names in `knownDigests`
 * (and, through their indexes, index children) are seen as untagged images.
 */
import { BulwarkError } from '../../core/errors.js';
import type { RegistryApi } from '../api/index.js';
import type { ManifestInfo } from '../api/index.js';
import { planRetention, type RepoImage, type RetentionPlan, type RetentionPolicy } from '../retention/index.js';

export type PrunePhase = 'catalog' | 'tags' | 'resolve' | 'delete' | 'confirm';

export interface PruneProgress {
  phase: PrunePhase;
  repository?: string;
  done: number;
  total: number;
}

export interface PrunePlanOptions {
  policy: RetentionPolicy;
  now: Date;
  /** Which repositories of the catalog to prune; default all. */
  repos?: (name: string) => boolean;
  /**
   * Use these repositories instead of reading the catalog (registries that refuse GET /v2/_catalog); still filtered
   * by `repos`.
   */
  repositories?: string[];
  /** Untagged digests known to the caller, per repository (the API cannot list them). */
  knownDigests?: (repository: string) => readonly string[];
  onProgress?: (p: PruneProgress) => void;
}

export interface BlobRef {
  digest: string;
  size: number;
}

/** One manifest Bulwark read while planning. */
export interface PruneManifest {
  digest: string;
  kind: ManifestInfo['kind'];
  mediaType: string;
  tags: string[];
  /** The push time used (config `created`), ISO 8601; absent when unreadable. */
  created?: string;
  /** Index children digests. */
  children?: string[];
  /** Config and layer blobs (images and artifacts). */
  blobs: BlobRef[];
  /** True for a manifest seen only as a child of an index (not tagged, not named in knownDigests). */
  childOnly?: boolean;
}

export interface SkippedImage {
  digest: string;
  tags: string[];
  reason: string;
}

export interface RepositoryPrunePlan {
  name: string;
  plan: RetentionPlan;
  /** Images that were never planned or were taken out of `expire`: they stay. */
  skipped: SkippedImage[];
  /** Every manifest read in this repository, by digest (tagged, known, index children). */
  manifests: Record<string, PruneManifest>;
}

export interface PrunePlanResult {
  /** ISO 8601 of `now`. */
  now: string;
  repositories: RepositoryPrunePlan[];
  warnings: string[];
}

/** Config `created` times before this are placeholders (reproducible builds use the epoch), not push times. */
export const MIN_PLAUSIBLE_CREATED = Date.UTC(1980, 0, 1);

export const PUSH_TIME_NOTE =
  'the registry API has no push time; "pushed" is the image config\'s created time (an index: its newest image child)';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isNotFound(e: unknown): boolean {
  return e instanceof BulwarkError && e.code === 'E_NOT_FOUND';
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

type Created = { ok: true; at: Date } | { ok: false; why: string };

function parseCreated(json: unknown): Created {
  const created = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).created : undefined;
  if (created === undefined) return { ok: false, why: 'the image config has no created time' };
  if (typeof created !== 'string') return { ok: false, why: 'the image config created field is not a string' };
  const ms = Date.parse(created);
  if (!Number.isFinite(ms)) return { ok: false, why: `the image config created time ${JSON.stringify(created.slice(0, 60))} is not a date` };
  if (ms < MIN_PLAUSIBLE_CREATED) {
    return { ok: false, why: `the image config created time ${created} is a placeholder (before 1980), not a push time` };
  }
  return { ok: true, at: new Date(ms) };
}

/** Reads manifests (each once) and their creation times for one repository. */
class RepoReader {
  readonly manifests = new Map<string, PruneManifest>();
  private readonly infos = new Map<string, Promise<ManifestInfo>>();
  private readonly created = new Map<string, Promise<Created>>();

  constructor(
    private readonly api: RegistryApi,
    private readonly repo: string,
  ) {}

  manifest(reference: string): Promise<ManifestInfo> {
    let p = this.infos.get(reference);
    if (!p) {
      p = this.api.getManifest(this.repo, reference);
      this.infos.set(reference, p);
      p.catch(() => undefined);
    }
    return p;
  }

  remember(info: ManifestInfo): void {
    if (!this.infos.has(info.digest)) this.infos.set(info.digest, Promise.resolve(info));
  }

  record(info: ManifestInfo, childOnly: boolean): PruneManifest {
    let m = this.manifests.get(info.digest);
    if (!m) {
      const blobs: BlobRef[] = [];
      if (info.configDigest) {
        const size = (info.json.config as { size?: unknown } | undefined)?.size;
        blobs.push({ digest: info.configDigest, size: typeof size === 'number' ? size : 0 });
      }
      for (const l of info.layers ?? []) blobs.push({ digest: l.digest, size: l.size });
      m = { digest: info.digest, kind: info.kind, mediaType: info.mediaType, tags: [], blobs };
      if (info.manifests) m.children = info.manifests.map((d) => d.digest);
      if (childOnly) m.childOnly = true;
      this.manifests.set(info.digest, m);
    } else if (!childOnly) {
      delete m.childOnly;
    }
    return m;
  }

  /** Push time of a manifest by digest (cached). Index: newest image child. */
  createdOf(info: ManifestInfo, depth = 0): Promise<Created> {
    let p = this.created.get(info.digest);
    if (!p) {
      p = this.computeCreated(info, depth);
      this.created.set(info.digest, p);
    }
    return p;
  }

  private async computeCreated(info: ManifestInfo, depth: number): Promise<Created> {
    const m = this.manifests.get(info.digest);
    let result: Created;
    if (info.kind === 'image') {
      try {
        const blob = await this.api.getBlobJson(this.repo, info.configDigest!);
        result = parseCreated(blob.json);
      } catch (e) {
        result = { ok: false, why: `cannot read the image config: ${message(e)}` };
      }
    } else if (info.kind === 'schema1') {
      const history = info.json.history;
      const first = Array.isArray(history) ? (history[0] as { v1Compatibility?: unknown } | undefined)?.v1Compatibility : undefined;
      try {
        result = typeof first === 'string' ? parseCreated(JSON.parse(first)) : { ok: false, why: 'schema 1 manifest without history' };
      } catch {
        result = { ok: false, why: 'schema 1 history entry is not JSON' };
      }
    } else if (info.kind === 'index') {
      if (depth >= 2) return { ok: false, why: 'indexes nested too deeply' };
      let newest: Date | undefined;
      let images = 0;
      let problem: string | undefined;
      for (const child of info.manifests ?? []) {
        let ci: ManifestInfo;
        try {
          ci = await this.manifest(child.digest);
        } catch (e) {
          problem ??= `cannot read child ${child.digest}: ${message(e)}`;
          continue;
        }
        this.record(ci, true);
        if (ci.kind !== 'image' && ci.kind !== 'index' && ci.kind !== 'schema1') continue; // attestations and other artifacts
        images++;
        const c = await this.createdOf(ci, depth + 1);
        if (!c.ok) {
          problem ??= `child ${child.digest}: ${c.why}`;
          continue;
        }
        if (!newest || c.at > newest) newest = c.at;
      }
      if (problem) result = { ok: false, why: problem };
      else if (!newest || images === 0) result = { ok: false, why: 'the index has no image children' };
      else result = { ok: true, at: newest };
    } else {
      result = { ok: false, why: `a ${info.kind} manifest (${info.artifactType ?? info.configMediaType ?? info.mediaType}) has no image created time` };
    }
    if (m && result.ok) m.created = result.at.toISOString();
    return result;
  }
}

const RESOLVE_CONCURRENCY = 8;

async function planRepository(api: RegistryApi, repo: string, options: PrunePlanOptions, warnings: string[]): Promise<RepositoryPrunePlan> {
  const progress = options.onProgress;
  progress?.({ phase: 'tags', repository: repo, done: 0, total: 1 });
  const tags = await api.listTags(repo);
  progress?.({ phase: 'tags', repository: repo, done: 1, total: 1 });
  const known = [...new Set(options.knownDigests?.(repo) ?? [])];
  const reader = new RepoReader(api, repo);
  const skipped: SkippedImage[] = [];
  const total = tags.length + known.length;
  let done = 0;
  const tick = (): void => progress?.({ phase: 'resolve', repository: repo, done: ++done, total });

  // Tag → digest, then merge tags per digest.
  let unreadableTag = false;
  const resolved = await mapLimit(tags, RESOLVE_CONCURRENCY, async (tag) => {
    try {
      const info = await reader.manifest(tag);
      reader.record(info, false).tags.push(tag);
      reader.remember(info); // later look-ups by digest use this answer
      return info;
    } catch (e) {
      if (!isNotFound(e)) unreadableTag = true;
      warnings.push(
        isNotFound(e)
          ? `${repo}:${tag}: listed but its manifest is gone (deleted or re-tagged while planning); ignored`
          : `${repo}:${tag}: cannot read its manifest: ${message(e)}; every image stays untouched by this tag`,
      );
      return undefined;
    } finally {
      tick();
    }
  });
  const knownInfos = await mapLimit(known, RESOLVE_CONCURRENCY, async (digest) => {
    try {
      const info = await reader.manifest(digest);
      reader.record(info, false);
      return info;
    } catch (e) {
      warnings.push(`${repo}@${digest}: ${isNotFound(e) ? 'no such manifest (already deleted?)' : `cannot read it: ${message(e)}`}; ignored`);
      return undefined;
    } finally {
      tick();
    }
  });

  const top = new Map<string, ManifestInfo>();
  for (const info of [...resolved, ...knownInfos]) if (info) top.set(info.digest, info);

  // Push times.
  const images: RepoImage[] = [];
  await mapLimit([...top.values()], RESOLVE_CONCURRENCY, async (info) => {
    const c = await reader.createdOf(info);
    const m = reader.manifests.get(info.digest)!;
    m.tags.sort();
    if (c.ok) {
      images.push({ digest: info.digest, tags: [...m.tags], pushedAt: c.at });
    } else {
      skipped.push({ digest: info.digest, tags: [...m.tags], reason: `kept: no push time (${c.why})` });
      warnings.push(`${repo}@${info.digest}${m.tags.length ? ` (${m.tags.join(', ')})` : ''}: kept, push time unknown: ${c.why}`);
    }
  });
  images.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));

  let plan = planRetention(options.policy, images, options.now);

  // Children of an index that stays are never expired; repeat for nested indexes.
  for (;;) {
    const expiring = new Set(plan.expire.map((e) => e.digest));
    const protectedBy = new Map<string, string>();
    for (const m of reader.manifests.values()) {
      if (!m.children || expiring.has(m.digest)) continue;
      if (m.childOnly && !isKeptChild(m.digest, reader.manifests, expiring)) continue;
      for (const c of m.children) if (expiring.has(c) && !protectedBy.has(c)) protectedBy.set(c, m.digest);
    }
    if (protectedBy.size === 0) break;
    const expire = plan.expire.filter((e) => {
      const parent = protectedBy.get(e.digest);
      if (!parent) return true;
      const pt = reader.manifests.get(parent)?.tags ?? [];
      skipped.push({
        digest: e.digest,
        tags: e.tags,
        reason: `kept: a child of index ${parent}${pt.length ? ` (${pt.join(', ')})` : ''}, which stays (${e.reason})`,
      });
      return false;
    });
    plan = { expire, keep: plan.keep };
  }

  if (unreadableTag && plan.expire.length > 0) {
    // A tag we could not resolve may point at one of the expiring digests; deleting it would remove that tag too.
    for (const e of plan.expire) skipped.push({ digest: e.digest, tags: e.tags, reason: `kept: some tags of ${repo} could not be read (${e.reason})` });
    warnings.push(`${repo}: nothing is expired because some tags could not be read; a deletion could remove an unread tag`);
    plan = { expire: [], keep: plan.keep };
  }

  skipped.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return { name: repo, plan, skipped, manifests: Object.fromEntries(reader.manifests) };
}

/** Is `digest` (a child-only index) itself under an index that stays? */
function isKeptChild(digest: string, manifests: Map<string, PruneManifest>, expiring: Set<string>): boolean {
  for (const m of manifests.values()) {
    if (m.children?.includes(digest) && !expiring.has(m.digest) && (!m.childOnly || isKeptChild(m.digest, manifests, expiring))) return true;
  }
  return false;
}

/** Plan a prune of every selected repository. Reads only; deletes nothing. */
export async function prunePlan(api: RegistryApi, options: PrunePlanOptions): Promise<PrunePlanResult> {
  if (!Number.isFinite(options.now.getTime())) throw new TypeError('prunePlan: now is not a valid date');
  const warnings: string[] = [PUSH_TIME_NOTE];
  let names: string[];
  if (options.repositories) {
    names = [...options.repositories];
  } else {
    options.onProgress?.({ phase: 'catalog', done: 0, total: 1 });
    names = await api.listRepositories();
    options.onProgress?.({ phase: 'catalog', done: 1, total: 1 });
  }
  names = [...new Set(names)].filter((n) => options.repos?.(n) ?? true).sort();
  if (!options.knownDigests) {
    const untagged = options.policy.rules.some((r) => r.selection.tagStatus !== 'tagged');
    if (untagged) warnings.push('the registry API cannot list untagged manifests; rules over untagged images only see digests named explicitly');
  }
  const repositories: RepositoryPrunePlan[] = [];
  for (const name of names) {
    try {
      repositories.push(await planRepository(api, name, options, warnings));
    } catch (e) {
      warnings.push(`${name}: cannot plan, the repository is left alone: ${message(e)}`);
    }
  }
  return { now: options.now.toISOString(), repositories, warnings };
}
