import type { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import type { RegistryClient } from './client.js';
import { sha256Digest, verifyDigest } from '../digest.js';
import { imageManifestSchema, indexSchema, MANIFEST_ACCEPT, MEDIA, type ImageIndex, type ImageManifest } from '../oci-schema.js';
import { failForStatus } from './status.js';
import { header, oneLine, readLimited } from './transport.js';

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerList];
const MANIFEST_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];
const SCHEMA1_TYPES: readonly string[] = [MEDIA.dockerSchema1, MEDIA.dockerSchema1Signed];
/** Content types some registries use for any JSON; then the body's own mediaType decides. */
const GENERIC_TYPES: readonly string[] = ['', 'application/json', 'application/octet-stream', 'text/plain'];

export type FetchedManifest =
  | { kind: 'index'; digest: string; mediaType: string; index: ImageIndex }
  | { kind: 'image'; digest: string; mediaType: string; manifest: ImageManifest };

/** GET a manifest by tag or digest, verify its digest, and schema-check it. */
export async function fetchManifest(client: RegistryClient, reference: string): Promise<FetchedManifest> {
  const ctx = client.ctx;
  const { res, url } = await client.get(`/manifests/${reference}`, MANIFEST_ACCEPT);
  if (res.statusCode !== 200) return failForStatus(res, url, `manifest ${reference}`, ctx);
  const contentType = (header(res, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const sentDigest = header(res, 'docker-content-digest');
  const bytes = await readLimited(res, MAX_MANIFEST_BYTES, url, ctx);
  const digest = sha256Digest(bytes);
  if (reference.includes(':')) verifyDigest(bytes, reference, 'manifest', ctx.label);
  else if (sentDigest?.startsWith('sha256:')) verifyDigest(bytes, sentDigest, `manifest (Docker-Content-Digest of tag ${reference})`, ctx.label);
  return classify(bytes, contentType, digest, `${ctx.label}: manifest ${reference}`);
}

function classify(bytes: Buffer, contentType: string, digest: string, where: string): FetchedManifest {
  if (!GENERIC_TYPES.includes(contentType) && ![...INDEX_TYPES, ...MANIFEST_TYPES, ...SCHEMA1_TYPES].includes(contentType)) {
    throw new BulwarkError('E_REGISTRY', `${where}: registry answered content type "${oneLine(contentType, 80)}" instead of a manifest`);
  }
  const json = parseJson(bytes, where);
  const mediaType = pickMediaType(json, contentType, where);
  if (INDEX_TYPES.includes(mediaType)) return { kind: 'index', digest, mediaType, index: validate(indexSchema, json, where) };
  return { kind: 'image', digest, mediaType, manifest: validate(imageManifestSchema, json, where) };
}

function parseJson(bytes: Buffer, where: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BulwarkError('E_REGISTRY', `${where}: registry answered something that is not JSON (starts with ${JSON.stringify(oneLine(bytes.subarray(0, 40).toString('utf8'), 40))})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BulwarkError('E_REGISTRY', `${where}: registry answered JSON that is not a manifest object`);
  }
  return json as Record<string, unknown>;
}

function pickMediaType(json: Record<string, unknown>, contentType: string, where: string): string {
  const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  if (SCHEMA1_TYPES.includes(contentType) || json.schemaVersion === 1) {
    throw new BulwarkError('E_UNSUPPORTED', `${where}: Docker schema 1 manifests are not supported (the image is too old; re-push it)`);
  }
  if (!GENERIC_TYPES.includes(contentType)) {
    if (declared && declared !== contentType) {
      throw new BulwarkError('E_REGISTRY', `${where}: content type ${contentType} disagrees with the manifest's mediaType ${declared}`);
    }
    return contentType;
  }
  if (declared) {
    if (![...INDEX_TYPES, ...MANIFEST_TYPES].includes(declared)) {
      throw new BulwarkError('E_UNSUPPORTED', `${where}: unsupported manifest media type ${oneLine(declared, 100)}`);
    }
    return declared;
  }
  // OCI allows mediaType to be omitted; the shape then tells an index from a manifest.
  return Array.isArray(json.manifests) ? MEDIA.ociIndex : MEDIA.ociManifest;
}

function validate<S extends z.ZodTypeAny>(schema: S, json: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0];
  const at = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
  throw new BulwarkError('E_REGISTRY', `${where}: malformed manifest (${oneLine(at, 150)})`);
}
