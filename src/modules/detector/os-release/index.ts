import type { OsInfo } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import type { DetectorModule } from '../types.js';
import { parseOsRelease, parseRedhatRelease } from './parse.js';

export const OS_RELEASE_PATHS = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/alpine-release',
  'etc/debian_version',
  'etc/redhat-release',
  'etc/centos-release',
  'etc/fedora-release',
];

function text(fs: FileSystemView, path: string): string | undefined {
  return fs.read(path)?.toString('utf8');
}

function fromOsRelease(fs: FileSystemView): OsInfo | undefined {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const content = text(fs, path);
    if (!content) continue;
    const fields = parseOsRelease(content);
    if (!fields.ID) continue;
    const info: OsInfo = { family: fields.ID.toLowerCase(), source: path };
    const version = fields.VERSION_ID;
    if (version) info.version = version;
    const codename = fields.VERSION_CODENAME ?? fields.UBUNTU_CODENAME;
    if (codename) info.codename = codename;
    if (fields.PRETTY_NAME) info.prettyName = fields.PRETTY_NAME;
    return info;
  }
  return undefined;
}

/** Release files refine or replace os-release: alpine's full point release, Debian testing's "trixie/sid". */
function refine(fs: FileSystemView, info: OsInfo | undefined): OsInfo | undefined {
  const alpine = text(fs, '/etc/alpine-release')?.trim();
  if (alpine && (!info || info.family === 'alpine')) return { ...(info ?? { family: 'alpine', source: '/etc/alpine-release' }), version: alpine };
  const debian = text(fs, '/etc/debian_version')?.trim();
  if (debian && !info) return { family: 'debian', version: debian.split('.')[0] ?? debian, source: '/etc/debian_version' };
  if (debian && info?.family === 'debian' && !info.version) return { ...info, version: debian };
  if (!info) {
    for (const path of ['/etc/redhat-release', '/etc/centos-release', '/etc/fedora-release']) {
      const parsed = parseRedhatRelease(text(fs, path) ?? '');
      if (parsed) return { ...parsed, source: path } as OsInfo;
    }
  }
  return info;
}

export const osReleaseDetector: DetectorModule = {
  id: 'os-release',
  version: 1,
  kind: 'os',
  wants: (path) => OS_RELEASE_PATHS.includes(path),
  detect({ fs }) {
    const os = refine(fs, fromOsRelease(fs));
    return os ? { os } : {};
  },
};
