/**
 * Matching speed: 2,000 packages (an image's worth: Debian packages and npm packages) against a
 * 300k-record generated OSV set, after the database is open. The floor, measured in the same run, is
 * the database lookups alone (the same 2,000 names, no range evaluation, grouping or severity).
 *
 *   node --import tsx bench/match.bench.ts [records=300000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OsInfo, Package } from '../src/core/package.js';
import { importDb } from '../src/vulndb/import.js';
import { matchPackages } from '../src/vulndb/match/index.js';
import { packageNameKey } from '../src/vulndb/names.js';
import { VulnDb } from '../src/vulndb/vulndb.js';
import { MODELS, POOL_SIZE, generateOsvRecords, poolPackage, seededRandom } from '../test/support/osv-generate.js';
import { writeOsvZipStream } from '../test/support/osv-zip.js';
import { renderTable } from './support/table.js';

const RECORDS = Number(process.argv[2] ?? 300_000);
const DEBIAN_12: OsInfo = { family: 'debian', version: '12', codename: 'bookworm', source: '/etc/os-release' };

/**
 * 400 Debian packages and 1,600 npm packages. `share` of them are names the generated set has
 * advisories for, picked uniformly from its pool (`skewed`: picked like the set itself, so mostly the
 * most-advised packages).
 */
function imagePackages(share: number, skewed: boolean): Package[] {
  const rnd = seededRandom(7);
  const index = (): number => Math.floor(POOL_SIZE * (skewed ? rnd() ** 2 : rnd()));
  const pick = (model: 'Debian' | 'npm'): string => (rnd() < share ? poolPackage(model, index()) : `absent-${Math.floor(rnd() * 1e9)}`);
  const packages: Package[] = [];
  for (let i = 0; i < 400; i++) {
    const name = pick('Debian');
    const version = MODELS.Debian!.version(rnd);
    packages.push({ type: 'deb', name, version, sourceName: name, sourceVersion: version, licenses: [], purl: `pkg:deb/debian/${name}@${version}`, location: '/var/lib/dpkg/status' });
  }
  for (let i = 0; i < 1600; i++) {
    const name = pick('npm');
    const version = MODELS.npm!.version(rnd);
    packages.push({ type: 'npm', name, version, licenses: [], purl: `pkg:npm/${name}@${version}`, location: `/app/node_modules/${name}/package.json` });
  }
  return packages;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const work = await mkdtemp(join(tmpdir(), 'bulwark-bench-match-'));
try {
  const zip = join(work, 'osv.zip');
  await writeOsvZipStream(zip, generateOsvRecords(RECORDS, 1));
  await importDb({ dbDir: join(work, 'db'), path: zip });
  const scenarios = [
    { what: 'image-like: 15% of packages have advisories', packages: imagePackages(0.15, false) },
    { what: 'heavy: 50% of packages, the most-advised ones', packages: imagePackages(0.5, true) },
  ];
  const runs = 7;
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const scenario of scenarios) {
    const lookupMs: number[] = [];
    const matchMs: number[] = [];
    let findings = 0;
    let candidates = 0;
    for (let run = 0; run < runs; run++) {
      // A fresh open each run, as a scan does: no record is cached from a previous run.
      let db = VulnDb.open(join(work, 'db'))!;
      let t = performance.now();
      candidates = 0;
      for (const p of scenario.packages) {
        const ecosystem = p.type === 'deb' ? 'Debian:12' : 'npm';
        candidates += db.lookup(ecosystem, packageNameKey(ecosystem, p.sourceName ?? p.name)).length;
      }
      lookupMs.push(performance.now() - t);
      db.close();
      db = VulnDb.open(join(work, 'db'))!;
      t = performance.now();
      findings = matchPackages(scenario.packages, DEBIAN_12, db, { target: 'bench' }).findings.length;
      matchMs.push(performance.now() - t);
      db.close();
    }
    rows.push([scenario.what, String(candidates), String(findings), `${median(lookupMs).toFixed(0)} ms`, `${median(matchMs).toFixed(0)} ms`]);
    verdicts.push(`${scenario.what}: ${median(matchMs).toFixed(0)} ms -> ${median(matchMs) < 200 ? 'under 200 ms' : 'OVER 200 ms'}`);
  }
  console.log(`\nmatching 2,000 packages against ${RECORDS.toLocaleString('en')} generated OSV records (median of ${runs} runs, fresh open each run)\n`);
  console.log(renderTable(['packages', 'candidates', 'findings', 'floor: lookups alone', 'bulwark matchPackages'], rows));
  console.log(`\n${verdicts.join('\n')}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
