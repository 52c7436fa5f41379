import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import { onlyTest, parseGradleLockfile } from './gradle-lockfile.js';
import { parsePomXml } from './pom-xml.js';
import { mavenPackage } from './to-package.js';

const DETECTOR = 'java';

/** Directory scans only: pom.xml dependencies and Gradle lockfile entries. */
export function manifestPackages(fs: FileSystemView, packages: Package[], notices: Notice[]): void {
  for (const path of fs.capturedPaths()) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const isPom = base === 'pom.xml';
    if (!isPom && !base.endsWith('.lockfile')) continue;
    const content = fs.read(path);
    if (!content) continue;
    const layer = fs.stat(path)?.layer;
    const add = (pkg: Package): void => {
      if (layer !== undefined) pkg.layer = layerRef(fs, layer);
      packages.push(pkg);
    };
    try {
      if (isPom) {
        const { dependencies, skipped } = parsePomXml(content.toString('utf8'));
        for (const d of dependencies) add({ ...mavenPackage(d, path, 'lockfile'), scope: d.scope });
        if (skipped.length > 0) {
          notices.push({ level: 'info', detector: DETECTOR, message: `${path}: ${skipped.length} dependencies without a version this file determines (parent or BOM not resolved): ${skipped.join(', ')}` });
        }
      } else {
        for (const d of parseGradleLockfile(content.toString('utf8'), path)) {
          add({ ...mavenPackage(d, path, 'lockfile'), scope: onlyTest(d.configurations) ? 'dev' : 'prod' });
        }
      }
    } catch (error) {
      notices.push({ level: 'warning', detector: DETECTOR, message: `${path}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
