import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { Finding, FixStatus, Severity } from '../../src/core/finding.js';
import type { PackageType } from '../../src/core/package.js';

export interface VulnOptions {
  id?: string;
  aliases?: string[];
  severity?: Severity;
  status?: FixStatus;
  purl?: string;
  path?: string;
  target?: string;
  fixedVersions?: string[];
}

/** A vulnerability finding as the matcher makes them, with only what a test cares about varied. */
export function vulnFinding(o: VulnOptions = {}): Finding {
  const purl = o.purl ?? 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';
  const parsed = PackageURL.fromString(purl);
  const id = o.id ?? 'CVE-2024-0001';
  const target = o.target ?? 'docker.io/library/debian:12';
  const path = o.path ?? '/var/lib/dpkg/status';
  const status = o.status ?? 'fixed';
  const fixedVersions = o.fixedVersions ?? (status === 'fixed' ? ['3.0.13-1~deb12u1'] : []);
  return {
    id,
    kind: 'vulnerability',
    severity: o.severity ?? 'HIGH',
    stackLayer: 'image',
    target,
    location: { path },
    title: `${id} in ${parsed.name}`,
    aliases: [...(o.aliases ?? [])].sort(),
    references: [],
    fingerprint: createHash('sha256').update([id, target, purl, path].join('\0')).digest('hex'),
    vulnerability: {
      package: { type: parsed.type as PackageType, name: parsed.name, version: parsed.version ?? '', purl, location: path },
      ecosystem: 'Debian:12',
      status,
      fixedVersions,
      advisories: [id],
      cvss: [],
      severitySource: 'none',
    },
  };
}

/** A rule finding (no package, no fix state), as misconfiguration checks will make them. */
export function ruleFinding(id: string, severity: Severity = 'MEDIUM'): Finding {
  return {
    id,
    kind: 'misconfiguration',
    severity,
    stackLayer: 'image',
    target: 'docker.io/library/debian:12',
    location: { path: '/etc/passwd', line: 1 },
    title: id,
    aliases: [],
    references: [],
    fingerprint: createHash('sha256').update(id).digest('hex'),
  };
}

/** Writes files into a fresh temporary directory and returns its path. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
