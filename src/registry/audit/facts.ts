import type { ArtifactClass } from './classify.js';

/**
 * Everything `bulwark registry audit URL` judges, gathered by the HTTP layer beforehand. The rules read only this
 * model: no I/O, so each rule can be tested on a hand-written facts set. Unknown is never guessed: an absent
 * optional field means "not probed" and the rules that need it stay silent.
 */
export interface RegistryAuditFacts {
  /** Base URL as audited, e.g. "https://registry.example.com" (no trailing /v2/). */
  url: string;
  /** True when the host is 127.0.0.0/8, ::1 or "localhost": plain HTTP is accepted there. */
  loopback: boolean;
  transport: TransportFacts;
  /** The anonymous `GET /v2/` probe (no Authorization header). */
  ping: PingFacts;
  /** Anonymous `GET /v2/_catalog`: true when it answered 200 with a repository list; undefined when not probed. */
  catalogAnonymous?: boolean;
  /** Who the server is: from headers and known endpoints (see identifyServer). */
  server?: ServerIdentity;
  repositories: RepositoryFacts[];
  options: AuditOptions;
}

export interface TransportFacts {
  scheme: 'http' | 'https';
  /** The TLS handshake (https only). */
  tls?: TlsFacts;
}

export interface TlsFacts {
  /** Chain verified against the trust store, host name matched, within validity. */
  valid: boolean;
  /** Node's verification error code or message, e.g. "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT". */
  error?: string;
  /** Certificate notAfter, ISO 8601. */
  expiresAt?: string;
}

export interface PingFacts {
  /** HTTP status of the anonymous GET /v2/. */
  status: number;
  /** 200 without credentials: the API is open to anyone who can reach it. */
  anonymousOk: boolean;
  /** Server response header. */
  server?: string;
  /** Docker-Distribution-Api-Version response header, e.g. "registry/2.0". */
  apiVersion?: string;
}

/** A registry product and version, as far as they could be told. */
export interface ServerIdentity {
  /** Product key as in data/registry/servers.json: "distribution", "docker-registry-v1", "harbor", "nexus", ... */
  product: string;
  version?: string;
  /** What told: "Server header", "GET /api/v2.0/systeminfo", ... */
  source: string;
}

export interface RepositoryFacts {
  name: string;
  /** Anonymous pull of one sampled manifest of this repository: true when it answered 200; undefined when not tried. */
  anonymousPull?: boolean;
  /** Every tag (paginated listing) and the digest it resolves to. */
  tags: TagFacts[];
  /** Every manifest fetched: the tagged ones, their index children, referrers, and any untagged digests found. */
  manifests: ManifestFacts[];
}

export interface TagFacts {
  tag: string;
  digest: string;
}

export interface ManifestFacts {
  digest: string;
  /** classifyManifest's verdict. */
  class: ArtifactClass;
  /** Image config `created` (ISO 8601), images only. */
  created?: string;
  /** Index children digests (image index / manifest list): they are reachable through the index's tags. */
  children?: string[];
  /** What the referrers API listed for this digest (GET /v2/<name>/referrers/<digest>). */
  referrers?: ReferrerFacts[];
  /** The base OS support verdict for images, computed with the image rules' end-of-life data. */
  osEol?: OsEolFacts;
}

export interface ReferrerFacts {
  digest: string;
  artifactType?: string;
}

export interface OsEolFacts {
  /** "debian 10 (Buster)". */
  release: string;
  /** 'eol': past its end of security support; the other states are not reported. */
  status: 'supported' | 'near-eol' | 'eol' | 'unknown';
  /** End of support, YYYY-MM-DD. */
  eolDate?: string;
}

export interface AuditOptions {
  /** An image whose config `created` is older than this many days is stale (default 90). */
  staleDays: number;
  /** The registry is meant to be public (`--public`): anonymous access is reported at LOW severity. */
  public: boolean;
}

export const DEFAULT_STALE_DAYS = 90;

export function defaultAuditOptions(partial: Partial<AuditOptions> = {}): AuditOptions {
  return { staleDays: partial.staleDays ?? DEFAULT_STALE_DAYS, public: partial.public ?? false };
}
