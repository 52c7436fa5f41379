import { createHash } from 'node:crypto';
import type { CvssScore, Finding, FixStatus, Severity, Suppression } from '../../src/core/finding.js';
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
    scanners: [],
    findings: [],
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

interface FindingSpec {
  id: string;
  severity: Severity;
  title: string;
  description?: string;
  aliases?: string[];
  references?: string[];
  status: FixStatus;
  fixed?: string[];
  distroStatus?: string;
  advisories?: string[];
  cvss?: Omit<CvssScore, 'source'>[];
  severitySource?: string;
  suppressed?: Suppression;
}

/** A vulnerability finding about `p`, shaped as the matcher writes them (fingerprint recipe included). */
function finding(target: string, p: Package, spec: FindingSpec, ecosystem: string): Finding {
  const advisories = spec.advisories ?? [spec.id];
  const fixed = spec.fixed ?? [];
  return {
    id: spec.id,
    kind: 'vulnerability',
    severity: spec.severity,
    stackLayer: 'image',
    target,
    location: { path: p.location, ...(p.layer ? { layer: p.layer } : {}) },
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    aliases: spec.aliases ?? [],
    references: spec.references ?? [],
    ...(spec.status === 'fixed' ? { remediation: `Upgrade ${p.name} to ${fixed[0]} or later` } : {}),
    fingerprint: createHash('sha256').update(['vulnerability', spec.id, target, p.purl, p.location].join('\0')).digest('hex'),
    ...(spec.suppressed ? { suppressed: spec.suppressed } : {}),
    vulnerability: {
      package: {
        type: p.type,
        name: p.name,
        version: p.version,
        purl: p.purl,
        ...(p.sourceName ? { sourceName: p.sourceName, sourceVersion: p.sourceVersion ?? p.version } : {}),
        location: p.location,
      },
      ecosystem,
      status: spec.status,
      fixedVersions: fixed,
      ...(spec.distroStatus ? { distroStatus: spec.distroStatus } : {}),
      advisories,
      cvss: (spec.cvss ?? []).map((c) => ({ ...c, source: advisories[0]! })),
      severitySource: spec.severitySource ?? (spec.cvss?.[0] ? `cvss:${spec.cvss[0].version}` : 'none'),
      published: '2024-01-26T09:15:00Z',
      modified: '2024-04-02T12:00:00Z',
    },
  };
}

const V31 = (vector: string, score: number, severity: Severity): Omit<CvssScore, 'source'> => ({ version: '3.1', vector: `CVSS:3.1/${vector}`, score, severity });

/**
 * The Debian image with an npm app on top, scanned for vulnerabilities: ten findings over nine
 * packages, every severity, a flaw shared by two packages, aliases, CVSS 3.1 and 4.0, a suppressed
 * finding from VEX and one from an ignore file, and an unparseable version (possibly affected).
 */
