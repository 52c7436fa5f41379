import { parseStanzas } from '../control-file.js';

export interface DpkgEntry {
  name: string;
  version: string;
  arch?: string;
  sourceName: string;
  sourceVersion: string;
  maintainer?: string;
  multiArch?: string;
}

/** "Source: name (version)" or "Source: name"; absent means the binary package is its own source. */
function parseSource(field: string | undefined, name: string, version: string): { sourceName: string; sourceVersion: string } {
  if (!field) return { sourceName: name, sourceVersion: version };
  const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(field.trim());
  return { sourceName: m?.[1] ?? name, sourceVersion: m?.[2]?.trim() ?? version };
}

/**
 * Installed packages of a dpkg status file (or one distroless status.d file). Only "installed" counts:
 * packages removed but not purged ("config-files") are not in the image any more.
 */
export function parseDpkgStatus(text: string): DpkgEntry[] {
  const entries: DpkgEntry[] = [];
  for (const stanza of parseStanzas(text)) {
    const name = stanza.get('Package');
    const version = stanza.get('Version');
    if (!name || !version) continue;
    const status = stanza.get('Status');
    if (status !== undefined && status.split(/\s+/)[2] !== 'installed') continue;
    const entry: DpkgEntry = { name, version, ...parseSource(stanza.get('Source'), name, version) };
    const arch = stanza.get('Architecture');
    if (arch) entry.arch = arch;
    const maintainer = stanza.get('Maintainer');
    if (maintainer) entry.maintainer = maintainer;
    const multiArch = stanza.get('Multi-Arch');
    if (multiArch) entry.multiArch = multiArch;
    entries.push(entry);
  }
  return entries;
}

export function dpkgKey(e: { name: string; version: string; arch?: string }): string {
  return `${e.name}:${e.arch ?? ''}@${e.version}`;
}
