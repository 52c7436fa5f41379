import { PackageURL } from 'packageurl-js';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import type { DetectorModule } from '../types.js';
import type { RustBinaryCrate } from './auditable.js';
import { parseCargoLock } from './cargo-lock.js';
import { inspectRustBinary, wantsBinary } from './inspector.js';

const ID = 'rust';
const LOCKFILE = /(^|\/)Cargo\.lock$/;

function cratePackage(fs: FileSystemView, location: string, layer: number | undefined, crate: { name: string; version: string }, evidence: Package['evidence']): Package {
  const pkg: Package = {
    type: 'cargo',
    name: crate.name,
    version: crate.version,
    licenses: [],
    purl: new PackageURL('cargo', undefined, crate.name, crate.version, undefined, undefined).toString(),
    location,
    evidence,
  };
  if (layer !== undefined) pkg.layer = layerRef(fs, layer);
  return pkg;
}

export const rustDetector: DetectorModule = {
  id: ID,
  version: 1,
  kind: 'language',
  wants: (path) => LOCKFILE.test(path),
  inspect: (_path, info) => (wantsBinary(info) ? inspectRustBinary : undefined),
  detect({ fs, target, inspections }) {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    for (const { path, layer, value } of inspections) {
      for (const crate of value as RustBinaryCrate[]) {
        const pkg = cratePackage(fs, path, layer, crate, 'binary');
        // Build dependencies (build scripts, proc macros) run while compiling; their code is not in the binary.
        if (crate.build) pkg.scope = 'dev';
        packages.push(pkg);
      }
    }
    if (target === 'directory') {
      for (const path of fs.capturedPaths()) {
        if (!LOCKFILE.test(path.slice(1))) continue;
        const crates = parseCargoLock(fs.read(path)!.toString('utf8'));
        if (typeof crates === 'string') notices.push({ level: 'warning', detector: ID, message: `${path}: ${crates}` });
        else packages.push(...crates.map((crate) => cratePackage(fs, path, fs.stat(path)?.layer, crate, 'lockfile')));
      }
    }
    return { packages, notices };
  },
};
