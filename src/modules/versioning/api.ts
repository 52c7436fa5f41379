import { BulwarkError } from '../../core/errors.js';
import { apkScheme } from './apk/index.js';
import { cargoScheme } from './cargo/index.js';
import { composerScheme } from './composer/index.js';
import { dpkgScheme } from './dpkg/index.js';
import { goScheme } from './go/index.js';
import { mavenScheme } from './maven/index.js';
import { npmScheme } from './npm/index.js';
import { nugetScheme } from './nuget/index.js';
import { pep440Scheme } from './pep440/index.js';
import { rpmScheme } from './rpm/index.js';
import { rubygemsScheme } from './rubygems/index.js';
import type { VersionScheme, VersionSchemeId } from './types.js';

/** Every version scheme, registered explicitly (no import side effects); keyed by id. */
const schemes: VersionScheme[] = [
  dpkgScheme,
  rpmScheme,
  apkScheme,
  npmScheme,
  pep440Scheme,
  goScheme,
  mavenScheme,
  rubygemsScheme,
  composerScheme,
  nugetScheme,
  cargoScheme,
];

export const versionSchemes: ReadonlyMap<VersionSchemeId, VersionScheme> = new Map(schemes.map((s) => [s.id, s]));

export function getVersionScheme(id: VersionSchemeId): VersionScheme {
  const scheme = versionSchemes.get(id);
  if (!scheme) throw new BulwarkError('E_UNSUPPORTED', `no version scheme is registered for "${id}"`);
  return scheme;
}
