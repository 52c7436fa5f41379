import type { Descriptor } from '../../sources/oci-schema.js';
import type { RetryOptions } from './retry.js';

export interface RegistryApiOptions {
  /** `host[:port]`, or `http(s)://host[:port]`; loopback hosts default to http, everything else to https. */
  url: string;
  /** Bounds connecting, waiting for headers and every body stall, per request. */
  timeoutMs: number;
  /** Like the image sources: https without certificate checks, then plain http if the TLS/TCP exchange fails. */
  insecure?: boolean;
  username?: string;
  password?: string;
  /** A ready bearer token; skips the challenge flow entirely. */
  registryToken?: string;
  /** A docker config.json (or its folder) to take credentials from. */
  dockerConfigPath?: string;
  /** Environment used for BULWARK_USERNAME/BULWARK_PASSWORD and DOCKER_CONFIG; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Never more than this many HTTP exchanges at once (registry and token server together); default 4. */
  maxConcurrent?: number;
  /** Page size asked for with `?n=` on catalog and tag lists; default 100. */
  pageSize?: number;
  retry?: RetryOptions;
  /** Prefix of every error message; default `registry <host>`. */
  label?: string;
}

export type AuthScheme = 'basic' | 'bearer';

export interface PingResult {
  status: number;
  /** Every response header, lower-cased names, multi-valued ones joined with ", ". */
  headers: Record<string, string>;
  /** The Docker-Distribution-Api-Version header (e.g. `registry/2.0`), when sent. */
  apiVersion?: string;
  /** The challenge scheme when /v2/ wants authentication (401). */
  authScheme?: AuthScheme;
  realm?: string;
  service?: string;
}

export type ManifestKind = 'index' | 'image' | 'artifact' | 'schema1' | 'unknown';

export interface ManifestInfo {
  repository: string;
  /** What was asked for: a tag or a digest. */
  reference: string;
  /** Verified digest of `bytes` (for signed schema 1 manifests: the registry's Docker-Content-Digest, unverifiable). */
  digest: string;
  mediaType: string;
  /** image: a manifest with an image config; artifact: any other config type or an artifactType; schema1: deprecated, to be flagged. */
  kind: ManifestKind;
  bytes: Buffer;
  json: Record<string, unknown>;
  artifactType?: string;
  configMediaType?: string;
  configDigest?: string;
  subject?: Descriptor;
  /** Children of an index. */
  manifests?: Descriptor[];
  layers?: Descriptor[];
  annotations?: Record<string, string>;
}

export interface BlobJson {
  digest: string;
  bytes: Buffer;
  json: unknown;
}

export interface ReferrersResult {
  /** api: GET /v2/<repo>/referrers/<digest>; tag: the `sha256-<hex>` fallback tag (absent tag = no referrers). */
  source: 'api' | 'tag';
  descriptors: Descriptor[];
}
