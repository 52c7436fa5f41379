import { createHash } from 'node:crypto';
import type { Package, PackageType } from '../../src/core/package.js';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import type { LayerInfo } from '../../src/image/types.js';

/** A stable fake sha256 digest for a label. */
export function digest(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

function layers(image: string, createdBy: string[]): LayerInfo[] {
  return createdBy.map((c, index) => ({
    index,
    diffId: digest(`${image}-diff-${index}`),
    digest: digest(`${image}-blob-${index}`),
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    size: 1_000_000 * (index + 1) * 37 + 4321,
    storedSize: 1_000_000 * (index + 1) * 12,
    createdBy: c,
    created: `2024-03-0${index + 1}T10:00:00Z`,
  }));
}

type PkgSpec = Omit<Package, 'type' | 'location' | 'layer'> & { layer?: number };

function pkgs(type: PackageType, location: string, image: LayerInfo[], specs: PkgSpec[]): Package[] {
  return specs.map(({ layer, ...p }) => {
    const l = layer === undefined ? undefined : image[layer];
    return { type, location, ...p, ...(l ? { layer: { index: l.index, diffId: l.diffId, createdBy: l.createdBy } } : {}) };
  });
}

function result(artifact: ImageScanResult['artifact'], os: ImageScanResult['os'], packages: Package[]): ImageScanResult {
  return {
    schemaVersion: 1,
    tool: { name: 'bulwark', version: '0.1.0' },
    createdAt: '2024-05-01T12:34:56.789Z',
    artifact,
    os,
    // Deliberately unsorted: reporters must sort.
    packages: [...packages].reverse(),
    notices: [
      { level: 'warning', detector: 'rpm', message: 'rpmdb.sqlite not found' },
      { level: 'info', detector: 'dpkg', message: 'status.d entries merged' },
    ],
  };
}

export function debianResult(): ImageScanResult {
  const l = layers('debian', [
    '/bin/sh -c #(nop) ADD file:5d6b639e8b6bcc011ef3ba7d29d9ba8b5e3c9a2d1f7a8b6c5d4e3f2a1b0c9d8e7 in / ',
    'RUN /bin/sh -c apt-get update  && apt-get install -y --no-install-recommends ca-certificates curl perl  && rm -rf /var/lib/apt/lists/* # buildkit',
  ]);
  const deb = (name: string, version: string, arch = 'amd64'): string =>
    `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=${arch}&distro=debian-12`;
  return result(
    {
      reference: 'docker.io/library/debian:12',
      source: 'registry',
      name: 'docker.io/library/debian:12',
      repoTags: ['debian:bookworm', 'debian:12'],
      repoDigests: [`debian@${digest('debian-manifest')}`],
      manifestDigest: digest('debian-manifest'),
      configDigest: digest('debian-config'),
      os: 'linux',
      architecture: 'amd64',
      created: '2024-03-02T10:00:00Z',
      layers: l,
    },
    { family: 'debian', version: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', source: '/etc/os-release' },
    pkgs('deb', '/var/lib/dpkg/status', l, [
      { name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64', sourceName: 'glibc', licenses: ['GPL-2', 'LGPL-2.1'], purl: deb('libc6', '2.36-9+deb12u4'), maintainer: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>', layer: 0 },
      { name: 'login', version: '1:4.13+dfsg1-1', epoch: 1, arch: 'amd64', sourceName: 'shadow', sourceVersion: '1:4.13+dfsg1-1', licenses: ['GPL-2+', 'BSD-3-clause'], purl: deb('login', '1:4.13+dfsg1-1'), layer: 0 },
      { name: 'perl-base', version: '5.36.0-7+deb12u1', arch: 'amd64', sourceName: 'perl', licenses: ['GPL-1+ or Artistic', 'Artistic-2', 'Expat', 'public-domain', 'BSD-3-clause-GENERIC'], purl: deb('perl-base', '5.36.0-7+deb12u1'), layer: 0 },
      { name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64', sourceName: 'openssl', licenses: ['Apache-2.0'], purl: deb('libssl3', '3.0.11-1~deb12u2'), layer: 1 },
      { name: 'zlib1g', version: '1:1.2.13.dfsg-1', epoch: 1, arch: 'amd64', sourceName: 'zlib', licenses: ['Zlib'], purl: deb('zlib1g', '1:1.2.13.dfsg-1'), layer: 0 },
      { name: 'libstdc++6', version: '12.2.0-14', arch: 'amd64', sourceName: 'gcc-12', licenses: ['GPL-3+ with GCC-exception-3.1', 'GFDL-1.2+', 'GPL-2+ with OpenSSL exception'], purl: deb('libstdc++6', '12.2.0-14'), layer: 0 },
      { name: 'tzdata', version: '2024a-0+deb12u1', arch: 'all', licenses: [], purl: deb('tzdata', '2024a-0+deb12u1', 'all'), layer: 0 },
      { name: 'curl', version: '7.88.1-10+deb12u5', arch: 'amd64', licenses: ['curl', 'ISC', 'BSD-4-Clause-UC'], purl: deb('curl', '7.88.1-10+deb12u5'), files: ['/usr/share/doc/curl/copyright', '/usr/bin/curl'], layer: 1 },
    ]),
  );
}

export function rockyResult(): ImageScanResult {
  const l = layers('rocky', ['/bin/sh -c #(nop) ADD file:rocky-9-rootfs.tar.xz in / ']);
  const rpm = (name: string, version: string, arch: string, epoch?: number): string =>
    `pkg:rpm/rocky/${name}@${version}?arch=${arch}${epoch ? `&epoch=${epoch}` : ''}&distro=rocky-9.3`;
  return result(
    {
      reference: 'rocky.tar',
      source: 'docker-archive',
      repoTags: ['rockylinux:9.3'],
      repoDigests: [],
      configDigest: digest('rocky-config'),
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      layers: l,
    },
    { family: 'rocky', version: '9.3', prettyName: 'Rocky Linux 9.3 (Blue Onyx)', source: '/etc/os-release' },
    pkgs('rpm', '/var/lib/rpm/rpmdb.sqlite', l, [
      { name: 'bash', version: '5.1.8-6.el9_1', release: '6.el9_1', arch: 'aarch64', sourceName: 'bash', sourceVersion: '5.1.8-6.el9_1', licenses: ['GPLv3+'], purl: rpm('bash', '5.1.8-6.el9_1', 'aarch64'), vendor: 'Rocky Enterprise Software Foundation', layer: 0 },
      { name: 'openssl-libs', version: '1:3.0.7-25.el9_3', epoch: 1, release: '25.el9_3', arch: 'aarch64', sourceName: 'openssl', sourceVersion: '1:3.0.7-25.el9_3', licenses: ['ASL 2.0'], purl: rpm('openssl-libs', '3.0.7-25.el9_3', 'aarch64', 1), vendor: 'Rocky Enterprise Software Foundation', layer: 0 },
      { name: 'glibc', version: '2.34-83.el9.7', release: '83.el9.7', arch: 'aarch64', licenses: ['LGPLv2+ and LGPLv2+ with exceptions and GPLv2+ and GPLv2+ with exceptions and BSD and Inner-Net and ISC and Public Domain and GFDL'], purl: rpm('glibc', '2.34-83.el9.7', 'aarch64'), layer: 0 },
      { name: 'perl-libs', version: '4:5.32.1-480.el9', epoch: 4, release: '480.el9', arch: 'aarch64', sourceName: 'perl', licenses: ['(GPL+ or Artistic) and HSRL and MIT and UCD'], purl: rpm('perl-libs', '5.32.1-480.el9', 'aarch64', 4), layer: 0 },
      { name: 'python3-libs', version: '3.9.18-1.el9_3', release: '1.el9_3', arch: 'aarch64', licenses: ['Python'], purl: rpm('python3-libs', '3.9.18-1.el9_3', 'aarch64'), layer: 0 },
      { name: 'crypto-policies', version: '20230731-1.git94f0e2c.el9_3.1', arch: 'noarch', licenses: ['LGPLv2+'], purl: rpm('crypto-policies', '20230731-1.git94f0e2c.el9_3.1', 'noarch'), layer: 0 },
    ]),
  );
}

export function alpineResult(): ImageScanResult {
  const l = layers('alpine', ['ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit', '/bin/sh -c apk add --no-cache ca-certificates']);
  const apk = (name: string, version: string): string => `pkg:apk/alpine/${name}@${version}?arch=x86_64&distro=alpine-3.19.1`;
  return result(
    {
      reference: '/tmp/alpine-layout',
      source: 'oci-layout',
      repoTags: [],
      repoDigests: [],
      manifestDigest: digest('alpine-manifest'),
      configDigest: digest('alpine-config'),
      os: 'linux',
      architecture: 'amd64',
      layers: l,
    },
    { family: 'alpine', version: '3.19.1', prettyName: 'Alpine Linux v3.19', source: '/etc/os-release' },
    pkgs('apk', '/lib/apk/db/installed', l, [
      { name: 'musl', version: '1.2.4_git20230717-r4', arch: 'x86_64', licenses: ['MIT'], purl: apk('musl', '1.2.4_git20230717-r4'), maintainer: 'Timo Teräs <timo.teras@iki.fi>', layer: 0 },
      { name: 'busybox', version: '1.36.1-r15', arch: 'x86_64', licenses: ['GPL-2.0-only'], purl: apk('busybox', '1.36.1-r15'), layer: 0 },
      { name: 'ssl_client', version: '1.36.1-r15', arch: 'x86_64', sourceName: 'busybox', licenses: ['GPL-2.0-only'], purl: apk('ssl_client', '1.36.1-r15'), layer: 0 },
      { name: 'libcrypto3', version: '3.1.4-r5', arch: 'x86_64', sourceName: 'openssl', licenses: ['Apache-2.0'], purl: apk('libcrypto3', '3.1.4-r5'), layer: 0 },
      { name: 'ca-certificates', version: '20240226-r0', arch: 'x86_64', licenses: ['MPL-2.0 AND MIT'], purl: apk('ca-certificates', '20240226-r0'), layer: 1 },
      { name: 'zlib', version: '1.3.1-r0', arch: 'x86_64', licenses: ['Zlib'], purl: apk('zlib', '1.3.1-r0'), layer: 0 },
      { name: 'scanelf', version: '1.3.7-r2', arch: 'x86_64', sourceName: 'pax-utils', licenses: ['GPL-2.0-only'], purl: apk('scanelf', '1.3.7-r2'), layer: 0 },
    ]),
  );
}

export const allResults = (): [string, ImageScanResult][] => [
  ['debian', debianResult()],
  ['rocky', rockyResult()],
  ['alpine', alpineResult()],
];
