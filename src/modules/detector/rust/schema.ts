import { z } from 'zod';

/** cargo-auditable's VersionInfo (auditable-serde): the dependency tree embedded in `.dep-v0`. */
export const auditablePackage = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    source: z.string().optional(),
    kind: z.enum(['runtime', 'build']).optional(),
    dependencies: z.array(z.number().int().nonnegative()).optional(),
    root: z.boolean().optional(),
  })
  .passthrough();

export const versionInfo = z.object({ packages: z.array(auditablePackage), format: z.number().optional() }).passthrough();
export type AuditablePackage = z.infer<typeof auditablePackage>;

/** One `[[package]]` of Cargo.lock. */
export const cargoLock = z
  .object({
    version: z.number().optional(),
    package: z
      .array(
        z
          .object({
            name: z.string().min(1),
            version: z.string().min(1),
            source: z.string().optional(),
            checksum: z.string().optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
