import { createHash } from 'node:crypto';
import type { LayerRef, PackageType } from './package.js';

/** Ordered most to least severe; UNKNOWN when no source gives a rating. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which layer of the container estate a finding is about (the mission's five layers). */
export type StackLayer = 'image' | 'registry' | 'runtime' | 'orchestrator' | 'host' | 'cloud';

export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret';

export interface FindingLocation {
  /** File inside the target, e.g. /var/lib/dpkg/status or /app/package-lock.json. */
  path?: string;
  line?: number;
  /** Object path for non-file targets, e.g. apps/v1/Deployment/default/web#spec.template... */
  resource?: string;
  layer?: LayerRef;
}

/** Why a finding is not counted: matched by an ignore file entry or a VEX statement. */
export interface Suppression {
  kind: 'ignorefile' | 'vex';
  /** The file the statement came from. */
  source: string;
  reason?: string;
  /** VEX status or justification, when the suppression came from VEX. */
  status?: string;
}

export interface CvssScore {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  vector: string;
  score: number;
  severity: Severity;
  /** Which record the vector came from, e.g. the OSV advisory id. */
  source: string;
}

/**
 * Where a vulnerable package stands:
 * - fixed: a fixed version exists (fixedVersions lists it);
 * - affected: no fix has been published;
 * - will_not_fix / fix_deferred / end_of_life: distro states (Debian no-dsa, ignored, postponed, ...);
 * - possibly_affected: the installed version could not be parsed, so the range could not rule it out.
 */
export type FixStatus = 'fixed' | 'affected' | 'will_not_fix' | 'fix_deferred' | 'end_of_life' | 'possibly_affected';

export interface VulnerablePackage {
  type: PackageType;
  name: string;
  version: string;
  purl: string;
  /** Distro source package the advisory was matched through, when it differs from the binary name. */
  sourceName?: string;
  sourceVersion?: string;
  /** Where the package was found (package database or lockfile path). */
  location: string;
}

export interface VulnerabilityDetail {
  package: VulnerablePackage;
  /** OSV ecosystem the advisory was matched in, e.g. "Debian:12", "npm". */
  ecosystem: string;
  status: FixStatus;
  /** Versions that fix the flaw, in the package's own scheme, lowest first. */
  fixedVersions: string[];
  /** The distro's own word when it has one: "no-dsa", "postponed", "ignored", "end-of-life", ... */
  distroStatus?: string;
  /** Every OSV record merged into this finding (one flaw, one package). */
  advisories: string[];
  cvss: CvssScore[];
  /** Where the finding's severity came from, e.g. "cvss:3.1", "ubuntu", "debian-urgency", "ghsa". */
  severitySource: string;
  published?: string;
  modified?: string;
}

/** One finding, whatever produced it: every filter, gate and report works on this model. */
export interface Finding {
  /** Stable id: the advisory id (CVE preferred) or the rule id. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  stackLayer: StackLayer;
  /** What was scanned, as the user named it (image reference, path, host). */
  target: string;
  location: FindingLocation;
  title: string;
  description?: string;
  /** Cross-reference ids: CVE, GHSA, DSA/DLA, OSV ids; later CIS, Dockle and hadolint ids. Sorted. */
  aliases: string[];
  references: string[];
  remediation?: string;
  /** sha256 over kind, id, target and what the finding is about (package purl and path, or location): two scans diff cleanly. */
  fingerprint: string;
  suppressed?: Suppression;
  vulnerability?: VulnerabilityDetail;
}

/** 0 for CRITICAL up to 4 for UNKNOWN. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The report order: most severe first, then id, then what it is about; deterministic across runs. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    byString(a.id, b.id) ||
    byString(a.vulnerability?.package.purl ?? '', b.vulnerability?.package.purl ?? '') ||
    byString(a.location.path ?? a.location.resource ?? '', b.location.path ?? b.location.resource ?? '') ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    byString(a.location.resource ?? '', b.location.resource ?? '') ||
    byString(a.fingerprint, b.fingerprint)
  );
}

/**
 * A finding's fingerprint: sha256 (hex) over its parts joined by NUL, kind and id first, then what the
 * finding is about. One recipe for every producer, so two scans diff cleanly.
 */
export function findingFingerprint(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
