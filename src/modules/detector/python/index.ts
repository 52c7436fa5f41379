import type { DetectorModule } from '../types.js';
import { DETECTOR_ID, installedPackages, wantsInstalled } from './installed.js';
import { lockfilePackages, wantsLockfile } from './lockfiles.js';

/**
 * Python distributions: installed ones (dist-info METADATA, egg-info PKG-INFO, single-file .egg-info)
 * in images and directories; poetry.lock, Pipfile.lock, uv.lock and pinned requirements*.txt in
 * directories only.
 */
export const pythonDetector: DetectorModule = {
  id: DETECTOR_ID,
  version: 1,
  kind: 'language',
  wants: (relativePath) => wantsInstalled(relativePath) || wantsLockfile(relativePath),
  detect({ fs, target }) {
    const installed = installedPackages(fs);
    if (target !== 'directory') return installed;
    const locked = lockfilePackages(fs);
    return { packages: [...installed.packages, ...locked.packages], notices: [...installed.notices, ...locked.notices] };
  },
};
