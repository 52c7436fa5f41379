import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';

/** The OCI / Docker image configuration, only the fields bulwark reads; unknown fields pass through. */
export const imageConfigSchema = z
  .object({
    architecture: z.string().optional(),
    os: z.string().optional(),
    variant: z.string().optional(),
    created: z.string().optional(),
    author: z.string().optional(),
    config: z
      .object({
        User: z.string().optional(),
        Env: z.array(z.string()).nullish(),
        Entrypoint: z.array(z.string()).nullish(),
        Cmd: z.array(z.string()).nullish(),
        WorkingDir: z.string().optional(),
        Labels: z.record(z.string()).nullish(),
        ExposedPorts: z.record(z.unknown()).nullish(),
        Volumes: z.record(z.unknown()).nullish(),
        Healthcheck: z.object({ Test: z.array(z.string()).nullish() }).passthrough().nullish(),
      })
      .passthrough()
      .nullish(),
    rootfs: z.object({
      type: z.literal('layers'),
      diff_ids: z.array(z.string().regex(/^sha256:[a-f0-9]{64}$/, 'diff_id must be sha256:<64 hex>')),
    }),
    history: z
      .array(
        z
          .object({
            created: z.string().optional(),
            created_by: z.string().optional(),
            comment: z.string().optional(),
            empty_layer: z.boolean().optional(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();

export type ImageConfig = z.infer<typeof imageConfigSchema>;

export function parseImageConfig(bytes: Buffer | string, where: string): ImageConfig {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (e) {
    throw new BulwarkError('E_FORMAT', `${where}: image config is not valid JSON (${(e as Error).message})`);
  }
  const parsed = imageConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BulwarkError('E_FORMAT', `${where}: not an image config: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Pairs each non-empty history entry with its layer, as docker does: empty_layer entries have no layer. */
export function historyForLayers(config: ImageConfig): Array<{ createdBy?: string; created?: string }> {
  const layers = config.rootfs.diff_ids.length;
  const out: Array<{ createdBy?: string; created?: string }> = [];
  for (const h of config.history ?? []) {
    if (h.empty_layer) continue;
    out.push({ createdBy: h.created_by, created: h.created });
  }
  while (out.length < layers) out.push({});
  return out.slice(0, layers);
}
