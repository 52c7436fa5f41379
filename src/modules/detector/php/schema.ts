import { z } from 'zod';

/** One package as composer writes it in installed.json and composer.lock (only the fields read). */
export const composerPackage = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    license: z.union([z.array(z.string()), z.string()]).optional(),
  })
  .passthrough();
export type ComposerPackage = z.infer<typeof composerPackage>;

/** vendor/composer/installed.json as composer 1 writes it: an array of packages. */
export const installedJsonV1 = z.array(composerPackage);

/** vendor/composer/installed.json as composer 2 writes it. */
export const installedJsonV2 = z
  .object({
    packages: z.array(composerPackage),
    dev: z.boolean().optional(),
    'dev-package-names': z.array(z.string()).optional(),
  })
  .passthrough();

export const composerLock = z
  .object({
    packages: z.array(composerPackage).optional(),
    'packages-dev': z.array(composerPackage).nullable().optional(),
  })
  .passthrough()
  .refine((lock) => lock.packages !== undefined || lock['packages-dev'] != null, 'no "packages" list');
