import { IMAGE_CONFIG_TYPES, LAYER_TYPE, MEDIA } from '../../sources/oci-schema.js';
import { ARTIFACT_MEDIA, ATTESTATION_TYPE, CNAB_TYPE, HELM_TYPE, SBOM_TYPE, SIGNATURE_TYPE, WASM_TYPE } from './media-types.js';

/**
 * What a manifest in a registry is:
 * - image: a runnable container image (OCI or Docker v2 manifest with an image config);
 * - index: an image index / Docker manifest list (multi-arch);
 * - referrers-index: the index under a `sha256-<hex>` tag that the distribution spec's referrers tag schema keeps
 *   for registries without the referrers API (lists what is attached to that digest);
 * - schema1: deprecated Docker image manifest v2 schema 1 (signed or not);
 * - helm-chart, signature, sbom, attestation, wasm, cnab: the well-known artifact types;
 * - artifact: any other OCI artifact (empty config with an unknown artifactType, or an unknown config type);
 * - unknown: not a manifest this classifier understands.
 */
export type ArtifactKind =
  | 'image'
  | 'index'
  | 'referrers-index'
  | 'schema1'
  | 'helm-chart'
  | 'signature'
  | 'sbom'
  | 'attestation'
  | 'wasm'
  | 'cnab'
  | 'artifact'
  | 'unknown';

export interface ArtifactClass {
  class: ArtifactKind;
  /** Human words for reports: "container image (OCI)", "cosign signature", "Helm chart", ... */
  label: string;
  /** The media type that decided the class (artifactType, config or layer type), when one did. */
  evidence?: string;
  /** Digest of the manifest this one is attached to: its `subject`, else the `sha256-<hex>.<sig|att|sbom>` tag. */
  attachedTo?: string;
}

export interface ManifestToClassify {
  /** Content-Type the registry answered with, or the manifest's own mediaType field. */
  mediaType: string;
  /** The parsed manifest. */
  json: unknown;
  /** Overrides json.artifactType. */
  artifactType?: string;
  /** Overrides json.config.mediaType. */
  configMediaType?: string;
  /** Subject digest; overrides json.subject.digest. */
  subject?: string;
  /** A tag the manifest was reached through: `sha256-<hex>.sig` and friends say what it is attached to. */
  tag?: string;
}

export type AttachmentSuffix = 'sig' | 'att' | 'sbom';

export interface TagAttachment {
  /** "sha256:<hex>" */
  digest: string;
  /** sig/att/sbom for cosign's tags; 'referrers' for the distribution spec's bare `sha256-<hex>` fallback tag. */
  kind: AttachmentSuffix | 'referrers';
}

const ATTACH_TAG = /^(sha256-[a-f0-9]{64}|sha512-[a-f0-9]{128})(?:\.(sig|att|sbom))?$/;

/**
 * The digest a tag says it belongs to: cosign's `sha256-<hex>.sig|.att|.sbom` and the referrers tag schema's bare
 * `sha256-<hex>`. Anything else: undefined.
 */
export function attachmentFromTag(tag: string): TagAttachment | undefined {
  const m = ATTACH_TAG.exec(tag);
  if (!m) return undefined;
  const digest = m[1]!.replace('-', ':');
  return { digest, kind: (m[2] as AttachmentSuffix | undefined) ?? 'referrers' };
}

const SUFFIX_CLASS: Record<AttachmentSuffix, ArtifactKind> = { sig: 'signature', att: 'attestation', sbom: 'sbom' };

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Media types compare without parameters and case-insensitively ("application/json; charset=utf-8"). */
const bare = (t: string | undefined): string | undefined => t?.split(';')[0]!.trim().toLowerCase() || undefined;

function labelOf(kind: ArtifactKind, evidence: string | undefined): string {
  switch (kind) {
    case 'image':
      return evidence === MEDIA.dockerConfig ? 'container image (Docker v2)' : 'container image (OCI)';
    case 'index':
      return evidence === MEDIA.dockerList ? 'manifest list (Docker, multi-arch)' : 'image index (OCI, multi-arch)';
    case 'referrers-index':
      return 'referrers index (tag schema fallback)';
    case 'schema1':
      return 'Docker image manifest v2 schema 1 (deprecated)';
    case 'helm-chart':
      return 'Helm chart';
    case 'signature':
      if (evidence && /notary/.test(evidence)) return 'Notary Project signature';
      if (evidence && /sigstore\.bundle/.test(evidence)) return 'Sigstore bundle signature';
      return 'cosign signature';
    case 'sbom':
      if (evidence && /cyclonedx/.test(evidence)) return 'SBOM (CycloneDX)';
      if (evidence && /spdx/.test(evidence)) return 'SBOM (SPDX)';
      if (evidence && /syft/.test(evidence)) return 'SBOM (Syft)';
      return 'SBOM';
    case 'attestation':
      return 'attestation (in-toto)';
    case 'wasm':
      return 'WebAssembly module';
    case 'cnab':
      return 'CNAB bundle';
    case 'artifact':
      return evidence ? `OCI artifact (${evidence})` : 'OCI artifact';
    case 'unknown':
      return evidence ? `unknown manifest (${evidence})` : 'unknown manifest';
  }
}

/** The artifact kind a single media type names, or undefined when it names none (image configs, layers, unknown). */
export function kindOfMediaType(type: string | undefined): ArtifactKind | undefined {
  const t = bare(type);
  if (!t) return undefined;
  if (SIGNATURE_TYPE.test(t)) return 'signature';
  if (ATTESTATION_TYPE.test(t)) return 'attestation';
  if (SBOM_TYPE.test(t)) return 'sbom';
  if (HELM_TYPE.test(t)) return 'helm-chart';
  if (WASM_TYPE.test(t)) return 'wasm';
  if (CNAB_TYPE.test(t)) return 'cnab';
  return undefined;
}

