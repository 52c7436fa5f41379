import type { ImageScanResult } from '../core/scan-result.js';
import { ensureFreshDb } from '../vulndb/ensure.js';
import { ecosystemsFor, matchPackages } from '../vulndb/match/index.js';
import { baseEcosystem } from '../vulndb/names.js';

export interface VulnScanOptions {
  dbDir: string;
  dbUrl: string;
  maxAgeMs: number;
  offline: boolean;
  skipUpdate: boolean;
  timeoutMs: number;
  insecure: boolean;
  includeKernelPackages: boolean;
  onWarning: (message: string) => void;
}

/**
 * Adds vulnerability findings to an inventory: makes sure the database holds fresh data for the
 * ecosystems the inventory needs (or warns that it cannot), then matches every package.
 */
export async function addVulnerabilities(result: ImageScanResult, options: VulnScanOptions): Promise<ImageScanResult> {
  const ecosystems = ecosystemsFor(result.packages, result.os);
  const needed = [...new Set(ecosystems.map(baseEcosystem))];
  if (needed.length === 0) {
    // Nothing OSV covers (an empty or scratch image): no database is needed to say so.
    const { notices } = matchPackages(result.packages, result.os, { lookup: () => [] }, { target: result.artifact.reference });
    return { ...result, scanners: [...new Set([...result.scanners, 'vuln' as const])], notices: [...result.notices, ...notices] };
  }
  const db = await ensureFreshDb({
    dbDir: options.dbDir,
    ecosystems: needed,
    baseUrl: options.dbUrl,
    maxAgeMs: options.maxAgeMs,
    offline: options.offline,
    skipUpdate: options.skipUpdate,
    timeoutMs: options.timeoutMs,
    insecure: options.insecure,
    onWarning: options.onWarning,
  });
  try {
    const { findings, notices } = matchPackages(result.packages, result.os, db, {
      target: result.artifact.reference,
      includeKernelPackages: options.includeKernelPackages,
    });
    return {
      ...result,
      scanners: [...new Set([...result.scanners, 'vuln' as const])],
      findings: [...result.findings, ...findings],
      notices: [...result.notices, ...notices],
      vulnerabilityDb: db.info(options.maxAgeMs, undefined, needed),
    };
  } finally {
    db.close();
  }
}
