import type { Notice, Package } from '../../core/package.js';
import type { DetectContext, DetectorModule, DetectorResult } from './types.js';

/** A parser answers the entries it found, or one line saying what is wrong with the file. */
export type Parse<E> = (text: string) => E[] | E | string;

export interface ManifestKind<E> {
  /** Relative path pattern, as `wants()` sees paths. */
  path: RegExp;
  parse: Parse<E>;
}

/**
 * A language detector built from text manifests: installed metadata read everywhere, lockfiles read
 * only in directories (in images, what is installed wins, as trivy and syft treat them). Unparseable
 * files become warnings naming the file; the layer is filled in by the scan from `location`.
 */
export function manifestDetector<E>(spec: {
  id: string;
  installed: ManifestKind<E>;
  lockfile: ManifestKind<E>;
  toPackage: (entry: E, location: string, evidence: 'installed' | 'lockfile') => Package;
}): DetectorModule {
  const { id, installed, lockfile } = spec;
  return {
    id,
    version: 1,
    kind: 'language',
    wants: (path) => installed.path.test(path) || lockfile.path.test(path),
    detect({ fs, target }: DetectContext): DetectorResult {
      const packages: Package[] = [];
      const notices: Notice[] = [];
      for (const path of fs.capturedPaths()) {
        const rel = path.slice(1);
        const evidence = installed.path.test(rel) ? 'installed' : target === 'directory' && lockfile.path.test(rel) ? 'lockfile' : undefined;
        if (!evidence) continue;
        const parsed = (evidence === 'installed' ? installed : lockfile).parse(fs.read(path)!.toString('utf8'));
        if (typeof parsed === 'string') notices.push({ level: 'warning', detector: id, message: `${path}: ${parsed}` });
        else packages.push(...(Array.isArray(parsed) ? parsed : [parsed]).map((entry) => spec.toPackage(entry, path, evidence)));
      }
      return { packages, notices };
    },
  };
}
