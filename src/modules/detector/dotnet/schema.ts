import { z } from 'zod';

/** <app>.deps.json: `libraries` keyed "Name/Version", each with a type (package, project, reference...). */
export const depsJson = z
  .object({
    libraries: z.record(z.object({ type: z.string() }).passthrough()),
  })
  .passthrough();

/** NuGet's packages.lock.json: per target framework, packages keyed by name. */
export const packagesLock = z
  .object({
    version: z.number().optional(),
    dependencies: z.record(
      z.record(
        z
          .object({
            type: z.string(),
            resolved: z.string().optional(),
            requested: z.string().optional(),
          })
          .passthrough(),
      ),
    ),
  })
  .passthrough();
