import { PackageURL } from 'packageurl-js';
import type { Package } from '../../../core/package.js';
import { manifestDetector } from '../manifest-files.js';
import { parseGemfileLock } from './gemfile-lock.js';
import { parseGemspec } from './gemspec.js';

/** Installed specs in any gem home (RubyGems, Debian's rubygems-integration, Ruby's default gems). */
const GEMSPEC = /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/;
const LOCKFILE = /(^|\/)Gemfile\.lock$/;

type Gem = { name: string; version: string; platform?: string; licenses?: string[] };

function gemPackage(gem: Gem, location: string, evidence: Package['evidence']): Package {
  const qualifiers = gem.platform ? { platform: gem.platform } : undefined;
  return {
    type: 'gem',
    name: gem.name,
    version: gem.version,
    licenses: gem.licenses ?? [],
    purl: new PackageURL('gem', undefined, gem.name, gem.version, qualifiers, undefined).toString(),
    location,
    evidence,
  };
}

export const rubyDetector = manifestDetector<Gem>({
  id: 'ruby',
  installed: { path: GEMSPEC, parse: parseGemspec },
  lockfile: { path: LOCKFILE, parse: parseGemfileLock },
  toPackage: gemPackage,
});
