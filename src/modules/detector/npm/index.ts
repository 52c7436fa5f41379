import type { DetectorModule } from '../types.js';
import { installedPackages } from './installed.js';
import { lockfilePackages } from './lockfiles.js';
import { wantsNpm } from './paths.js';

const ID = 'npm';

/**
 * npm packages: installed ones from every node_modules package.json (and Debian's /usr/share/nodejs),
 * scoped by npm's hidden lockfile; in scanned directories also package-lock.json, npm-shrinkwrap.json,
 * yarn.lock (classic and berry) and pnpm-lock.yaml.
 */
export const npmDetector: DetectorModule = {
  id: ID,
  version: 1,
  kind: 'language',
  wants: wantsNpm,
  detect({ fs, target }) {
    const installed = installedPackages(fs, ID);
    if (target !== 'directory') return installed;
    const locked = lockfilePackages(fs, installed.packages, ID);
    return { packages: [...installed.packages, ...locked.packages], notices: [...installed.notices, ...locked.notices] };
  },
};
