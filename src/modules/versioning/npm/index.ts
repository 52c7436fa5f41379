/**
 * npm versions: SemVer 2.0.0 exactly as the `semver` package parses them with loose=false (what npm
 * itself uses; OSV's npm records hold plain semver). Build metadata is ignored in ordering.
 */
import semver from 'semver';
import { defineScheme, parsed, rejected } from '../define.js';

export const npmScheme = defineScheme<semver.SemVer>({
  id: 'npm',
  displayName: 'npm (SemVer)',
  urls: ['https://semver.org/spec/v2.0.0.html', 'https://github.com/npm/node-semver'],
  parse: (version) => {
    const v = semver.parse(version, { loose: false });
    return v ? parsed(v) : rejected('not a SemVer 2.0.0 version');
  },
  compareParsed: (a, b) => a.compare(b),
});
