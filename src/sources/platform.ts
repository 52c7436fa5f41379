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

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };
/** containerd's defaults: an arm64 entry without a variant is v8. */
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8' };

function arch(name: string): string {
  const lower = name.toLowerCase();
  return ARCH_ALIASES[lower] ?? lower;
}

function variantOf(architecture: string, variant: string | undefined): string {
  return (variant ?? DEFAULT_VARIANT[architecture] ?? '').toLowerCase();
}

export function formatPlatform(p: { os: string; architecture: string; variant?: string }): string {
  return [p.os, p.architecture, p.variant].filter((x) => x !== undefined && x !== '').join('/');
}

/** Picks the manifest for the wanted platform; attestation entries (unknown/unknown) never match. */
export function selectPlatform(manifests: Descriptor[], wanted: Platform, label: string): Descriptor {
  const wantArch = arch(wanted.architecture);
  const sameOsArch = manifests.filter(
    (m) => m.platform && m.platform.os.toLowerCase() === wanted.os.toLowerCase() && arch(m.platform.architecture) === wantArch,
  );
  const pick = wanted.variant
    ? sameOsArch.find((m) => variantOf(wantArch, m.platform?.variant) === variantOf(wantArch, wanted.variant))
    : (sameOsArch.find((m) => !m.platform?.variant || m.platform.variant === DEFAULT_VARIANT[wantArch]) ?? sameOsArch[0]);
  if (pick) return pick;
  const available = manifests.flatMap((m) => (m.platform && m.platform.os !== 'unknown' ? [formatPlatform(m.platform)] : []));
  const list = available.length > 0 ? [...new Set(available)].join(', ') : 'none declared';
  throw new BulwarkError('E_NOT_FOUND', `${label}: no image for platform ${formatPlatform(wanted)} (available: ${list})`);
}
