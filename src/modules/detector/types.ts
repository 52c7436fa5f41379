import type { Readable } from 'node:stream';
import type { Notice, OsInfo, Package } from '../../core/package.js';
import type { FileInfo, FileSystemView } from '../../image/types.js';

/** What is being scanned: an image's layers, or a directory / mounted root filesystem. */
export type ScanTarget = 'image' | 'directory';

/** A fact an inspector drew from one file while it streamed, kept only if that file survives to the final view. */
export interface Inspection<T = unknown> {
  /** Absolute path inside the image or directory. */
  path: string;
  /** Layer that wrote the inspected version (0 for directories). */
  layer: number;
  value: T;
}

export interface DetectContext {
  fs: FileSystemView;
  target: ScanTarget;
  /** Set for package detectors: the OS found by the os-release detector, if any. */
  os?: OsInfo;
  /** This detector's inspections of files still present in the final view, sorted by path. */
  inspections: Inspection[];
}

export interface DetectorResult {
  os?: OsInfo;
  packages?: Package[];
  notices?: Notice[];
}

/**
 * Reads a file as it streams past, for files too large or too many to capture whole (binaries,
 * archives). `stream` must be consumed or resumed to the end; memory stays bounded by the inspector.
 * Throwing is allowed: the scan turns it into a warning naming the file and goes on.
 */
export type Inspector = (stream: Readable, info: { path: string; size: number; mode: number }) => Promise<unknown>;

/**
 * A package or OS detector. It declares the paths it needs (relative, no leading slash, as in layer
 * tars: "var/lib/dpkg/status"), so one walk of each layer captures them for every detector.
 */
export interface DetectorModule {
  id: string;
  /** Bumped when output for the same input changes; becomes part of cache keys. */
  version: number;
  kind: 'os' | 'os-packages' | 'language';
  /** Files whose whole content the detector reads through ctx.fs.read (small manifests, databases). */
  wants(relativePath: string): boolean;
  /** Files the detector reads as a stream during the walk; returns the inspector, or undefined to skip. */
  inspect?(relativePath: string, info: Pick<FileInfo, 'size' | 'mode'>): Inspector | undefined;
  detect(ctx: DetectContext): Promise<DetectorResult> | DetectorResult;
}
