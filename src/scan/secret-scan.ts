import type { Finding } from '../core/finding.js';
import type { LayerRef, Notice } from '../core/package.js';
import { historyForLayers, type ImageConfig } from '../image/config.js';
import type { NamedInspector } from '../image/content-sink.js';
import type { FileSystemView } from '../image/types.js';
import { layerRef } from '../modules/detector/layer-attribution.js';
import type { Inspection, Inspector } from '../modules/detector/types.js';
import {
  DEFAULT_MAX_SECRET_FILE_SIZE, scanSecretsInStrings, scanSecretsInText, type SecretScanOptions, type SecretSkipReason,
  type SecretStringEntry,
} from '../modules/secrets/index.js';
import { readText } from './secrets/read-text.js';

export const SECRET_INSPECTOR_ID = 'secret';

/** 10485760 -> "10 MiB"; other sizes in bytes. */
function sizeText(bytes: number): string {
  return bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** What the secret inspector learnt of one file version: its findings (never empty), or why it was not read. */
export type SecretInspection = Finding[] | { skipped: SecretSkipReason; size: number };

/**
 * The secret scanner as a layer-walk inspector: every non-empty regular file of every layer streams
 * through it once. A file is held in memory only while it is scanned and only up to the size limit;
 * binary files are recognised from their first 8 KiB and never decoded.
 */
export function secretInspectors(
  options: SecretScanOptions & { target: string },
): (relativePath: string, info: { size: number; mode: number }) => NamedInspector[] {
  const { target, ...scanOptions } = options;
  const limit = options.maxFileSize ?? DEFAULT_MAX_SECRET_FILE_SIZE;
  const skip = (path: string, reason: SecretSkipReason, size: number): SecretInspection => {
    options.onSkip?.({ target, path, reason, size });
    return { skipped: reason, size };
  };
  const tooLarge: Inspector = async (_stream, info) => skip(info.path, 'too-large', info.size);
  const scan: Inspector = async (stream, info) => {
    const read = await readText(stream, info.size, limit);
    if ('skipped' in read) return skip(info.path, read.skipped, info.size);
    const findings = scanSecretsInText(read.text, { target, path: info.path }, { ...scanOptions, maxFileSize: limit });
    // Clean files leave nothing behind: an image has many more of them than of secrets.
    return findings.length > 0 ? findings : undefined;
  };
  const tooLargeInspectors = [{ id: SECRET_INSPECTOR_ID, run: tooLarge }];
  const scanInspectors = [{ id: SECRET_INSPECTOR_ID, run: scan }];
  return (_relativePath, info) => (info.size === 0 ? [] : info.size > limit ? tooLargeInspectors : scanInspectors);
}

/** The parts of a walked view the collector reads (a LayeredView has them all). */
export type SecretView = FileSystemView & { allInspections(id: string): Inspection[] };

/**
 * The secret findings of a walked image or directory: every inspected file version (a secret a later
 * layer deleted or overwrote is still in that layer's blob, so it is reported with a note), one
 * finding per fingerprint at its earliest layer; then the image config's ENV, LABELs and history.
 */
export function collectSecretFindings(
  view: SecretView,
  config: ImageConfig | undefined,
  target: string,
  options: SecretScanOptions = {},
  /** The layers whose command holds a secret, when the caller already knows them (layersWithSecretCommands). */
  secretCommandLayers?: ReadonlySet<number>,
): { findings: Finding[]; notices: Notice[] } {
  const layered = view.layers.some((l) => l.diffId !== '');
  const tainted = secretCommandLayers ?? (config ? layersWithSecretCommands(config, options) : new Set<number>());
  const refOf = (index: number): LayerRef | undefined => {
    if (!layered || index >= view.layers.length) return undefined;
    const ref = layerRef(view, index);
    // The command that made the layer holds a secret: a finding must not carry it unmasked.
    if (tainted.has(index)) delete ref.createdBy;
    return ref;
  };
  const byFingerprint = new Map<string, { finding: Finding; present: boolean }>();
  let binary = 0;
  let tooLarge = 0;
  // Sorted by layer: the first version of a fingerprint seen is the earliest.
  for (const inspection of view.allInspections(SECRET_INSPECTOR_ID)) {
    const value = inspection.value as SecretInspection;
    if (!Array.isArray(value)) {
      if (value.skipped === 'binary') binary++;
      else tooLarge++;
      continue;
    }
    const present = stillPresent(view, inspection);
    for (const f of value) {
      const seen = byFingerprint.get(f.fingerprint);
      if (seen) {
        seen.present ||= present;
        continue;
      }
      const layer = refOf(inspection.layer);
      byFingerprint.set(f.fingerprint, { finding: { ...f, location: { ...f.location, ...(layer ? { layer } : {}) } }, present });
    }
  }
  const findings: Finding[] = [];
  for (const { finding, present } of byFingerprint.values()) {
    if (present) findings.push(finding);
    else {
      findings.push({
        ...finding,
        description: `${finding.description ?? finding.title} The file is removed or replaced in a later layer, but the secret is still in the blob of the layer that added it.`,
      });
    }
  }
  if (config) findings.push(...scanSecretsInStrings(configStrings(config, refOf), { target }, options));
  const notices: Notice[] = [];
  if (binary + tooLarge > 0) {
    const limit = options.maxFileSize ?? DEFAULT_MAX_SECRET_FILE_SIZE;
    notices.push({
      level: 'info',
      detector: SECRET_INSPECTOR_ID,
      message: `secret scan skipped ${binary} binary file${binary === 1 ? '' : 's'} and ${tooLarge} file${tooLarge === 1 ? '' : 's'} over ${sizeText(limit)} (--secret-max-file-size)`,
    });
  }
  return { findings: findings.sort(compareFindings), notices };
}

/**
 * The layers whose history `created_by` holds a secret (a `RUN` with a password on its command line):
 * anything that shows such a layer's command (layer lists, findings' layer references) must leave it
 * out or mask it. Indexes are layer indexes, as in historyForLayers.
 */
export function layersWithSecretCommands(config: ImageConfig, options: SecretScanOptions = {}): Set<number> {
  const out = new Set<number>();
  historyForLayers(config).forEach((h, index) => {
    if (h.createdBy && scanSecretsInStrings([{ source: 'history', value: h.createdBy }], { target: '' }, options).length > 0) out.add(index);
  });
  return out;
}

/** Whether the inspected version is the one the final view holds. */
function stillPresent(view: FileSystemView, inspection: Inspection): boolean {
  const info = view.stat(inspection.path);
  return info?.type === 'file' && info.layer === inspection.layer;
}

/** ENV, LABELs, and every history entry (indexed as in the config) with the layer it created, if any. */
function configStrings(config: ImageConfig, refOf: (index: number) => LayerRef | undefined): SecretStringEntry[] {
  const entries: SecretStringEntry[] = [];
  for (const value of config.config?.Env ?? []) entries.push({ source: 'env', value });
  for (const [key, value] of Object.entries(config.config?.Labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    entries.push({ source: 'label', key, value });
  }
  let layerIndex = 0;
  for (const h of config.history ?? []) {
    const layer = h.empty_layer ? undefined : refOf(layerIndex++);
    entries.push({ source: 'history', value: h.created_by ?? '', ...(layer ? { layer } : {}) });
  }
  return entries;
}

const compareStrings = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/** Files by path and line, then config entries by resource; the fingerprint breaks ties. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.path, b.location.path) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    compareStrings(a.location.resource, b.location.resource) ||
    compareStrings(a.id, b.id) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}
