import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { startOsvServer, type OsvServer } from '../support/osv-server.js';
import { osv, recordEntries, zipBuffer, type OsvJson } from '../support/osv-zip.js';

export { rejectsWith } from '../support/errors.js';

/** A fresh temporary directory, removed when the test file ends. */
export async function tempDir(prefix = 'bulwark-vulndb-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file of a directory with the sha256 of its bytes: equal snapshots mean nothing was touched. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    out[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  }
  return out;
}


/** Small Debian and npm data sets as OSV publishes them (one ecosystem per all.zip). */
export function debianRecords(): OsvJson[] {
  return [
    osv('DSA-5514-1', [{ ecosystem: 'Debian:12', name: 'glibc', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u3' }] }], {
      upstream: ['CVE-2023-4911'],
    }),
    osv('DEBIAN-CVE-2023-45853', [
      { ecosystem: 'Debian:12', name: 'zlib', events: [{ introduced: '0' }] },
      { ecosystem: 'Debian:11', name: 'zlib', events: [{ introduced: '0' }] },
    ]),
    osv('DEBIAN-CVE-2011-3374', [{ ecosystem: 'Debian:12', name: 'apt', events: [{ introduced: '0' }] }]),
    osv('DEBIAN-CVE-2000-0001', [{ ecosystem: 'Debian:12', name: 'apt', events: [{ introduced: '0' }, { fixed: '1.0' }] }], {
      withdrawn: '2025-06-02T00:00:00Z',
    }),
  ];
}

export function npmRecords(): OsvJson[] {
  return [
    osv('GHSA-aaaa-bbbb-cccc', [{ ecosystem: 'npm', name: 'lodash', events: [{ introduced: '0' }, { fixed: '4.17.21' }], rangeType: 'SEMVER' }], {
      aliases: ['CVE-2021-23337'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
    }),
    osv('GHSA-dddd-eeee-ffff', [{ ecosystem: 'npm', name: '@scope/pkg', versions: ['1.0.0', '1.0.1'] }]),
  ];
}

/** An OSV server on 127.0.0.1 publishing debianRecords() and npmRecords() as Debian/ and npm/ all.zip. */
export async function startServerWithRecords(): Promise<OsvServer> {
  const server = await startOsvServer();
  server.publish('Debian', await zipBuffer(recordEntries(debianRecords())));
  server.publish('npm', await zipBuffer(recordEntries(npmRecords())));
  return server;
}
