import { z } from 'zod';

/** A license as package.json writes it: an SPDX expression, or the legacy `{type}` object. */
const licenseValue = z.union([z.string(), z.object({ type: z.string().optional() }).passthrough()]);

/** The fields of an installed package.json the detector reads; everything else is ignored. */
export const packageJsonSchema = z
  .object({
    name: z.unknown().optional(),
    version: z.unknown().optional(),
    license: z.unknown().optional(),
    licenses: z.unknown().optional(),
    dependencies: z.record(z.unknown()).optional().catch(undefined),
    devDependencies: z.record(z.unknown()).optional().catch(undefined),
    optionalDependencies: z.record(z.unknown()).optional().catch(undefined),
  })
  .passthrough();
export type PackageJson = z.infer<typeof packageJsonSchema>;

export const licenseSchema = z.union([licenseValue, z.array(licenseValue)]);

/** One entry of `packages` in package-lock v2/v3, npm-shrinkwrap.json and node_modules/.package-lock.json. */
const lockPackageSchema = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    resolved: z.string().optional(),
    license: z.unknown().optional(),
    link: z.boolean().optional(),
    dev: z.boolean().optional(),
    optional: z.boolean().optional(),
    devOptional: z.boolean().optional(),
    inBundle: z.boolean().optional(),
    extraneous: z.boolean().optional(),
  })
  .passthrough();
export type LockPackage = z.infer<typeof lockPackageSchema>;

/** One entry of `dependencies` in package-lock v1 (nested the way node_modules is). */
export interface LockV1Dependency {
  version?: string | undefined;
  dev?: boolean | undefined;
  optional?: boolean | undefined;
  bundled?: boolean | undefined;
  dependencies?: Record<string, LockV1Dependency> | undefined;
}
const lockV1DependencySchema: z.ZodType<LockV1Dependency> = z.lazy(() =>
  z
    .object({
      version: z.string().optional(),
      dev: z.boolean().optional(),
      optional: z.boolean().optional(),
      bundled: z.boolean().optional(),
      dependencies: z.record(lockV1DependencySchema).optional(),
    })
    .passthrough(),
);

export const packageLockSchema = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    lockfileVersion: z.number().optional(),
    packages: z.record(lockPackageSchema).optional(),
    dependencies: z.record(lockV1DependencySchema).optional(),
  })
  .passthrough();
export type PackageLock = z.infer<typeof packageLockSchema>;
