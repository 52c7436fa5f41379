import type { Notice, Package } from '../../../core/package.js';
import type { DetectorModule } from '../types.js';
import { archivePackages } from './archive-packages.js';
import { ARCHIVE_NAME } from './limits.js';
import { archiveInspector } from './inspector.js';
import { manifestPackages } from './manifest-packages.js';

const POM_XML = /(?:^|\/)pom\.xml$/;
const LOCKFILE = /\.lockfile$/;

/**
 * Maven artifacts. In images and directories: Java archives (jar, war, ear, par, jpi, hpi) read as
 * they stream, with the archives nested in them; location is the archive path, plus "!/inner/path"
 * for each nested level. In directories also pom.xml and Gradle lockfiles.
 */
export const javaDetector: DetectorModule = {
  id: 'java',
  version: 1,
  kind: 'language',
  wants: (path) => POM_XML.test(path) || LOCKFILE.test(path),
  inspect: (path) => (ARCHIVE_NAME.test(path) ? archiveInspector() : undefined),
  detect(ctx) {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    archivePackages(ctx, packages, notices);
    if (ctx.target === 'directory') manifestPackages(ctx.fs, packages, notices);
    return { packages, notices };
  },
};
