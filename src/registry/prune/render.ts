/** Plain-text rendering of a prune plan: one table per repository (digest, tags, pushed, KEEP/EXPIRE, rule/reason). */
import type { PrunePlanResult, RepositoryPrunePlan } from './plan.js';

export interface RenderPruneOptions {
  /** true: the plan is about to be applied ("DELETE"); false: a dry run ("EXPIRE", nothing deleted). */
  apply: boolean;
}

/** `sha256:0123456789ab` (12 hex digits), the short form docker prints. */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest.slice(0, 12) : `${digest.slice(0, i)}:${digest.slice(i + 1, i + 13)}`;
}

/** Tabs, newlines and other control characters from the registry must not break the table or the terminal. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function pushed(iso: string | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z').replace('T', ' ') : '?';
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (c === r.length - 1 ? 0 : r[c]!.length))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

function repoRows(repo: RepositoryPrunePlan, apply: boolean): string[][] {
  type Row = { digest: string; tags: string[]; created?: string; action: string; why: string; sort: number };
  const rows: Row[] = [];
  const createdOf = (d: string): string | undefined => repo.manifests[d]?.created;
  for (const e of repo.plan.expire) {
    rows.push({ digest: e.digest, tags: e.tags, created: e.pushedAt.toISOString(), action: apply ? 'DELETE' : 'EXPIRE', why: e.reason, sort: e.pushedAt.getTime() });
  }
  for (const k of repo.plan.keep) {
    const c = createdOf(k.digest);
    rows.push({ digest: k.digest, tags: k.tags, ...(c ? { created: c } : {}), action: 'KEEP', why: k.reason, sort: c ? Date.parse(c) : Number.POSITIVE_INFINITY });
  }
  for (const s of repo.skipped) {
    const c = createdOf(s.digest);
    rows.push({ digest: s.digest, tags: s.tags, ...(c ? { created: c } : {}), action: 'KEEP', why: s.reason, sort: c ? Date.parse(c) : Number.POSITIVE_INFINITY });
  }
  // Newest first, like `docker images`; unknown push times last.
  rows.sort((a, b) => {
    if (a.sort !== b.sort) return a.sort === Infinity ? 1 : b.sort === Infinity ? -1 : b.sort - a.sort;
    return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
  });
  return rows.map((r) => [shortDigest(r.digest), r.tags.length ? clean(r.tags.join(',')) : '<untagged>', pushed(r.created), r.action, clean(r.why)]);
}

export function renderPrunePlan(result: PrunePlanResult, options: RenderPruneOptions): string {
  const out: string[] = [];
  out.push(`Retention plan at ${result.now}${options.apply ? '' : ' (dry run: nothing is deleted)'}`);
  out.push('PUSHED is the image config\'s created time: the registry API has no push time.');
  let expire = 0;
  let keep = 0;
  for (const repo of result.repositories) {
    out.push('');
    const n = repo.plan.expire.length;
    const k = repo.plan.keep.length + repo.skipped.length;
    expire += n;
    keep += k;
    out.push(`${clean(repo.name)}: ${n} to ${options.apply ? 'delete' : 'expire'}, ${k} to keep`);
    if (n + k === 0) continue;
    out.push(...table([['DIGEST', 'TAGS', 'PUSHED', 'ACTION', 'RULE / REASON'], ...repoRows(repo, options.apply)]).map((l) => `  ${l}`));
  }
  if (result.repositories.length === 0) out.push('', 'No repositories selected.');
  const warnings = result.warnings.filter((w) => !w.startsWith('the registry API has no push time'));
  if (warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of warnings) out.push(`  - ${clean(w)}`);
  }
  out.push('');
  out.push(
    options.apply
      ? `${expire} manifest${expire === 1 ? '' : 's'} will be deleted by digest (with every tag on them), ${keep} kept.`
      : `${expire} manifest${expire === 1 ? '' : 's'} would be deleted, ${keep} kept. Nothing was deleted; run with --apply to delete.`,
  );
  return `${out.join('\n')}\n`;
}
