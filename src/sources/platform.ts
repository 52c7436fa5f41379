import { BulwarkError } from '../core/errors.js';
import type { Descriptor } from './oci-schema.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** Parses "os/arch[/variant]" as docker and trivy accept it. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, ...rest] = text.split('/');
  if (!os || !architecture || rest.length) {
    throw new BulwarkError('E_USAGE', `--platform "${text}": expected os/arch[/variant], e.g. linux/amd64`);
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os ?? '?', p.architecture ?? '?', p.variant].filter(Boolean).join('/');
}

/** The index entry for a platform; arm64's variant "v8" is implied when absent, as containerd treats it. */
export function selectPlatform(manifests: Descriptor[], wanted: Platform, where: string): Descriptor {
  const normalizeVariant = (arch: string, variant?: string) => (arch === 'arm64' && !variant ? 'v8' : variant);
  const candidates = manifests.filter(
    (m) => m.platform && m.platform.os === wanted.os && m.platform.architecture === wanted.architecture,
  );
  const exact = candidates.find(
    (m) =>
      !wanted.variant ||
      normalizeVariant(m.platform!.architecture, m.platform!.variant) === normalizeVariant(wanted.architecture, wanted.variant),
  );
  if (exact) return exact;
  const available = manifests.filter((m) => m.platform).map((m) => formatPlatform(m.platform!));
  throw new BulwarkError(
    'E_NOT_FOUND',
    `${where}: no image for platform ${formatPlatform(wanted)} (available: ${available.join(', ') || 'none'})`,
  );
}
