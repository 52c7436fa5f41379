import picomatch from 'picomatch';
import type { RegistryApi } from '../api/index.js';

export interface ImageSelection {
  /** Repository glob(s) (picomatch: `*` stays within one path segment, `**` crosses `/`); default: every repository. */
  repos?: string | string[];
  /** Tag glob(s); default: every tag. */
  tags?: string | string[];
}

function matcher(globs: string | string[] | undefined): (value: string) => boolean {
  const list = globs === undefined ? [] : (Array.isArray(globs) ? globs : [globs]).filter((g) => g !== '');
  if (list.length === 0) return () => true;
  return picomatch(list, { dot: true });
}

/**
 * Lists the catalog and the tags of every selected repository and returns `host/repo:tag` references (the form
 * openRegistryImage takes), sorted. Listing errors (catalog or a repository's tags) propagate.
 */
export async function selectImages(api: Pick<RegistryApi, 'host' | 'listRepositories' | 'listTags'>, selection: ImageSelection = {}): Promise<string[]> {
  const repoOk = matcher(selection.repos);
  const tagOk = matcher(selection.tags);
  const repos = (await api.listRepositories()).filter(repoOk).sort();
  const tagLists = await Promise.all(repos.map((repo) => api.listTags(repo)));
  return repos.flatMap((repo, i) =>
    [...new Set(tagLists[i]!)]
      .filter(tagOk)
      .sort()
      .map((tag) => `${api.host}/${repo}:${tag}`),
  );
}
