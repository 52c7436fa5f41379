import { BulwarkError } from '../../core/errors.js';
import { parseImageConfig } from '../../image/config.js';
import {
  IMAGE_CONFIG_TYPES,
  indexSchema,
  isIndex,
  imageManifestSchema,
  parseWith,
  type Descriptor,
} from '../oci-schema.js';
import { selectPlatform, type Platform } from '../platform.js';
import type { ImageSource } from '../types.js';
import { parseJsonDocument, type BlobStore } from './blob-store.js';
import { blobPath, readVerifiedBlob } from './verified.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';
const MAX_INDEX_DEPTH = 4;

function refNames(d: Descriptor): string[] {
  return [d.annotations?.[REF_NAME], d.annotations?.[CONTAINERD_NAME]].filter((x): x is string => !!x);
}

function pickByTag(manifests: Descriptor[], tag: string | undefined, where: string): Descriptor[] {
  if (!tag) return manifests;
  const matches = manifests.filter((m) => refNames(m).some((n) => n === tag || n.endsWith(`:${tag}`)));
  if (matches.length === 0) {
    const known = manifests.flatMap(refNames);
    throw new BulwarkError('E_NOT_FOUND', `${where}: no image tagged "${tag}" (tags: ${known.join(', ') || 'none'})`);
  }
  return matches;
}

async function resolveManifest(store: BlobStore, entries: Descriptor[], platform: Platform, depth: number): Promise<{ descriptor: Descriptor; bytes: Buffer }> {
  const where = store.location;
  if (entries.length > 1 && !entries.some((e) => e.platform)) {
    const names = entries.flatMap(refNames);
    throw new BulwarkError('E_USAGE', `${where}: holds ${entries.length} images; name one by tag (${names.join(', ') || 'untagged'})`);
  }
  const chosen = entries.length === 1 ? entries[0]! : selectPlatform(entries, platform, where);
  const bytes = await readVerifiedBlob(store, chosen.digest, 'manifest');
  const doc = parseJsonDocument(bytes, `${where}: manifest ${chosen.digest}`);
  if (!isIndex(doc)) return { descriptor: chosen, bytes };
  if (depth >= MAX_INDEX_DEPTH) throw new BulwarkError('E_FORMAT', `${where}: image indexes nested deeper than ${MAX_INDEX_DEPTH}`);
  const nested = parseWith(indexSchema, doc, `${where}: index ${chosen.digest}`, 'image index');
  return resolveManifest(store, nested.manifests, platform, depth + 1);
}

/** Opens an OCI image layout (directory or tar) as an image source. `tag` selects among several images. */
export async function openOciLayout(
  store: BlobStore,
  reference: string,
  options: { tag?: string; platform: Platform },
): Promise<ImageSource> {
  const where = store.location;
  const index = parseWith(indexSchema, parseJsonDocument(await store.read('index.json'), `${where}: index.json`), `${where}: index.json`, 'OCI index');
  const entries = pickByTag(index.manifests, options.tag, where);
  if (entries.length === 0) throw new BulwarkError('E_NOT_FOUND', `${where}: index.json lists no images`);
  const { descriptor, bytes } = await resolveManifest(store, entries, options.platform, 0);
  const manifest = parseWith(imageManifestSchema, parseJsonDocument(bytes, `${where}: manifest`), `${where}: manifest ${descriptor.digest}`, 'image manifest');
  if (!IMAGE_CONFIG_TYPES.includes(manifest.config.mediaType)) {
    throw new BulwarkError('E_UNSUPPORTED', `${where}: not a container image (config media type ${manifest.config.mediaType})`);
  }
  const config = parseImageConfig(await readVerifiedBlob(store, manifest.config.digest, 'config'), `${where}: config ${manifest.config.digest}`);
  for (const layer of manifest.layers) {
    if (!(await store.has(blobPath(layer.digest)))) {
      throw new BulwarkError('E_NOT_FOUND', `${where}: manifest names layer blob ${layer.digest}, which is missing`);
    }
  }
  return {
    kind: 'oci-layout',
    reference,
    repoTags: refNames(descriptor).length ? refNames(descriptor) : entries.flatMap(refNames),
    repoDigests: [],
    manifestDigest: descriptor.digest,
    configDigest: manifest.config.digest,
    config,
    layers: manifest.layers.map((l, i) => ({
      digest: l.digest,
      diffId: config.rootfs.diff_ids[i] ?? '',
      mediaType: l.mediaType,
      size: l.size,
    })),
    openLayer: async (i) => store.stream(blobPath(manifest.layers[i]!.digest)),
    close: async () => {},
  };
}
