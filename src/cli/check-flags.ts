import type { Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import type { ScannerId } from '../core/scan-result.js';
import { loadSecretConfig } from '../modules/secrets/config-file.js';
import { DEFAULT_MAX_AGE_DAYS, type CheckOptions } from '../scan/checks.js';
import { parseDuration, parseSize } from './sizes.js';

/** Settings of the scanners that read the target during the walk (misconfig and secret). */
export interface CheckFlags {
  maxAge: string;
  eolWarnDays: string;
  secretConfig?: string;
  secretMaxFileSize?: string;
}

export function addCheckFlags(command: Command): Command {
  return command
    .option('--max-age <duration>', 'report an image created longer ago than this (misconfig)', `${DEFAULT_MAX_AGE_DAYS}d`)
    .option('--eol-warn-days <n>', 'report an OS release whose support ends within this many days (misconfig)', '90')
    .option('--secret-config <file>', 'secret scanner allow list and limits, YAML (docs/secrets.md)')
    .option('--secret-max-file-size <size>', 'files larger than this are not read for secrets', '10MiB');
}

const DAY_MS = 86_400_000;

/** The check options for the selected scanners; files are read and validated here, before any slow work. */
export function checkOptionsFrom(flags: CheckFlags, scanners: readonly ScannerId[], now = new Date()): CheckOptions {
  const maxAgeDays = parseDuration(flags.maxAge, '--max-age') / DAY_MS;
  const eolNearDays = Number(flags.eolWarnDays);
  if (!Number.isInteger(eolNearDays) || eolNearDays < 0) {
    throw new BulwarkError('E_USAGE', `--eol-warn-days "${flags.eolWarnDays}": expected a whole number of days`);
  }
  const maxFileSize = parseSize(flags.secretMaxFileSize ?? '10MiB', '--secret-max-file-size');
  const config = flags.secretConfig ? loadSecretConfig(flags.secretConfig) : {};
  return {
    ...(scanners.includes('misconfig') ? { misconfig: { now, maxAgeDays, eolNearDays } } : {}),
    ...(scanners.includes('secret')
      ? { secret: { maxFileSize, ...(config.allowList ? { allowList: config.allowList } : {}) } }
      : {}),
  };
}
