import type { Finding } from './finding.js';
import type { Notice, OsInfo, Package } from './package.js';
import type { LayerInfo } from '../image/types.js';
import type { SourceKind } from '../sources/types.js';
import type { EfficiencyReport } from '../image/efficiency/report.js';
import type { RemovableTool } from '../modules/rules/image/types.js';

/** Version of the JSON report schema (docs/json-schema.md); bump on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;

/**
 * What `bulwark k8s` and `bulwark cloud` read: manifest or snapshot files (and a node's root under
 * --root), a live cluster through a kubeconfig, AWS CLI documents, or a live AWS account.
 */
export type ManifestSourceKind = 'kubernetes' | 'kubernetes-cluster' | 'aws-documents' | 'aws-account' | 'registry-audit';

export interface ImageArtifact {
  reference: string;
  /** How it was read; 'directory' for `bulwark fs` (a directory or mounted root filesystem). */
  source: SourceKind | 'directory' | 'host' | ManifestSourceKind;
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
  /** The lean-image report; present when the misconfig scanner ran. */
  lean?: LeanImageReport;
  /** `bulwark host`: every check's verdict, grouped by benchmark section. */
  hostAudit?: HostAuditReport;
}

/** docker-bench-security's verdict words. */
export type HostVerdict = 'PASS' | 'WARN' | 'INFO' | 'NOTE';

export interface HostCheckOutcome {
  /** CIS Docker Benchmark v1.6 id ("5.5"), or Bulwark's footprint id ("F.1"). */
  id: string;
  title: string;
  assessment: 'Automated' | 'Manual';
  verdict: HostVerdict;
  details?: string;
  /** What a WARN is about: containers, files, users. */
  items?: string[];
}

export interface HostAuditReport {
  benchmark: string;
  /** The root filesystem audited: "/" or --root. */
  root: string;
  /** The dockerd process found, if any. */
  daemon?: { pid: number; argv: string[] };
  /** The Engine API used, if a daemon answered: its address, versions and how many requests the audit made. */
  engine?: { address: string; version?: string; apiVersion?: string; calls: number; runningContainers: number };
  sections: { id: string; title: string; results: HostCheckOutcome[] }[];
  /** How many checks ran, and docker-bench-security's score: +1 per automated PASS, -1 per automated WARN. */
  checks: number;
  score: number;
}

/** vuln: known vulnerabilities of packages; misconfig: image and Dockerfile rules; secret: secrets in files and config. */
export const SCANNER_IDS = ['vuln', 'misconfig', 'secret'] as const;
/** `host` is the host audit's own scanner, never selected with --scanners. */
export type ScannerId = (typeof SCANNER_IDS)[number] | 'host';

/** What an image ships that it does not need: wasted layer bytes, largest directories, removable tools. */
export interface LeanImageReport {
  /** Layer efficiency (like dive's); absent for a directory, which has no layers. */
  efficiency?: EfficiencyReport;
  /** Package managers, compilers, debuggers, network tools and shells in the final image, largest first. */
  removableTools: RemovableTool[];
}

export interface VulnDbInfo {
  schemaVersion: number;
  /** When the newest source was fetched or imported (ISO-8601). */
  updatedAt: string;
  /** True when older than the allowed age; the scan also warns on stderr. */
  stale: boolean;
  sources: { ecosystem: string; records: number; fetchedAt: string; origin: string }[];
}
