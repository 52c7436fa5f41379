import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { SEVERITIES, type FixStatus, type Severity } from '../core/finding.js';
import type { FindingPolicy } from '../policy/filter.js';
import { loadIgnoreFile, type IgnoreRules } from '../policy/ignorefile.js';
import { loadVex, type VexDocument } from '../policy/vex.js';

/** Read from the working directory when no --ignorefile is given (docs/ignorefile.md). */
export const DEFAULT_IGNOREFILE = '.bulwarkignore.yaml';

export const FIX_STATUSES: readonly FixStatus[] = ['fixed', 'affected', 'will_not_fix', 'fix_deferred', 'end_of_life', 'possibly_affected'];

/** The filtering and gating flags, as commander hands them over. */
export interface PolicyFlags {
  severity?: string;
  ignoreUnfixed?: boolean;
  ignoreStatus?: string;
  exitCode?: string;
  ignorefile?: string[];
  vex?: string[];
  showSuppressed?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const joinLists = (value: string, previous: string | undefined): string => (previous ? `${previous},${value}` : value);

export function addPolicyFlags(command: Command): Command {
  return command
    .addOption(new Option('--severity <list>', `severities to report, comma-separated (${SEVERITIES.join(',')}; default all)`).argParser(joinLists))
    .option('--ignore-unfixed', 'drop vulnerabilities with no fixed version (possibly_affected ones are kept)')
    .addOption(new Option('--ignore-status <list>', `drop vulnerabilities in these states (${FIX_STATUSES.join(',')})`).argParser(joinLists))
    .addOption(new Option('--exit-code <n>', 'exit status when findings remain after filtering and suppression').default('0'))
    .addOption(new Option('--ignorefile <path>', `YAML ignore file, repeatable (default ${DEFAULT_IGNOREFILE} when present)`).argParser(collect))
    .addOption(new Option('--vex <path>', 'OpenVEX or CycloneDX VEX document, repeatable').argParser(collect))
    .option('--show-suppressed', 'list suppressed findings too, marked as such');
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

export function parseSeverities(text: string): Severity[] {
  const list = splitList(text).map((s) => s.toUpperCase());
  if (list.length === 0) throw new BulwarkError('E_USAGE', `--severity: expected one or more of ${SEVERITIES.join(', ')}`);
  for (const s of list) {
    if (!SEVERITIES.includes(s as Severity)) throw new BulwarkError('E_USAGE', `--severity "${s}": expected ${SEVERITIES.join(', ')}`);
  }
  return [...new Set(list as Severity[])];
}

export function parseStatuses(text: string): FixStatus[] {
  const list = splitList(text).map((s) => s.toLowerCase().replace(/-/g, '_'));
  if (list.length === 0) throw new BulwarkError('E_USAGE', `--ignore-status: expected one or more of ${FIX_STATUSES.join(', ')}`);
  for (const s of list) {
    if (!FIX_STATUSES.includes(s as FixStatus)) throw new BulwarkError('E_USAGE', `--ignore-status "${s}": expected ${FIX_STATUSES.join(', ')}`);
  }
  return [...new Set(list as FixStatus[])];
}

export function exitCodeFrom(flags: PolicyFlags): number {
  const text = (flags.exitCode ?? '0').trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 255) throw new BulwarkError('E_USAGE', `--exit-code "${flags.exitCode}": expected an integer from 0 to 255`);
  return n;
}

/** A file the user named that cannot be read is a usage error naming the flag. */
function loadNamed<T>(flag: string, path: string, load: (path: string) => T): T {
  try {
    return load(path);
  } catch (e) {
    if (isBulwarkError(e) && e.code === 'E_INPUT') throw new BulwarkError('E_USAGE', `${flag} ${e.message}`);
    throw e;
  }
}

/** Validates the flags and loads the ignore files and VEX documents they name. */
export function policyFrom(flags: PolicyFlags, options: { cwd?: string; now?: Date } = {}): FindingPolicy {
  exitCodeFrom(flags);
  const severities = flags.severity !== undefined ? parseSeverities(flags.severity) : undefined;
  const ignoreStatuses = flags.ignoreStatus !== undefined ? parseStatuses(flags.ignoreStatus) : undefined;
  const cwd = options.cwd ?? process.cwd();
  let ignoreFiles: IgnoreRules[];
  if (flags.ignorefile?.length) {
    ignoreFiles = flags.ignorefile.map((path) => loadNamed('--ignorefile', path, loadIgnoreFile));
  } else {
    const fallback = join(cwd, DEFAULT_IGNOREFILE);
    ignoreFiles = existsSync(fallback) ? [{ ...loadIgnoreFile(fallback), file: DEFAULT_IGNOREFILE }] : [];
  }
  const vex: VexDocument[] = (flags.vex ?? []).map((path) => loadNamed('--vex', path, loadVex));
  return {
    ...(severities ? { severities } : {}),
    ...(flags.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    ...(ignoreStatuses ? { ignoreStatuses } : {}),
    ...(ignoreFiles.length ? { ignoreFiles } : {}),
    ...(vex.length ? { vex } : {}),
    ...(flags.showSuppressed ? { showSuppressed: true } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
}
