import { BulwarkError } from '../core/errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "512MiB", "2g", "1000" -> bytes. */
export function parseSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[m?.[2]?.toLowerCase() ?? 'x'];
  if (!m || unit === undefined) throw new BulwarkError('E_USAGE', `${flag} "${text}": expected a size such as 512MiB or 2GiB`);
  return Math.floor(Number(m[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "2m", "1500ms", "24h", "7d", "30" (seconds) -> milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new BulwarkError('E_USAGE', `${flag} "${text}": expected a duration such as 30s, 2m, 24h or 1500ms`);
  return Math.round(Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 1000));
}

export function parsePositive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new BulwarkError('E_USAGE', `${flag} "${text}": expected a positive number`);
  return n;
}
