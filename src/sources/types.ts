import type { Readable } from 'node:stream';
import type { ImageConfig } from '../image/config.js';

export type SourceKind = 'docker-archive' | 'oci-layout' | 'docker-engine' | 'registry';

export interface LayerDescriptor {
  /** Digest of the bytes openLayer() yields (the stored blob: compressed for registries, plain tar for legacy docker-archive). */
  digest: string;
  /** sha256 of the uncompressed tar, from the config's rootfs.diff_ids. */
  diffId: string;
  mediaType: string;
  /** Stored (possibly compressed) size when the manifest says it. */
  size?: number;
}

/**
 * A resolved image, before its layers are read. Every source (archive, layout, engine, registry) yields
 * this same shape; the config digest is already verified, layer bytes are verified while they stream.
 */
export interface ImageSource {
  kind: SourceKind;
  /** What the user asked for: a path or a reference. */
  reference: string;
  /** Canonical name when known, e.g. 127.0.0.1:5000/app:1.0. */
  name?: string;
  repoTags: string[];
  repoDigests: string[];
  manifestDigest?: string;
  configDigest: string;
  config: ImageConfig;
  layers: LayerDescriptor[];
  /** The stored bytes of layer i; may be gzip, zstd or plain tar. Each call opens a fresh stream. */
  openLayer(index: number): Promise<Readable>;
  close(): Promise<void>;
}

/**
 * A content-addressed store of blobs (see src/registry/scan/layer-cache.ts). `open` returns the blob's bytes,
 * calling `fetch` only when the digest is neither stored nor already being downloaded; what it stores is digest-verified.
 */
export interface BlobCache {
  open(digest: string, fetch: () => Promise<Readable>, info?: { size?: number; what?: string }): Promise<Readable>;
}

export interface SourceOptions {
  platform: { os: string; architecture: string; variant?: string };
  insecure: boolean;
  username?: string;
  password?: string;
  registryToken?: string;
  dockerConfigPath?: string;
  dockerHost?: string;
  timeoutMs: number;
  /** Scratch space the source may use (e.g. to spool an engine export); removed by the caller. */
  tempDir: string;
  /** Registry sources read layer blobs through this cache when set, so a layer shared by many images is fetched once. */
  layerCache?: BlobCache;
}
