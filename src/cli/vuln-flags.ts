import type { Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { SCANNER_IDS, type ScannerId } from '../core/scan-result.js';
import { DEFAULT_DB_URL, resolveDbDir, resolveDbUrl } from '../vulndb/paths.js';
import type { VulnScanOptions } from '../scan/vuln-scan.js';
import { parseDuration } from './sizes.js';

/** Scanners a scan command can run; all of them by default. */
export const SCANNERS: readonly ScannerId[] = SCANNER_IDS;

export interface VulnFlags {
  scanners: string;
  skipDbUpdate?: boolean;
  offline?: boolean;
  dbUrl?: string;
  cacheDir?: string;
  dbMaxAge: string;
  includeKernelPackages?: boolean;
  insecure?: boolean;
  timeout?: string;
}

export function addVulnFlags(command: Command): Command {
  return command
    .option('--scanners <list>', `what to look for, comma-separated (${SCANNERS.join(', ')}); "none" for the inventory only`, SCANNERS.join(','))
    .option('--skip-db-update', 'use the vulnerability database as it is, even if stale or missing ecosystems')
    .option('--offline', 'no network for the vulnerability database (implies --skip-db-update)')
    .option('--db-url <url>', `base URL of OSV's per-ecosystem all.zip files (or BULWARK_DB_URL; default ${DEFAULT_DB_URL})`)
    .option('--cache-dir <dir>', 'where the vulnerability database lives (or BULWARK_CACHE_DIR)')
    .option('--db-max-age <duration>', 'age after which the database is stale and updated (or warned about)', '24h')
    .option('--include-kernel-packages', 'match kernel header and tool packages against kernel advisories');
}

export function scannersFrom(flags: VulnFlags): ScannerId[] {
  const list = flags.scanners.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 1 && list[0] === 'none') return [];
  for (const s of list) {
    if (!SCANNERS.includes(s as ScannerId)) throw new BulwarkError('E_USAGE', `--scanners "${s}": expected ${SCANNERS.join(', ')} or none`);
  }
  return [...new Set(list)] as ScannerId[];
}

export function vulnOptionsFrom(flags: VulnFlags, onWarning: (message: string) => void): VulnScanOptions {
  return {
    dbDir: resolveDbDir(flags.cacheDir),
    dbUrl: resolveDbUrl(flags.dbUrl),
    maxAgeMs: parseDuration(flags.dbMaxAge, '--db-max-age'),
    offline: flags.offline ?? false,
    skipUpdate: (flags.skipDbUpdate ?? false) || (flags.offline ?? false),
    timeoutMs: parseDuration(flags.timeout ?? '60s', '--timeout'),
    insecure: flags.insecure ?? false,
    includeKernelPackages: flags.includeKernelPackages ?? false,
    onWarning,
  };
}
