import { BulwarkError } from '../../core/errors.js';
import { digestLike } from '../../sources/digest.js';
import { descriptorSchema, MEDIA, IMAGE_CONFIG_TYPES, type Descriptor } from '../../sources/oci-schema.js';
import { oneLine } from '../../sources/registry/transport.js';
import { DIGEST, refName } from './names.js';
import type { ManifestInfo, ManifestKind } from './types.js';

// What a registry's manifest answer says: its media type, digest (verified), config, subject, children, kind.

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export const MEDIA_OCI_ARTIFACT = 'application/vnd.oci.artifact.manifest.v1+json';

/** Everything a registry may hold, so deprecated (schema 1) and artifact manifests come back to be judged, not refused. */
export const FULL_MANIFEST_ACCEPT = [
  MEDIA.ociIndex,
  MEDIA.ociManifest,
  MEDIA.dockerList,
  MEDIA.dockerManifest,
  MEDIA_OCI_ARTIFACT,
  MEDIA.dockerSchema1Signed,
  MEDIA.dockerSchema1,
].join(', ');

const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerList];

const SCHEMA1_TYPES: readonly string[] = [MEDIA.dockerSchema1, MEDIA.dockerSchema1Signed];

const GENERIC_TYPES: readonly string[] = ['', 'application/json', 'application/octet-stream', 'text/plain'];

export function parseObject(bytes: Buffer, where: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BulwarkError('E_REGISTRY', `${where}: registry answered something that is not JSON (starts with ${JSON.stringify(oneLine(bytes.subarray(0, 40).toString('utf8'), 40))})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BulwarkError('E_REGISTRY', `${where}: registry answered JSON that is not an object`);
  return json as Record<string, unknown>;
}

/** A descriptor-ish value, accepted loosely (the caller judges it). */
function loose(value: unknown): Descriptor | undefined {
  const parsed = descriptorSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function kindOf(info: ManifestInfo, schema1: boolean): ManifestKind {
  if (schema1) return 'schema1';
  if (INDEX_TYPES.includes(info.mediaType) || info.manifests !== undefined) return 'index';
  if (info.mediaType === MEDIA_OCI_ARTIFACT) return 'artifact';
  if (info.configMediaType !== undefined) {
    const image = IMAGE_CONFIG_TYPES.includes(info.configMediaType) && info.artifactType === undefined;
    return image ? 'image' : 'artifact';
  }
  return 'unknown';
}

export function describeManifest(label: string, repo: string, reference: string, answer: { body: Buffer; headers: Record<string, string> }): ManifestInfo {
  const where = `${label}: manifest ${refName(repo, reference)}`;
  const bytes = answer.body;
  const contentType = (answer.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const json = parseObject(bytes, where);
  const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const schema1 = SCHEMA1_TYPES.includes(contentType) || json.schemaVersion === 1;
  let mediaType: string;
  if (!GENERIC_TYPES.includes(contentType)) mediaType = contentType;
  else if (declared) mediaType = declared;
  else if (schema1) mediaType = MEDIA.dockerSchema1;
  else mediaType = Array.isArray(json.manifests) ? MEDIA.ociIndex : MEDIA.ociManifest;
  if (declared && !schema1 && !GENERIC_TYPES.includes(contentType) && declared !== contentType) {
    throw new BulwarkError('E_REGISTRY', `${where}: content type ${contentType} disagrees with the manifest's mediaType ${declared}`);
  }

  const sent = answer.headers['docker-content-digest'];
  let digest: string;
  // A signed schema 1 manifest's digest covers the payload without its signatures: it cannot be checked from the bytes.
  const signed = mediaType === MEDIA.dockerSchema1Signed || (schema1 && Array.isArray(json.signatures));
  if (signed) digest = DIGEST.test(reference) ? reference : (sent ?? digestLike(bytes, 'sha256:'));
  else {
    const expected = DIGEST.test(reference) ? reference : sent !== undefined && DIGEST.test(sent) ? sent : undefined;
    digest = digestLike(bytes, expected ?? 'sha256:');
    if (expected !== undefined && digest !== expected) {
      const from = DIGEST.test(reference) ? 'the digest reference' : 'Docker-Content-Digest';
      throw new BulwarkError('E_DIGEST', `${where}: digest mismatch: expected ${expected} (${from}), the content hashes to ${digest}`);
    }
    if (sent !== undefined && DIGEST.test(reference) && DIGEST.test(sent) && sent !== reference && sent.split(':')[0] === reference.split(':')[0]) {
      throw new BulwarkError('E_DIGEST', `${where}: registry's Docker-Content-Digest ${sent} disagrees with the requested digest`);
    }
  }

  const info: ManifestInfo = { repository: repo, reference, digest, mediaType, kind: 'unknown', bytes, json };
  if (typeof json.artifactType === 'string') info.artifactType = json.artifactType;
  const config = loose(json.config);
  if (config) {
    info.configMediaType = config.mediaType;
    info.configDigest = config.digest;
  }
  const subject = loose(json.subject);
  if (subject) info.subject = subject;
  if (Array.isArray(json.manifests)) info.manifests = descriptors(label, json.manifests, `manifest ${refName(repo, reference)}`);
  if (Array.isArray(json.layers)) info.layers = descriptors(label, json.layers, `manifest ${refName(repo, reference)}`);
  if (isStringRecord(json.annotations)) info.annotations = json.annotations;
  info.kind = kindOf(info, schema1);
  return info;
}

export function descriptors(label: string, value: unknown, what: string): Descriptor[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BulwarkError('E_REGISTRY', `${label}: ${what}: "manifests" is not a list`);
  return value.map((d, i) => {
    const parsed = descriptorSchema.safeParse(d);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new BulwarkError('E_REGISTRY', `${label}: ${what}: descriptor ${i} is malformed (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
  });
}
