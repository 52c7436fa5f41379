import { BulwarkError } from '../../core/errors.js';
import { parseImageConfig } from '../../image/config.js';
import { dockerArchiveManifestSchema, parseWith } from '../oci-schema.js';
import type { ImageSource } from '../types.js';
import { parseJsonDocument, type BlobStore } from './blob-store.js';
import { sha256Digest } from '../digest.js';

type ArchiveEntry = ReturnType<typeof dockerArchiveManifestSchema.parse>[number];

function pickEntry(entries: ArchiveEntry[], wanted: string | undefined, where: string): ArchiveEntry {
  if (wanted) {
    const hit = entries.find((e) => (e.RepoTags ?? []).some((t) => t === wanted || t === `${wanted}:latest` || t.endsWith(`/${wanted}`)));
    if (hit) return hit;
    if (entries.length > 1) {
      const tags = entries.flatMap((e) => e.RepoTags ?? []);
      throw new BulwarkError('E_NOT_FOUND', `${where}: no image "${wanted}" in the archive (tags: ${tags.join(', ') || 'untagged'})`);
    }
  }
  if (entries.length !== 1) {
    if (entries.length === 0) throw new BulwarkError('E_FORMAT', `${where}: manifest.json lists no images`);
    const tags = entries.flatMap((e) => e.RepoTags ?? []);
    throw new BulwarkError('E_USAGE', `${where}: holds ${entries.length} images; name one (${tags.join(', ') || 'untagged'})`);
  }
  return entries[0]!;
}

/** A hex digest embedded in a member name ("<hex>.json", "blobs/sha256/<hex>"), used to verify it. */
function digestInName(name: string): string | undefined {
  const m = /(?:^|\/)([a-f0-9]{64})(?:\.json)?$/.exec(name);
  return m ? `sha256:${m[1]}` : undefined;
}

/** Opens the format `docker save` writes (legacy or OCI-flavoured manifest.json). */
export async function openDockerArchive(
  store: BlobStore,
  reference: string,
  options: { wanted?: string; kind?: 'docker-archive' | 'docker-engine' },
): Promise<ImageSource> {
  const where = store.location;
  const manifest = parseWith(
    dockerArchiveManifestSchema,
    parseJsonDocument(await store.read('manifest.json'), `${where}: manifest.json`),
    `${where}: manifest.json`,
    'docker-archive manifest',
  );
  const entry = pickEntry(manifest, options.wanted, where);
  if (!(await store.has(entry.Config))) throw new BulwarkError('E_NOT_FOUND', `${where}: config ${entry.Config} named by manifest.json is missing`);
  const configBytes = await store.read(entry.Config);
  const configDigest = sha256Digest(configBytes);
  const named = digestInName(entry.Config);
  if (named && named !== configDigest) {
    throw new BulwarkError('E_DIGEST', `${where}: config ${entry.Config} has digest ${configDigest}`);
  }
  const config = parseImageConfig(configBytes, `${where}: ${entry.Config}`);
  const layers = [];
  for (const [i, name] of entry.Layers.entries()) {
    const size = await store.size(name);
    if (size === undefined) throw new BulwarkError('E_NOT_FOUND', `${where}: layer ${name} named by manifest.json is missing`);
    const diffId = config.rootfs.diff_ids[i] ?? '';
    // Legacy archives store plain tars named by layer id, so the stored digest is the diff_id.
    layers.push({ digest: digestInName(name) ?? diffId, diffId, mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size });
  }
  return {
    kind: options.kind ?? 'docker-archive',
    reference,
    repoTags: entry.RepoTags ?? [],
    repoDigests: [],
    configDigest,
    config,
    layers,
    openLayer: async (i) => store.stream(entry.Layers[i]!),
    close: async () => {},
  };
}
