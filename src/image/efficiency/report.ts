/**
 * The lean-image (efficiency) report: how many bytes an image ships that its final filesystem never shows.
 *
 * Counted units are regular-file entries of the layer tars ("versions"): one per `file` entry, sized by
 * its tar header. Directories, symlinks, devices and hard links weigh 0 bytes (a hard link's content is
 * stored once, at the entry it links to).
 *
 * - totalBytes: sum of the sizes of every regular-file entry of every layer (a path written in three
 *   layers counts three times).
 * - finalBytes: sum of the sizes of the versions still visible in the final, merged filesystem (overlay
 *   rules: a later entry at the same path replaces it, a `.wh.name` whiteout deletes it, an opaque
 *   directory `.wh..wh..opq` hides everything lower inside it, a non-directory over a directory hides the
 *   directory's contents). A version whose own path is gone but that a same-layer hard link still shows
 *   is visible: its bytes are still in the final filesystem.
 * - wastedBytes: totalBytes - finalBytes, i.e. the bytes of overwritten, deleted and hidden versions.
 * - efficiency: finalBytes / totalBytes; 1 when totalBytes is 0, and 1 for a one-layer image (unless its
 *   tar holds the same path twice).
 * - layers[i]: addedBytes/addedFiles = what layer i's regular-file entries hold; wastedBytes/wastedFiles =
 *   the part of it not visible in the final filesystem. The layers' wastedBytes add up to wastedBytes.
 * - wastedPaths: per path, the bytes of its hidden versions (top N by wastedBytes, then by path; paths
 *   with 0 wasted bytes are left out); `layers` = every layer that wrote a regular file at the path;
 *   `removed` = none of those versions is visible in the final image (deleted, not just rewritten).
 * - largestDirs: directories of the final filesystem (not the root, whose total is finalBytes) by the
 *   bytes of the visible versions below them at any depth, with their count (top N by bytes, then path).
 *   Each visible version is counted once, at its own path, or at its first surviving hard link.
 *
 * Compared with dive: dive's score is sum over paths of the smallest size seen / sum over paths of all
 * sizes seen, where a whiteout counts as a "version" as big as what it deletes. For overwrites of equal
 * size both scores agree; for a deletion dive counts the file and its whiteout (score 1/2), this report
 * counts the file as wholly wasted (score 0), which is what the image actually ships for nothing.
 */

export interface LayerEfficiency {
  index: number;
  addedBytes: number;
  addedFiles: number;
  wastedBytes: number;
  wastedFiles: number;
}

export interface WastedPath {
  path: string;
  wastedBytes: number;
  /** Layers that wrote a regular file at this path, ascending. */
  layers: number[];
  /** True when no version written here is visible in the final image. */
  removed: boolean;
}

export interface DirectorySize {
  path: string;
  bytes: number;
  files: number;
}

export interface EfficiencyReport {
  totalBytes: number;
  finalBytes: number;
  wastedBytes: number;
  efficiency: number;
  layers: LayerEfficiency[];
  wastedPaths: WastedPath[];
  largestDirs: DirectorySize[];
}

export interface EfficiencyLimits {
  topPaths: number;
  topDirs: number;
}

export const DEFAULT_EFFICIENCY_LIMITS: EfficiencyLimits = { topPaths: 20, topDirs: 20 };
