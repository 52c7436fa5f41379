import { PackageURL } from 'packageurl-js';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import type { DetectorModule } from '../types.js';
import { parseGemfileLock } from './gemfile-lock.js';
import { parseGemspec } from './gemspec.js';

const ID = 'ruby';
/** Installed specs in any gem home (RubyGems, Debian's rubygems-integration, Ruby's default gems). */
const GEMSPEC = /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/;
const LOCKFILE = /(^|\/)Gemfile\.lock$/;

function gemPackage(fs: FileSystemView, location: string, gem: { name: string; version: string; platform?: string; licenses?: string[] }, evidence: Package['evidence']): Package {
  const qualifiers = gem.platform ? { platform: gem.platform } : undefined;
  const pkg: Package = {
    type: 'gem',
    name: gem.name,
    version: gem.version,
    licenses: gem.licenses ?? [],
    purl: new PackageURL('gem', undefined, gem.name, gem.version, qualifiers, undefined).toString(),
    location,
    evidence,
  };
  const layer = fs.stat(location)?.layer;
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

export const rubyDetector: DetectorModule = {
  id: ID,
  version: 1,
  kind: 'language',
  wants: (path) => GEMSPEC.test(path) || LOCKFILE.test(path),
  detect({ fs, target }) {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    const warn = (path: string, what: string) => notices.push({ level: 'warning', detector: ID, message: `${path}: ${what}` });
    for (const path of fs.capturedPaths()) {
      const rel = path.slice(1);
      if (GEMSPEC.test(rel)) {
        const spec = parseGemspec(fs.read(path)!.toString('utf8'));
        if (typeof spec === 'string') warn(path, spec);
        else packages.push(gemPackage(fs, path, spec, 'installed'));
      } else if (target === 'directory' && LOCKFILE.test(rel)) {
        const gems = parseGemfileLock(fs.read(path)!.toString('utf8'));
        if (typeof gems === 'string') warn(path, gems);
        else packages.push(...gems.map((gem) => gemPackage(fs, path, gem, 'lockfile')));
      }
    }
    return { packages, notices };
  },
};
