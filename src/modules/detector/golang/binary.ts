import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import type { Inspection } from '../types.js';
import type { GoInspection } from './inspect.js';
import type { GoModule } from './modinfo.js';
import { goPackage, stdlibVersion } from './packages.js';

export const DETECTOR_ID = 'golang';

/** A replacement by a local directory has no module version ("" or "(devel)"). */
function isLocal(mod: GoModule): boolean {
  return mod.version === '' || mod.version === '(devel)' || /^(\.{1,2}\/|\/)/.test(mod.path);
}

/**
 * Packages of one Go binary: the main module (version as Go records it, usually "(devel)"), every
 * dependency with its replacement applied, and the toolchain's standard library as "stdlib".
 * Everything in a binary was linked in, so its scope is prod; its one file is the binary.
 */
export function binaryPackages(fs: FileSystemView, inspection: Inspection): { packages: Package[]; notices: Notice[] } {
  const value = inspection.value as GoInspection | undefined;
  const location = inspection.path;
  if (!value) return { packages: [], notices: [] };
  if (value.kind !== 'buildinfo') {
    const level = value.kind === 'truncated' ? 'warning' : 'info';
    return { packages: [], notices: [{ level, detector: DETECTOR_ID, message: `${location}: ${value.reason}` }] };
  }
  const { info } = value;
  const common = { location, evidence: 'binary' as const, layer: layerRef(fs, inspection.layer), files: [location], scope: 'prod' as const };
  const packages: Package[] = [];
  const notes: string[] = [];
  if (info.main?.path) packages.push(goPackage({ ...common, path: info.main.path, version: info.main.version }));
  for (const dep of info.deps) {
    const replace = dep.replace;
    if (replace && isLocal(replace)) {
      notes.push(`${dep.path}@${dep.version} => local ${replace.path} (skipped)`);
      continue;
    }
    const mod = replace ?? dep;
    if (replace) notes.push(`${dep.path}@${dep.version} => ${replace.path}@${replace.version}`);
    packages.push(goPackage({ ...common, path: mod.path, version: mod.version }));
  }
  const stdlib = stdlibVersion(info.goVersion);
  if (stdlib) packages.push(goPackage({ ...common, path: 'stdlib', version: stdlib }));
  const notices: Notice[] = [];
  if (notes.length) {
    notices.push({ level: 'info', detector: DETECTOR_ID, message: `${location}: replaced modules reported as their replacements: ${notes.join(', ')}` });
  }
  return { packages, notices };
}
