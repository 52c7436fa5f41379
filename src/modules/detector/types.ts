import type { Notice, OsInfo, Package } from '../../core/package.js';
import type { FileSystemView } from '../../image/types.js';

export interface DetectContext {
  fs: FileSystemView;
  /** Set for package detectors: the OS found by the os-release detector, if any. */
  os?: OsInfo;
}

export interface DetectorResult {
  os?: OsInfo;
  packages?: Package[];
  notices?: Notice[];
}

/**
 * A package or OS detector. It declares the paths it needs (relative, no leading slash, as in layer
 * tars: "var/lib/dpkg/status"), so one walk of each layer captures them for every detector.
 */
export interface DetectorModule {
  id: string;
  /** Bumped when output for the same input changes; becomes part of cache keys. */
  version: number;
  kind: 'os' | 'os-packages';
  wants(relativePath: string): boolean;
  detect(ctx: DetectContext): Promise<DetectorResult> | DetectorResult;
}