/**
 * Classifies one manifest by, in order: the manifest media type (schema1, index); the artifactType; the config
 * media type; the layer media types; and only when the content decides nothing, the tag naming convention.
 * Pure: never fetches anything.
 */
export function classifyManifest(m: ManifestToClassify): ArtifactClass {
  const json = isObject(m.json) ? m.json : undefined;
  const mediaType = bare(m.mediaType) ?? bare(str(json?.mediaType));
  const tagHint = m.tag !== undefined ? attachmentFromTag(m.tag) : undefined;
  const subject = m.subject ?? (isObject(json?.subject) ? str(json.subject.digest) : undefined);
  const attached = (kind: ArtifactKind): string | undefined => {
    if (subject && DIGEST.test(subject)) return subject;
    if (tagHint && (tagHint.kind === 'referrers' || SUFFIX_CLASS[tagHint.kind] === kind || kind === 'artifact')) return tagHint.digest;
    return undefined;
  };
  const result = (kind: ArtifactKind, evidence?: string): ArtifactClass => {
    const attachedTo = ['signature', 'sbom', 'attestation', 'artifact', 'referrers-index', 'helm-chart', 'wasm', 'cnab'].includes(kind)
      ? attached(kind)
      : subject && DIGEST.test(subject)
        ? subject
        : undefined;
    return { class: kind, label: labelOf(kind, evidence), ...(evidence ? { evidence } : {}), ...(attachedTo ? { attachedTo } : {}) };
  };

  if (!json) return result('unknown', mediaType);

  // Docker v2 schema 1: by media type, or a manifest that says schemaVersion 1 (registries answer it as application/json).
  if (mediaType === MEDIA.dockerSchema1 || mediaType === MEDIA.dockerSchema1Signed || json.schemaVersion === 1) {
    return result('schema1', mediaType ?? MEDIA.dockerSchema1);
  }

  const artifactType = bare(m.artifactType ?? str(json.artifactType));

  // Image index / manifest list.
  if (mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList || (Array.isArray(json.manifests) && !isObject(json.config))) {
    const byArtifact = kindOfMediaType(artifactType);
    if (byArtifact) return result(byArtifact, artifactType);
    const annotations = isObject(json.annotations) ? Object.keys(json.annotations) : [];
    const children = Array.isArray(json.manifests) ? json.manifests.filter(isObject) : [];
    const cnab = annotations.some((k) => k.startsWith('io.cnab.')) || children.some((c) => isObject(c.annotations) && Object.keys(c.annotations).some((k) => k.startsWith('io.cnab.')));
    if (cnab) return result('cnab', annotations.find((k) => k.startsWith('io.cnab.')) ?? 'io.cnab.manifest.type');
    if (tagHint?.kind === 'referrers') return result('referrers-index', mediaType ?? MEDIA.ociIndex);
    if (artifactType) return result('artifact', artifactType);
    return result('index', mediaType ?? MEDIA.ociIndex);
  }

  const config = isObject(json.config) ? json.config : undefined;
  const configType = bare(m.configMediaType ?? str(config?.mediaType));
  const layers = Array.isArray(json.layers) ? json.layers.filter(isObject) : [];
  const layerTypes = layers.map((l) => bare(str(l.mediaType))).filter((t): t is string => t !== undefined);

  const isManifest = config !== undefined || m.configMediaType !== undefined || mediaType === MEDIA.ociManifest || mediaType === MEDIA.dockerManifest;
  if (!isManifest) return result('unknown', mediaType);

  // artifactType is the spec's way to say what an artifact is: it wins when it names a known kind.
  const byArtifact = kindOfMediaType(artifactType);
  if (byArtifact) return result(byArtifact, artifactType);
  const byConfig = kindOfMediaType(configType);
  if (byConfig) return result(byConfig, configType);
  for (const t of layerTypes) {
    const byLayer = kindOfMediaType(t);
    if (byLayer) return result(byLayer, t);
  }

  const imageConfig = configType !== undefined && IMAGE_CONFIG_TYPES.includes(configType);
  const filesystemLayers = layerTypes.every((t) => LAYER_TYPE.test(t));
  if (imageConfig && filesystemLayers && !artifactType) return result('image', configType);

  // Content says nothing known: the tag convention may (an unsigned-looking payload under sha256-<hex>.sig).
  if (tagHint && tagHint.kind !== 'referrers') return result(SUFFIX_CLASS[tagHint.kind], `tag ${m.tag}`);

  if (imageConfig && !artifactType) {
    // An image config over non-filesystem layers: an artifact that borrowed the image config type.
    const odd = layerTypes.find((t) => !LAYER_TYPE.test(t));
    return result('artifact', odd ?? configType);
  }
  if (artifactType) return result('artifact', artifactType);
  if (configType === ARTIFACT_MEDIA.ociEmpty) return result('artifact', layerTypes[0] ?? configType);
  return result('artifact', configType ?? mediaType);
}

/** True for the kinds that run or hold runnable images: what a container registry is for. */
export function isContainerImage(kind: ArtifactKind): boolean {
  return kind === 'image' || kind === 'index' || kind === 'schema1';
}

/** True for the kinds that describe another manifest (and are fine when attached to one). */
export function isAttachmentKind(kind: ArtifactKind): boolean {
  return kind === 'signature' || kind === 'sbom' || kind === 'attestation' || kind === 'referrers-index';
}
