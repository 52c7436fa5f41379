/**
 * `bulwark registry prune --apply`: delete the planned manifests by digest, then read the registry back to confirm.
 *
 * Before deleting in a repository its tags are resolved again: DELETE by digest also removes every tag pointing at
 * that digest, so a digest that picked up a tag the plan did not know (a rollback re-tagging an old image as
 * `latest`) is refused, not deleted. One failed deletion never stops the others.
 *
 * Deleting a manifest frees no storage by itself: the registry's garbage collector removes the blobs later.
 */
import { BulwarkError } from '../../core/errors.js';
import type { RegistryApi } from '../api/index.js';
import type { PruneManifest, PrunePlanResult, PruneProgress, RepositoryPrunePlan } from './plan.js';

export interface ApplyPruneOptions {
  onProgress?: (p: PruneProgress) => void;
  /** Re-resolve every tag before deleting and refuse digests that gained a tag since planning; default true. */
  recheckTags?: boolean;
}

export interface DeletedManifest {
  repo: string;
  digest: string;
  tags: string[];
}

export interface FailedDeletion {
  repo: string;
  digest: string;
  error: string;
}

export interface ApplyPruneResult {
  deleted: DeletedManifest[];
  failed: FailedDeletion[];
  /** What deleting did not free yet, in words (garbage collection, and an estimate of the bytes). */
  reclaim: string;
  /** Bytes of config and layer blobs no longer referenced by any remaining manifest Bulwark read, per repository. */
  reclaimableBytes: number;
  warnings: string[];
}

export const GC_COMMAND = 'registry garbage-collect <config.yml> --delete-untagged';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isNotFound(e: unknown): boolean {
  return e instanceof BulwarkError && e.code === 'E_NOT_FOUND';
}

