import { posix } from 'node:path';
import type { Notice, Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import { layerRef } from '../layer-attribution.js';
import { DETECTOR_ID } from './binary.js';
import { parseGoMod, resolveRequires } from './gomod.js';
import { parseGoSum } from './gosum.js';
import { goPackage } from './packages.js';

/** go.mod / go.sum of a project tree; module caches, vendored copies and test data are not projects. */
export function wantsModuleFile(relativePath: string): boolean {
  const base = posix.basename(relativePath);
  if (base !== 'go.mod' && base !== 'go.sum') return false;
  return !/(^|\/)(vendor|testdata)\//.test(relativePath) && !relativePath.includes('pkg/mod/');
}

function layerOf(fs: FileSystemView, path: string) {
  const layer = fs.stat(path)?.layer;
  return layer === undefined ? undefined : layerRef(fs, layer);
}

/**
 * Requirements of a go.mod (replace directives applied) as lockfile evidence. The module itself is
 * the project, not a dependency, and the `go` line is a minimum, not the toolchain used: neither is
 * reported. go.mod says nothing about dev or test use, so no scope; `// indirect` has no field in
 * Package and is not reported.
 */
export function goModPackages(fs: FileSystemView, path: string, content: Buffer): { packages: Package[]; notices: Notice[] } {
  const mod = parseGoMod(content.toString('utf8'));
  const notices: Notice[] = [];
  if (!mod.module) notices.push({ level: 'warning', detector: DETECTOR_ID, message: `${path}: no module directive; not a go.mod file?` });
  const { deps, local } = resolveRequires(mod);
  for (const req of local) {
    notices.push({ level: 'info', detector: DETECTOR_ID, message: `${path}: ${req.path}@${req.version} is replaced by a local directory; skipped` });
  }
  const layer = layerOf(fs, path);
  const packages = deps.map((dep) => goPackage({ path: dep.path, version: dep.version, location: path, evidence: 'lockfile', layer }));
  return { packages, notices };
}

/** Modules named by a go.sum whose directory has no go.mod. */
export function goSumPackages(fs: FileSystemView, path: string, content: Buffer): Package[] {
  const layer = layerOf(fs, path);
  return parseGoSum(content.toString('utf8')).map((e) => goPackage({ path: e.path, version: e.version, location: path, evidence: 'lockfile', layer }));
}
