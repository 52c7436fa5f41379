import type { Finding } from './finding.js';
import type { Notice, OsInfo, Package } from './package.js';
import type { LayerInfo } from '../image/types.js';
import type { SourceKind } from '../sources/types.js';

/** Version of the JSON report schema (docs/json-schema.md); bump on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;

export interface ImageArtifact {
  reference: string;
  /** How it was read; 'directory' for `bulwark fs` (a directory or mounted root filesystem). */
  source: SourceKind | 'directory';
  name?: string;
  repoTags: string[];
  repoDigests: string[];
  manifestDigest?: string;
  /** The image ID: sha256 of the config. Absent for directories. */
  configDigest?: string;
  os?: string;
  architecture?: string;
  variant?: string;
  created?: string;
  user?: string;
  layers: LayerInfo[];
}

export interface ImageScanResult {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'bulwark'; version: string };
  /** ISO-8601 time the scan finished. */
  createdAt: string;
  artifact: ImageArtifact;
  os?: OsInfo;
  /** Sorted by type, name, version, arch. */
  packages: Package[];
  notices: Notice[];
  /** Which scanners ran; findings of a scanner that did not run are absent, not zero. */
  scanners: ScannerId[];
  /** Sorted by severity (most severe first), id, package purl, location. Suppressed findings only with --show-suppressed. */
  findings: Finding[];
  /** The vulnerability database the findings came from; present when the vuln scanner ran. */
  vulnerabilityDb?: VulnDbInfo;
}

export type ScannerId = 'vuln';

export interface VulnDbInfo {
  schemaVersion: number;
  /** When the newest source was fetched or imported (ISO-8601). */
  updatedAt: string;
  /** True when older than the allowed age; the scan also warns on stderr. */
  stale: boolean;
  sources: { ecosystem: string; records: number; fetchedAt: string; origin: string }[];
}
