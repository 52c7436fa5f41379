import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';

const digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'digest must be sha256:<64 hex>');

export const descriptorSchema = z
  .object({
    mediaType: z.string(),
    digest,
    size: z.number().int().nonnegative(),
    platform: z
      .object({ os: z.string(), architecture: z.string(), variant: z.string().optional() })
      .passthrough()
      .optional(),
    annotations: z.record(z.string()).optional(),
  })
  .passthrough();
export type Descriptor = z.infer<typeof descriptorSchema>;

export const indexSchema = z
  .object({ schemaVersion: z.literal(2), mediaType: z.string().optional(), manifests: z.array(descriptorSchema) })
  .passthrough();
export type ImageIndex = z.infer<typeof indexSchema>;

export const manifestSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    config: descriptorSchema,
    layers: z.array(descriptorSchema),
  })
  .passthrough();
export type ImageManifest = z.infer<typeof manifestSchema>;

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

export const INDEX_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export const IMAGE_CONFIG_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

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
