import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseApkInstalled } from '../../src/modules/detector/apk/installed-db.js';
import { parseDpkgStatus } from '../../src/modules/detector/dpkg/status.js';
import { licensesFromCopyright } from '../../src/modules/detector/dpkg/copyright.js';
import { parseOsRelease, parseRedhatRelease } from '../../src/modules/detector/os-release/parse.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { buildImage, writeDockerArchive } from '../support/registry.js';
import { validSmallImage, VALID_IMAGE_PACKAGES } from '../support/hostile.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/apk/${name}`, import.meta.url), 'utf8');
const ALPINE_OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulwark-ospkg-'));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function scanArchive(path: string): Promise<ImageScanResult> {
  const source = await openInput(path, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
  return scanImage(source);
}

describe('os identification', () => {
  it('parses os-release quoting and escapes', () => {
    const fields = parseOsRelease('ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n# comment\nNAME=\'Ubuntu\'\nX="a \\"q\\""\n');
    assert.deepEqual(fields, { ID: 'ubuntu', VERSION_ID: '22.04', PRETTY_NAME: 'Ubuntu 22.04.4 LTS', NAME: 'Ubuntu', X: 'a "q"' });
  });
  it('parses redhat-release lines', () => {
    assert.deepEqual(parseRedhatRelease('Rocky Linux release 9.3 (Blue Onyx)\n'), { family: 'rocky', version: '9.3', codename: 'Blue Onyx' });
    assert.deepEqual(parseRedhatRelease('CentOS Linux release 7.9.2009 (Core)'), { family: 'centos', version: '7.9.2009', codename: 'Core' });
    assert.equal(parseRedhatRelease('Something else'), undefined);
  });
});

describe('dpkg', () => {
  it('keeps only installed packages and reads every Source form', () => {
    const entries = parseDpkgStatus(`Package: a
Status: install ok installed
Version: 1:2.0-1
Architecture: amd64
Source: src-a (2.0-1)

Package: removed
Status: deinstall ok config-files
Version: 1.0
Architecture: amd64

Package: b
Status: hold ok installed
Version: 3.0-2+b1
Architecture: all
Source: src-b
Description: multi
 line

Package: half
Status: install reinstreq half-installed
Version: 1.0
`);
    assert.deepEqual(
      entries.map((e) => [e.name, e.version, e.sourceName, e.sourceVersion]),
      [
        ['a', '1:2.0-1', 'src-a', '2.0-1'],
        ['b', '3.0-2+b1', 'src-b', '3.0-2+b1'],
      ],
    );
  });

  it('reads DEP-5 License fields, else common-licenses references', () => {
    assert.deepEqual(licensesFromCopyright('Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: BSD-3-clause\n Redistribution...\n'), ['BSD-3-clause', 'GPL-2+']);
    assert.deepEqual(licensesFromCopyright('see /usr/share/common-licenses/GPL-3.\n'), ['GPL-3']);
  });

  it('inventories the small two-layer image: whiteouts applied, source versions kept, layers attributed', async () => {
    const result = await scanArchive(await validSmallImage(work));
    assert.equal(result.os?.family, 'debian');
    assert.deepEqual(
      result.packages.map((p) => ({ package: p.name, version: p.version, architecture: p.arch, sourcePackage: p.sourceName, sourceVersion: p.sourceVersion })),
      [...VALID_IMAGE_PACKAGES].sort((a, b) => a.package.localeCompare(b.package)),
    );
    assert.ok(result.packages.every((p) => p.layer?.index === 0 && p.purl.includes('distro=debian-12')));
  });

  it('reads distroless status.d stanzas', async () => {
    const image = await buildImage({
      layers: [
        {
          files: {
            'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
            'var/lib/dpkg/status.d/base': 'Package: base-files\nVersion: 12.4\nArchitecture: amd64\n',
            'var/lib/dpkg/status.d/libssl3': 'Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n',
            'var/lib/dpkg/status.d/libssl3.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/libssl.so.3\n',
          },
        },
      ],
    });
    const path = join(work, 'distroless.tar');
    await writeDockerArchive(path, image, 'distroless:test');
    const result = await scanArchive(path);
    assert.deepEqual(result.packages.map((p) => [p.name, p.sourceName, p.location]), [
      ['base-files', 'base-files', '/var/lib/dpkg/status.d/base'],
      ['libssl3', 'openssl', '/var/lib/dpkg/status.d/libssl3'],
    ]);
  });
});

describe('apk', () => {
  it('parses a realistic installed db: origins, licences, owned files', async () => {
    const entries = parseApkInstalled(await fixture('installed-base'));
    assert.deepEqual(entries.map((e) => `${e.name}@${e.version}<${e.origin}`), ['musl@1.2.4_git20230717-r4<musl', 'busybox@1.36.1-r15<busybox', 'libcrypto3@3.1.4-r2<openssl', 'ssl_client@1.36.1-r15<busybox']);
    const busybox = entries.find((e) => e.name === 'busybox')!;
    assert.deepEqual(busybox.files, ['/bin/busybox', '/bin/sh', '/etc/securetty', '/etc/udhcpd.conf', '/etc/logrotate.d/acpid', '/usr/share/udhcpc/default.script']);
  });

  it('inventories an Alpine image and attributes a later apk add to its layer', async () => {
    const image = await buildImage({
      layers: [
        { files: { 'etc/os-release': ALPINE_OS_RELEASE, 'etc/alpine-release': '3.19.1\n', 'lib/apk/db/installed': await fixture('installed-base') } },
        { files: { 'lib/apk/db/installed': await fixture('installed-with-curl') } },
      ],
    });
    const path = join(work, 'alpine.tar');
    await writeDockerArchive(path, image, 'alpine:test');
    const result = await scanArchive(path);
    assert.deepEqual(result.os, { family: 'alpine', version: '3.19.1', prettyName: 'Alpine Linux v3.19', source: '/etc/os-release' });
    const byName = new Map(result.packages.map((p) => [p.name, p]));
    assert.equal(byName.size, 5);
    assert.equal(byName.get('curl')!.layer?.index, 1);
    assert.equal(byName.get('musl')!.layer?.index, 0);
    assert.equal(byName.get('libcrypto3')!.purl, 'pkg:apk/alpine/libcrypto3@3.1.4-r2?arch=x86_64&distro=3.19.1');
    assert.deepEqual(byName.get('ssl_client')!.licenses, ['GPL-2.0-only', 'MIT']);
  });
});
