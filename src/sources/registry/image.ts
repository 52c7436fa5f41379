import type { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import type { ImageConfig } from '../../image/config.js';
import type { ImageSource, LayerDescriptor, SourceOptions } from '../types.js';
import { fetchConfig, openBlob } from './blobs.js';
import { RegistryClient } from './client.js';
import { fetchManifest, type FetchedManifest } from './manifest.js';
import { selectPlatform } from '../platform.js';
import { displayName, familiarRepository, parseReference, type ImageReference } from '../../core/image-reference.js';
import { IMAGE_CONFIG_TYPES, LAYER_TYPE, type ImageManifest } from '../oci-schema.js';

type ImageManifestResult = Extract<FetchedManifest, { kind: 'image' }>;

/** Nested indexes are legal but rare; two levels is what real registries serve. */
const MAX_INDEX_DEPTH = 2;

/**
 * Opens `host[:port]/repo[:tag][@digest]` through the distribution API: resolves an index to the
 * wanted platform, verifies manifest and config digests, and streams layer blobs on demand.
 */
export async function openRegistryImage(reference: string, options: SourceOptions): Promise<ImageSource> {
  const ref = parseReference(reference);
  const client = new RegistryClient(ref, options, reference);
  try {
    return await resolveImage(ref, client, options);
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}

async function resolveImage(ref: ImageReference, client: RegistryClient, options: SourceOptions): Promise<ImageSource> {
  const top = await fetchManifest(client, ref.digest ?? ref.tag ?? 'latest');
  const image = await toImageManifest(top, client, options, 0);
  assertContainerImage(image.manifest, client.ctx.label);
  const config = await fetchConfig(client, image.manifest.config);
  const layers = describeLayers(image.manifest, config, client.ctx.label);
  const repo = familiarRepository(ref);
  return {
    kind: 'registry',
    reference: ref.input,
    name: displayName(ref),
    repoTags: ref.tag ? [`${repo}:${ref.tag}`] : [],
    // The digest a user pulls by: the index's when the reference resolved to one.
    repoDigests: [`${repo}@${ref.digest ?? top.digest}`],
    manifestDigest: image.digest,
    configDigest: image.manifest.config.digest,
    config,
    layers,
    openLayer: (index: number) => openLayer(client, layers, index),
    close: () => client.close(),
  };
}

async function toImageManifest(
  fetched: FetchedManifest,
  client: RegistryClient,
  options: SourceOptions,
  depth: number,
): Promise<ImageManifestResult> {
  if (fetched.kind === 'image') return fetched;
  if (depth >= MAX_INDEX_DEPTH) throw new BulwarkError('E_UNSUPPORTED', `${client.ctx.label}: image indexes nested too deeply`);
  const chosen = selectPlatform(fetched.index.manifests, options.platform, client.ctx.label);
  return toImageManifest(await fetchManifest(client, chosen.digest), client, options, depth + 1);
}

function assertContainerImage(manifest: ImageManifest, label: string): void {
  const configType = manifest.config.mediaType;
  if (!IMAGE_CONFIG_TYPES.includes(configType)) {
    throw new BulwarkError('E_UNSUPPORTED', `${label}: not a container image (config media type ${configType})`);
  }
  manifest.layers.forEach((layer, i) => {
    if (!LAYER_TYPE.test(layer.mediaType)) {
      throw new BulwarkError('E_UNSUPPORTED', `${label}: layer ${i} has media type ${layer.mediaType}, not a filesystem layer`);
    }
  });
}

function describeLayers(manifest: ImageManifest, config: ImageConfig, label: string): LayerDescriptor[] {
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw new BulwarkError(
      'E_FORMAT',
      `${label}: manifest lists ${manifest.layers.length} layers but the config's rootfs.diff_ids has ${diffIds.length}`,
    );
  }
  return manifest.layers.map((layer, i) => ({
    digest: layer.digest,
    diffId: diffIds[i]!,
    mediaType: layer.mediaType,
    size: layer.size,
  }));
}

function openLayer(client: RegistryClient, layers: LayerDescriptor[], index: number): Promise<Readable> {
  const layer = layers[index];
  if (!layer) {
    return Promise.reject(new BulwarkError('E_INPUT', `${client.ctx.label}: no layer ${index} (the image has ${layers.length})`));
  }
  return openBlob(client, layer.digest, `layer ${index} blob`);
}