/** Current tag → digest map of a repository (tags that vanish while reading are left out). */
async function currentTags(api: RegistryApi, repo: string): Promise<Map<string, string>> {
  const tags = await api.listTags(repo);
  const out = new Map<string, string>();
  await Promise.all(
    tags.map(async (tag) => {
      try {
        out.set(tag, (await api.getManifest(repo, tag)).digest);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }),
  );
  return out;
}

/**
 * Bytes of blobs referenced by `gone` manifests and by none of the manifests that remain. Children of a deleted
 * index count as gone unless something remaining (a tag, a kept index) still holds them.
 */
export function unreferencedBytes(manifests: Record<string, PruneManifest>, deleted: ReadonlySet<string>): number {
  const all = Object.values(manifests);
  const remaining = new Set<string>();
  const hold = (digest: string): void => {
    if (remaining.has(digest) || deleted.has(digest)) return;
    remaining.add(digest);
    for (const c of manifests[digest]?.children ?? []) hold(c);
  };
  for (const m of all) if (!m.childOnly) hold(m.digest);
  const referenced = new Set<string>();
  for (const d of remaining) for (const b of manifests[d]?.blobs ?? []) referenced.add(b.digest);
  const freed = new Map<string, number>();
  for (const m of all) {
    if (remaining.has(m.digest)) continue;
    for (const b of m.blobs) if (!referenced.has(b.digest)) freed.set(b.digest, b.size);
  }
  let total = 0;
  for (const size of freed.values()) total += size;
  return total;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

async function applyRepository(api: RegistryApi, repo: RepositoryPrunePlan, options: ApplyPruneOptions, result: ApplyPruneResult): Promise<Set<string>> {
  const gone = new Set<string>();
  const expire = repo.plan.expire;
  if (expire.length === 0) return gone;
  let targets = expire;
  if (options.recheckTags ?? true) {
    let now: Map<string, string>;
    try {
      now = await currentTags(api, repo.name);
    } catch (e) {
      for (const x of expire) result.failed.push({ repo: repo.name, digest: x.digest, error: `not deleted: cannot re-read the tags of ${repo.name} before deleting: ${message(e)}` });
      return gone;
    }
    targets = [];
    for (const x of expire) {
      const planned = new Set(x.tags);
      const gained = [...now].filter(([tag, d]) => d === x.digest && !planned.has(tag)).map(([tag]) => tag);
      if (gained.length > 0) {
        result.failed.push({
          repo: repo.name,
          digest: x.digest,
          error: `not deleted: tag ${gained.sort().join(', ')} now points at it (not in the plan); deleting would remove the tag; plan again`,
        });
      } else {
        targets.push(x);
      }
    }
  }
  let done = 0;
  for (const x of targets) {
    try {
      await api.deleteManifest(repo.name, x.digest);
      gone.add(x.digest);
      result.deleted.push({ repo: repo.name, digest: x.digest, tags: [...x.tags] });
    } catch (e) {
      if (isNotFound(e)) {
        result.warnings.push(`${repo.name}@${x.digest}: already gone when deleting`);
        gone.add(x.digest);
      } else {
        result.failed.push({ repo: repo.name, digest: x.digest, error: message(e) });
      }
    }
    options.onProgress?.({ phase: 'delete', repository: repo.name, done: ++done, total: targets.length });
  }

  // Read back: each deleted digest must 404, and its tags must be gone from the tag list.
  done = 0;
  const confirmed = [...gone];
  for (const digest of confirmed) {
    try {
      await api.getManifest(repo.name, digest);
      gone.delete(digest);
      const i = result.deleted.findIndex((d) => d.repo === repo.name && d.digest === digest);
      if (i >= 0) result.deleted.splice(i, 1);
      result.failed.push({ repo: repo.name, digest, error: 'the registry accepted the DELETE but still serves the manifest' });
    } catch (e) {
      if (!isNotFound(e)) result.warnings.push(`${repo.name}@${digest}: cannot confirm the deletion: ${message(e)}`);
    }
    options.onProgress?.({ phase: 'confirm', repository: repo.name, done: ++done, total: confirmed.length });
  }
  try {
    const listed = new Set(await api.listTags(repo.name));
    for (const d of result.deleted) {
      if (d.repo !== repo.name) continue;
      const left = d.tags.filter((t) => listed.has(t));
      for (const t of left) {
        try {
          if ((await api.getManifest(repo.name, t)).digest !== d.digest) continue; // re-pushed elsewhere since: fine
        } catch (e) {
          if (isNotFound(e)) continue;
        }
        result.warnings.push(`${repo.name}:${t}: still listed after deleting ${d.digest}`);
      }
    }
  } catch (e) {
    result.warnings.push(`${repo.name}: cannot re-list tags to confirm: ${message(e)}`);
  }
  return gone;
}

/** Delete what `plan` expires. Never throws for a single manifest; see `failed`. */
export async function applyPrune(api: RegistryApi, plan: PrunePlanResult, options: ApplyPruneOptions = {}): Promise<ApplyPruneResult> {
  const result: ApplyPruneResult = { deleted: [], failed: [], reclaim: '', reclaimableBytes: 0, warnings: [] };
  for (const repo of plan.repositories) {
    const gone = await applyRepository(api, repo, options, result);
    if (gone.size > 0) result.reclaimableBytes += unreferencedBytes(repo.manifests, gone);
  }
  const n = result.deleted.length;
  if (n === 0) {
    result.reclaim = 'nothing was deleted, so there is nothing for the garbage collector to reclaim';
  } else {
    result.reclaim =
      `deleted ${n} manifest${n === 1 ? '' : 's'}; their blobs stay on disk until the registry's garbage collector runs ` +
      `(distribution: \`${GC_COMMAND}\`, with the registry read-only or stopped; hosted registries run their own)` +
      (result.reclaimableBytes > 0
        ? `; about ${formatBytes(result.reclaimableBytes)} (${result.reclaimableBytes} bytes) of config and layer blobs are no longer ` +
          'referenced by any remaining manifest read in the same repository (an upper bound: other repositories and untagged manifests Bulwark did not read may share them)'
        : '; every blob of the deleted manifests is still referenced by a remaining manifest');
  }
  return result;
}