export function debianVulnResult(): ImageScanResult {
  const base = debianResult();
  const l = base.artifact.layers;
  const appLayer = { index: 1, diffId: l[1]!.diffId, createdBy: l[1]!.createdBy };
  const extra: Package[] = [
    { type: 'deb', name: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64', sourceName: 'openssl', licenses: ['Apache-2.0'], purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', location: '/var/lib/dpkg/status', layer: appLayer },
    { type: 'npm', name: 'braces', version: '3.0.2', licenses: ['MIT'], purl: 'pkg:npm/braces@3.0.2', location: '/app/node_modules/braces/package.json', evidence: 'installed', layer: appLayer },
    { type: 'npm', name: 'lodash', version: '4.17.x', licenses: ['MIT'], purl: 'pkg:npm/lodash@4.17.x', location: '/app/node_modules/lodash/package.json', evidence: 'installed', layer: appLayer },
  ];
  const packages = [...base.packages, ...extra];
  const pkg = (name: string): Package => packages.find((p) => p.name === name)!;
  const target = base.artifact.reference;
  const deb = (name: string, spec: FindingSpec): Finding => finding(target, pkg(name), spec, 'Debian:12');
  const npm = (name: string, spec: FindingSpec): Finding => finding(target, pkg(name), spec, 'npm');
  const pkcs12: FindingSpec = {
    id: 'CVE-2024-0727',
    severity: 'MEDIUM',
    title: 'openssl: denial of service via null dereference in PKCS12 parsing',
    description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash\nleading to a potential Denial of Service attack.',
    aliases: ['DSA-5621-1'],
    references: ['https://www.openssl.org/news/secadv/20240125.txt', 'https://security-tracker.debian.org/tracker/CVE-2024-0727'],
    status: 'fixed',
    fixed: ['3.0.13-1~deb12u1'],
    advisories: ['DEBIAN-CVE-2024-0727', 'DSA-5621-1'],
    cvss: [V31('AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H', 5.5, 'MEDIUM')],
  };
  const findings: Finding[] = [
    deb('curl', {
      id: 'CVE-2023-38545',
      severity: 'CRITICAL',
      title: 'curl: heap based buffer overflow in the SOCKS5 proxy handshake',
      aliases: ['DSA-5523-1'],
      references: ['https://curl.se/docs/CVE-2023-38545.html'],
      status: 'fixed',
      fixed: ['7.88.1-10+deb12u6'],
      advisories: ['DEBIAN-CVE-2023-38545'],
      cvss: [V31('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL')],
    }),
    deb('libc6', {
      id: 'CVE-2024-2961',
      severity: 'HIGH',
      title: 'glibc: out-of-bounds write in iconv ISO-2022-CN-EXT',
      aliases: ['DSA-5673-1'],
      references: ['https://sourceware.org/bugzilla/show_bug.cgi?id=31657'],
      status: 'fixed',
      fixed: ['2.36-9+deb12u7'],
      advisories: ['DEBIAN-CVE-2024-2961'],
      cvss: [V31('AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:H', 7.3, 'HIGH')],
    }),
    deb('libc6', {
      id: 'CVE-2023-4806',
      severity: 'LOW',
      title: 'glibc: potential use-after-free in getaddrinfo()',
      status: 'will_not_fix',
      distroStatus: 'no-dsa',
      advisories: ['DEBIAN-CVE-2023-4806'],
      cvss: [V31('AV:L/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 5.9, 'MEDIUM')],
      severitySource: 'debian-urgency',
    }),
    deb('libssl3', pkcs12),
    deb('openssl', pkcs12),
    deb('perl-base', {
      id: 'CVE-2011-4116',
      severity: 'UNKNOWN',
      title: 'perl: File::Temp insecure temporary file handling',
      status: 'affected',
      advisories: ['DEBIAN-CVE-2011-4116'],
    }),
    deb('login', {
      id: 'CVE-2023-4641',
      severity: 'MEDIUM',
      title: 'shadow-utils: possible password leak during passwd(1) change',
      status: 'fix_deferred',
      distroStatus: 'postponed',
      advisories: ['DEBIAN-CVE-2023-4641'],
      cvss: [V31('AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:N/A:N', 4.7, 'MEDIUM')],
      suppressed: { kind: 'ignorefile', source: '.bulwarkignore.yaml', reason: 'no interactive users in this image' },
    }),
    deb('zlib1g', {
      id: 'CVE-2023-45853',
      severity: 'CRITICAL',
      title: 'zlib: integer overflow and heap-based buffer overflow in zipOpenNewFileInZip4_6',
      status: 'will_not_fix',
      distroStatus: 'unimportant',
      advisories: ['DEBIAN-CVE-2023-45853'],
      cvss: [V31('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL')],
      suppressed: { kind: 'vex', source: 'vex/debian.openvex.json', status: 'vulnerable_code_not_present', reason: 'minizip is not built into the zlib1g package' },
    }),
    npm('braces', {
      id: 'CVE-2024-4068',
      severity: 'HIGH',
      title: 'Uncontrolled resource consumption in braces',
      aliases: ['GHSA-grv7-fg5c-xmjg'],
      references: ['https://github.com/advisories/GHSA-grv7-fg5c-xmjg', 'https://nvd.nist.gov/vuln/detail/CVE-2024-4068'],
      status: 'fixed',
      fixed: ['3.0.3'],
      advisories: ['GHSA-grv7-fg5c-xmjg'],
      cvss: [
        { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', score: 8.7, severity: 'HIGH' },
        V31('AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'HIGH'),
      ],
      severitySource: 'cvss:4.0',
    }),
    npm('lodash', {
      id: 'CVE-2021-23337',
      severity: 'HIGH',
      title: 'Command Injection in lodash',
      aliases: ['GHSA-35jh-r3h4-6jhm'],
      references: ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm'],
      status: 'possibly_affected',
      fixed: ['4.17.21'],
      advisories: ['GHSA-35jh-r3h4-6jhm'],
      cvss: [V31('AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2, 'HIGH')],
    }),
  ];
  return {
    ...base,
    packages: [...packages].reverse(),
    scanners: ['vuln'],
    // Deliberately unsorted, as the package list: reporters must sort.
    findings: [...findings].reverse(),
    vulnerabilityDb: {
      schemaVersion: 1,
      updatedAt: '2024-04-29T06:00:00.000Z',
      stale: false,
      sources: [
        { ecosystem: 'npm', records: 15873, fetchedAt: '2024-04-29T06:00:00.000Z', origin: 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip' },
        { ecosystem: 'Debian', records: 51234, fetchedAt: '2024-04-28T18:30:00.000Z', origin: 'https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip' },
      ],
    },
  };
}

export const allResults = (): [string, ImageScanResult][] => [
  ['debian', debianResult()],
  ['rocky', rockyResult()],
  ['alpine', alpineResult()],
  ['debian with vulnerabilities', debianVulnResult()],
];
