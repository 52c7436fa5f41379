import type { RpmdbFormat } from './blob.js';

const DB_DIRS = ['var/lib/rpm', 'usr/lib/sysimage/rpm'] as const;

/** File name of each format, in the order rpm itself prefers them when several exist. */
const DB_FILES: ReadonlyArray<{ file: string; format: RpmdbFormat }> = [
  { file: 'rpmdb.sqlite', format: 'sqlite' },
  { file: 'Packages.db', format: 'ndb' },
  { file: 'Packages', format: 'bdb' },
];

const WANTED = new Set(DB_DIRS.flatMap((dir) => DB_FILES.map(({ file }) => `${dir}/${file}`)));

export function wantsRpmdb(relativePath: string): boolean {
  return WANTED.has(relativePath.replace(/^(?:\.\/|\/)+/, ''));
}

export interface RpmdbCandidate {
  /** Absolute path inside the image, e.g. /var/lib/rpm/rpmdb.sqlite. */
  path: string;
  format: RpmdbFormat;
}

/** Candidate databases per directory, preferred format first. */
export function rpmdbCandidates(): RpmdbCandidate[][] {
  return DB_DIRS.map((dir) => DB_FILES.map(({ file, format }) => ({ path: `/${dir}/${file}`, format })));
}
