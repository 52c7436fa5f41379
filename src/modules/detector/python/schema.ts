import { z } from 'zod';

/** Pipfile.lock (pipenv, pipfile-spec 6): sections of name -> pin; git/path entries have no version. */
const pipfileEntry = z.object({ version: z.string().optional() }).passthrough();
const pipfileSection = z.record(z.string(), pipfileEntry);
export const pipfileLockSchema = z
  .object({
    _meta: z.object({}).passthrough().optional(),
    default: pipfileSection.optional(),
    develop: pipfileSection.optional(),
  })
  .passthrough();
export type PipfileLock = z.infer<typeof pipfileLockSchema>;

/** poetry.lock: [[package]] tables; `category` (lock format 1.x) or `groups` (2.1, Poetry 2) say where it is needed. */
export const poetryLockSchema = z
  .object({
    package: z
      .array(
        z
          .object({
            name: z.string().min(1),
            version: z.string().min(1),
            category: z.string().optional(),
            groups: z.array(z.string()).optional(),
            optional: z.boolean().optional(),
          })
          .passthrough(),
      )
      .default([]),
    metadata: z.object({}).passthrough().optional(),
  })
  .passthrough();
export type PoetryLock = z.infer<typeof poetryLockSchema>;

/** uv.lock dependency reference: a name, and a version/source when several packages share the name. */
const uvDependency = z
  .object({ name: z.string().min(1), version: z.string().optional(), extra: z.array(z.string()).optional() })
  .passthrough();
const uvDependencyGroups = z.record(z.string(), z.array(uvDependency));
export const uvLockSchema = z
  .object({
    version: z.number().optional(),
    package: z
      .array(
        z
          .object({
            name: z.string().min(1),
            version: z.string().optional(),
            source: z.record(z.string(), z.unknown()).optional(),
            dependencies: z.array(uvDependency).default([]),
            'optional-dependencies': uvDependencyGroups.default({}),
            'dev-dependencies': uvDependencyGroups.default({}),
          })
          .passthrough(),
      )
      .default([]),
  })
  .passthrough();
export type UvLock = z.infer<typeof uvLockSchema>;
export type UvPackage = UvLock['package'][number];
export type UvDependency = z.infer<typeof uvDependency>;
