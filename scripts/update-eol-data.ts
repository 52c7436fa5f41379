/**
 * Refreshes data/eol/debian.csv and ubuntu.csv from an installed distro-info-data package and prints
 * what changed, release by release. It reads local files only; getting a newer package is apt's job:
 *
 *   apt-get update && apt-get install -y distro-info-data     # from the Debian archive
 *   node --import tsx scripts/update-eol-data.ts [--from /usr/share/distro-info] [--to data/eol]
 *        [--version 0.58+deb12u7] [--dry-run]
 *
 * The files are copied byte for byte after they parse; data/eol/distro-info.json and the README's source
 * line record the package version (from dpkg-query unless --version) and the date. Alpine and the other tables are edited by hand.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isBulwarkError } from '../src/core/errors.js';
import { diffTables } from '../src/modules/eol/diff.js';
import { DISTRO_INFO_MANIFEST, SHIPPED_EOL_DIR, parseEolFile, type DistroInfoManifest } from '../src/modules/eol/load.js';

const FILES = ['debian.csv', 'ubuntu.csv'];

function installedVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'distro-info-data'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('distro-info-data is not installed (apt-get install -y distro-info-data), or pass --version');
  }
}

/** Keeps the README's "distro-info-data **version** ... copied DATE" statement in step with the files. */
function updateReadme(path: string, manifest: DistroInfoManifest): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  const next = text.replace(
    /(`distro-info-data` \*\*)[^*]+(\*\*.*?copied )\d{4}-\d{2}-\d{2}/,
    `$1${manifest.version}$2${manifest.taken}`,
  );
  if (next !== text) writeFileSync(path, next);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: '/usr/share/distro-info' },
      to: { type: 'string', default: SHIPPED_EOL_DIR },
      version: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const from = resolve(values.from!);
  const to = resolve(values.to!);
  const version = values.version ?? installedVersion();
  // Every file is parsed before any is copied, so a bad one leaves the data as it was.
  const plan = FILES.map((name) => {
    const source = join(from, name);
    if (!existsSync(source)) throw new Error(`${source} does not exist`);
    const next = parseEolFile(readFileSync(source, 'utf8'), source);
    const target = join(to, name);
    const before = existsSync(target) ? parseEolFile(readFileSync(target, 'utf8'), target) : undefined;
    const sameBytes = existsSync(target) && readFileSync(target).equals(readFileSync(source));
    return { name, source, target, sameBytes, lines: diffTables(before, next) };
  });
  const changed = plan.some((p) => !p.sameBytes);
  for (const p of plan) {
    console.log(p.lines.length ? p.lines.join('\n') : `${p.name}: ${p.sameBytes ? 'unchanged' : 'same releases, formatting changed'}`);
    if (!values['dry-run'] && !p.sameBytes) copyFileSync(p.source, p.target);
  }
  const manifestPath = join(to, DISTRO_INFO_MANIFEST);
  const old = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<DistroInfoManifest>) : {};
  if (changed || old.version !== version) {
    const manifest: DistroInfoManifest = {
      package: 'distro-info-data',
      version,
      files: FILES,
      taken: new Date().toISOString().slice(0, 10),
      source: `${from} (installed package)`,
    };
    console.log(`distro-info-data: ${old.version ?? '(none)'} -> ${version}`);
    if (!values['dry-run']) {
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      updateReadme(join(to, 'README.md'), manifest);
    }
  }
  if (values['dry-run']) console.log('dry run: nothing written');
}

try {
  main();
} catch (e) {
  console.error(`update-eol-data: error: ${isBulwarkError(e) || e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
