import { compareFindings, type CvssScore, type Finding, type VulnerabilityDetail } from '../core/finding.js';
import { comparePackages, type Notice, type Package } from '../core/package.js';
import type { HostAuditReport, ImageArtifact, ImageScanResult, LeanImageReport, VulnDbInfo } from '../core/scan-result.js';
import type { DirectorySize, EfficiencyReport, WastedPath } from '../image/efficiency/report.js';
import type { LayerInfo } from '../image/types.js';
import type { RemovableTool } from '../modules/rules/image/types.js';
import type { Reporter } from './types.js';

type Plain = Record<string, unknown>;

/**
 * A copy of `value` with `order` keys first, then any other keys alphabetically, undefined dropped.
 * Unknown keys are kept rather than lost so that a new field shows up (and fails the schema test)
 * instead of vanishing from the report.
 */
function ordered<T extends object>(value: T, order: readonly (keyof T & string)[]): Plain {
  const source = value as Plain;
  const rest = Object.keys(source)
    .filter((k) => !(order as readonly string[]).includes(k))
    .sort();
  const out: Plain = {};
  for (const key of [...order, ...rest]) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (values: readonly string[]): string[] => [...values].sort(byString);

function layer(l: LayerInfo): Plain {
  return ordered(l, ['index', 'diffId', 'digest', 'mediaType', 'size', 'storedSize', 'createdBy', 'created']);
}

function artifact(a: ImageArtifact): Plain {
  return ordered(
    {
      ...a,
      repoTags: sorted(a.repoTags),
      repoDigests: sorted(a.repoDigests),
      layers: [...a.layers].sort((x, y) => x.index - y.index).map(layer),
    },
    ['reference', 'source', 'name', 'repoTags', 'repoDigests', 'manifestDigest', 'configDigest', 'os', 'architecture', 'variant', 'created', 'user', 'layers'],
  );
}

export function comparePackagesFully(a: Package, b: Package): number {
  return comparePackages(a, b) || byString(a.purl, b.purl) || byString(a.location, b.location);
}

function pkg(p: Package): Plain {
  return ordered(
    {
      ...p,
      licenses: sorted(p.licenses),
      layer: p.layer && ordered(p.layer, ['index', 'diffId', 'createdBy']),
      files: p.files && sorted(p.files),
    },
    ['type', 'name', 'version', 'epoch', 'release', 'arch', 'sourceName', 'sourceVersion', 'licenses', 'purl', 'location', 'layer', 'maintainer', 'vendor', 'evidence', 'scope', 'osPackage', 'files'],
  );
}

function compareNotices(a: Notice, b: Notice): number {
  return byString(a.detector, b.detector) || byString(a.level, b.level) || byString(a.message, b.message);
}

const CVSS_VERSIONS = ['4.0', '3.1', '3.0', '2.0'];

/** Highest score first, then newest CVSS version, source, vector. */
export function compareCvss(a: CvssScore, b: CvssScore): number {
  return (
    b.score - a.score ||
    CVSS_VERSIONS.indexOf(a.version) - CVSS_VERSIONS.indexOf(b.version) ||
    byString(a.source, b.source) ||
    byString(a.vector, b.vector)
  );
}

function vulnerability(v: VulnerabilityDetail): Plain {
  return ordered(
    {
      ...v,
      package: ordered(v.package, ['type', 'name', 'version', 'purl', 'sourceName', 'sourceVersion', 'location']),
      // fixedVersions stay as given: lowest first in the package's own version scheme, which string order is not.
      advisories: sorted(v.advisories),
      cvss: [...v.cvss].sort(compareCvss).map((c) => ordered(c, ['version', 'vector', 'score', 'severity', 'source'])),
    },
    ['package', 'ecosystem', 'status', 'fixedVersions', 'distroStatus', 'advisories', 'cvss', 'severitySource', 'published', 'modified'],
  );
}

function finding(f: Finding): Plain {
  const l = f.location;
  return ordered(
    {
      ...f,
      location: ordered({ ...l, layer: l.layer && ordered(l.layer, ['index', 'diffId', 'createdBy']) }, ['path', 'line', 'resource', 'layer']),
      aliases: sorted(f.aliases),
      references: sorted(f.references),
      suppressed: f.suppressed && ordered(f.suppressed, ['kind', 'source', 'reason', 'status']),
      vulnerability: f.vulnerability && vulnerability(f.vulnerability),
    },
    ['id', 'kind', 'severity', 'stackLayer', 'target', 'location', 'title', 'description', 'aliases', 'references', 'remediation', 'fingerprint', 'suppressed', 'vulnerability'],
  );
}

function vulnerabilityDb(db: VulnDbInfo): Plain {
  return ordered(
    {
      ...db,
      sources: [...db.sources]
        .sort((a, b) => byString(a.ecosystem, b.ecosystem) || byString(a.origin, b.origin) || byString(a.fetchedAt, b.fetchedAt))
        .map((s) => ordered(s, ['ecosystem', 'records', 'fetchedAt', 'origin'])),
    },
    ['schemaVersion', 'updatedAt', 'stale', 'sources'],
  );
}

/** Most wasted bytes first, then path (the efficiency report's own order). */
export function compareWastedPaths(a: WastedPath, b: WastedPath): number {
  return b.wastedBytes - a.wastedBytes || byString(a.path, b.path);
}

/** Most bytes first, then path. */
export function compareDirectorySizes(a: DirectorySize, b: DirectorySize): number {
  return b.bytes - a.bytes || byString(a.path, b.path);
}

/** Largest first, then category, package and first path. */
export function compareRemovableTools(a: RemovableTool, b: RemovableTool): number {
  return (
    b.bytes - a.bytes ||
    byString(a.category, b.category) ||
    byString(a.package ?? '', b.package ?? '') ||
    byString(sorted(a.paths).join('\u0000'), sorted(b.paths).join('\u0000'))
  );
}

function efficiency(e: EfficiencyReport): Plain {
  return ordered(
    {
      ...e,
      layers: [...e.layers].sort((a, b) => a.index - b.index).map((l) => ordered(l, ['index', 'addedBytes', 'addedFiles', 'wastedBytes', 'wastedFiles'])),
      wastedPaths: [...e.wastedPaths].sort(compareWastedPaths).map((p) => ordered({ ...p, layers: [...p.layers].sort((x, y) => x - y) }, ['path', 'wastedBytes', 'layers', 'removed'])),
      largestDirs: [...e.largestDirs].sort(compareDirectorySizes).map((d) => ordered(d, ['path', 'bytes', 'files'])),
    },
    ['totalBytes', 'finalBytes', 'wastedBytes', 'efficiency', 'layers', 'wastedPaths', 'largestDirs'],
  );
}

function lean(l: LeanImageReport): Plain {
  return ordered(
    {
      ...l,
      efficiency: l.efficiency && efficiency(l.efficiency),
      removableTools: [...l.removableTools].sort(compareRemovableTools).map((t) => ordered({ ...t, paths: sorted(t.paths) }, ['category', 'package', 'paths', 'bytes'])),
    },
    ['efficiency', 'removableTools'],
  );
}

/** Sections and checks stay in benchmark order (the audit's own); items are sorted. */
function hostAudit(a: HostAuditReport): Plain {
  return ordered(
    {
      ...a,
      daemon: a.daemon && ordered(a.daemon, ['pid', 'argv']),
      engine: a.engine && ordered(a.engine, ['address', 'version', 'apiVersion', 'calls', 'runningContainers']),
      sections: a.sections.map((s) =>
        ordered(
          { ...s, results: s.results.map((r) => ordered({ ...r, items: r.items && sorted(r.items) }, ['id', 'title', 'assessment', 'verdict', 'details', 'items'])) },
          ['id', 'title', 'results'],
        ),
      ),
    },
    ['benchmark', 'root', 'daemon', 'engine', 'sections', 'checks', 'score'],
  );
}

/** The report document (schema version 1): fixed key order, every array sorted. */
export function toJsonDocument(result: ImageScanResult): Plain {
  return ordered(
    {
      ...result,
      tool: ordered(result.tool, ['name', 'version']),
      artifact: artifact(result.artifact),
      os: result.os && ordered(result.os, ['family', 'version', 'codename', 'prettyName', 'source']),
      packages: [...result.packages].sort(comparePackagesFully).map(pkg),
      notices: [...result.notices].sort(compareNotices).map((n) => ordered(n, ['level', 'detector', 'message'])),
      scanners: sorted(result.scanners),
      findings: [...result.findings].sort(compareFindings).map(finding),
      vulnerabilityDb: result.vulnerabilityDb && vulnerabilityDb(result.vulnerabilityDb),
      lean: result.lean && lean(result.lean),
      hostAudit: result.hostAudit && hostAudit(result.hostAudit),
    },
    ['schemaVersion', 'tool', 'createdAt', 'artifact', 'os', 'packages', 'notices', 'scanners', 'findings', 'vulnerabilityDb', 'lean', 'hostAudit'],
  );
}

export const jsonReporter: Reporter = {
  id: 'json',
  render: (result) => `${JSON.stringify(toJsonDocument(result), null, 2)}\n`,
};
