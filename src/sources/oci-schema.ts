import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';

export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
} as const;

export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

export const IMAGE_CONFIG_TYPES: readonly string[] = [MEDIA.dockerConfig, MEDIA.ociConfig];

/** Layer media types that carry a filesystem tar (plain, gzip or zstd; distributable or not). */
export const LAYER_TYPE = /^application\/vnd\.(oci\.image\.layer(\.nondistributable)?\.v1\.tar(\+gzip|\+zstd)?|docker\.image\.rootfs\.(foreign\.)?diff\.tar(\.gzip)?)$/;

const digest = z.string().regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/, 'digest must be sha256:<64 hex> or sha512:<128 hex>');

export const platformSchema = z
  .object({
    os: z.string(),
    architecture: z.string(),
    variant: z.string().optional(),
    'os.version': z.string().optional(),
  })
  .passthrough();

export const descriptorSchema = z
  .object({
    mediaType: z.string(),
    digest,
    size: z.number().int().nonnegative(),
    urls: z.array(z.string()).nullish(),
    annotations: z.record(z.string()).nullish(),
    platform: platformSchema.optional(),
  })
  .passthrough();

export const imageManifestSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    artifactType: z.string().optional(),
    config: descriptorSchema,
    layers: z.array(descriptorSchema),
  })
  .passthrough();

export const indexSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    manifests: z.array(descriptorSchema),
  })
  .passthrough();

export type Platform = z.infer<typeof platformSchema>;
export type Descriptor = z.infer<typeof descriptorSchema>;
export type ImageManifest = z.infer<typeof imageManifestSchema>;
export type ImageIndex = z.infer<typeof indexSchema>;

/** `docker save`'s manifest.json. */
export const dockerArchiveManifestSchema = z.array(
  z
    .object({
      Config: z.string(),
      RepoTags: z.array(z.string()).nullish(),
      Layers: z.array(z.string()),
    })
    .passthrough(),
);

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new BulwarkError('E_FORMAT', `${where}: not a valid ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** An OCI index and a manifest share one shape at the top: tell them apart by content, not by a media type that may be absent. */
export function isIndex(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && Array.isArray((doc as { manifests?: unknown }).manifests);
}
