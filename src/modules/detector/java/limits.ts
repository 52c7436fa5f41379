/** Bounds on what one archive may cost: memory held, bytes inflated, nesting followed. */
export interface ArchiveLimits {
  /** An archive larger than this is not buffered (its central directory sits at the end): warning. */
  maxArchiveBytes: number;
  /** A nested archive is inflated into memory up to this size; larger: warning. */
  maxNestedBytes: number;
  /** Bytes inflated from all entries of one outer archive, nested ones included; past it: warning, stop. */
  maxTotalInflated: number;
  /** pom.properties and MANIFEST.MF larger than this are skipped with a warning. */
  maxMetadataBytes: number;
  /** Nested archives are followed this many levels below the outer one. */
  maxDepth: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 256 * MiB,
  maxNestedBytes: 64 * MiB,
  maxTotalInflated: 256 * MiB,
  maxMetadataBytes: 1 * MiB,
  maxDepth: 3,
};

/** Java archives read as zips: jar, war, ear, par, and Jenkins plugins (jpi, hpi). */
export const ARCHIVE_NAME = /\.(jar|war|ear|par|jpi|hpi)$/i;
