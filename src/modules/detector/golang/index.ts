import { posix } from 'node:path';
import type { Notice, Package } from '../../../core/package.js';
import type { DetectorModule } from '../types.js';
import { binaryPackages, DETECTOR_ID } from './binary.js';
import { inspectGoBinary } from './inspect.js';
import { goModPackages, goSumPackages, wantsModuleFile } from './source.js';

/**
 * Go modules. In images and directories: the build info of every Go executable (modules linked in,
 * plus the toolchain's stdlib). In directories only: go.mod requirements, or go.sum without go.mod.
 */
export const golangDetector: DetectorModule = {
  id: DETECTOR_ID,
  version: 1,
  kind: 'language',
  wants: wantsModuleFile,
  inspect: inspectGoBinary,
  detect(ctx) {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    for (const inspection of ctx.inspections) {
      const found = binaryPackages(ctx.fs, inspection);
      packages.push(...found.packages);
      notices.push(...found.notices);
    }
    if (ctx.target !== 'directory') return { packages, notices };
    const paths = ctx.fs.capturedPaths();
    const goMods = new Set(paths.filter((p) => posix.basename(p) === 'go.mod').map((p) => posix.dirname(p)));
    for (const path of paths) {
      const content = ctx.fs.read(path);
      if (!content) continue;
      const base = posix.basename(path);
      if (base === 'go.mod') {
        const found = goModPackages(ctx.fs, path, content);
        packages.push(...found.packages);
        notices.push(...found.notices);
      } else if (base === 'go.sum' && !goMods.has(posix.dirname(path))) {
        packages.push(...goSumPackages(ctx.fs, path, content));
      }
    }
    return { packages, notices };
  },
};
