import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BulwarkError } from '../../core/errors.js';
import { SEVERITIES, type Severity } from '../../core/finding.js';
import { parseReference } from '../../core/image-reference.js';
import type { ImageScanResult } from '../../core/scan-result.js';
import type { RegistryApi } from '../api/index.js';
import { Semaphore } from '../api/semaphore.js';
import type { LayerCache, LayerCacheStats } from './layer-cache.js';

export type ImageStatus = 'ok' | 'failed';

export interface ImageSummary {
  /** `host/repo:tag` as selected. */
  reference: string;
  /** Manifest (or index) digest the tag pointed at when the scan started; absent when it could not be resolved. */
  digest?: string;
  status: ImageStatus;
  /** Failure message (status failed). */
  error?: string;
  /** True when taken from the state file of an earlier run (same digest) instead of scanning again. */
  resumed?: boolean;
  packages?: number;
  /** Unsuppressed vulnerability findings by severity (all zero when the vuln scanner did not run). */
  vulnerabilities?: Record<Severity, number>;
  misconfigurations?: number;
  secrets?: number;
  /** The full ImageScanResult as JSON, when results are written (stateFile or resultsDir). */
  resultFile?: string;
  durationMs: number;
}

export type ScanProgress =
  | { kind: 'start'; reference: string; index: number; total: number }
  | { kind: 'done'; reference: string; index: number; total: number; summary: ImageSummary; finished: number };

export interface ScanOneContext {
  /** The digest resolved before the scan (what resume compares). */
  digest: string;
  layerCache?: LayerCache;
}

export interface ScanRegistryOptions {
  /** Images scanned at once; default 2. */
  concurrency?: number;
  /** Shared by every scanOne (pass it on as SourceOptions.layerCache); its counters end up in the result. */
  layerCache?: LayerCache;
  /** JSON state of finished images, rewritten atomically after each one; a rerun skips images whose digest is unchanged. */
  stateFile?: string;
  /** Where per-image results go; default `<stateFile>.results/` when stateFile is set, else results are not written. */
  resultsDir?: string;
  /** Scans one image with the real pipeline (openRegistryImage + scanImage, vulnerabilities, rules). */
  scanOne: (reference: string, context: ScanOneContext) => Promise<ImageScanResult>;
  /** Called with every fresh result (not for resumed images: read their resultFile). */
  onResult?: (reference: string, result: ImageScanResult) => void | Promise<void>;
  onProgress?: (event: ScanProgress) => void;
  /** Stops starting new images; images in progress finish (and are recorded). */
  signal?: AbortSignal;
}

export interface ScanRegistryResult {
  /** One summary per scanned or resumed image, in the order of `references` (images never started are absent). */
  images: ImageSummary[];
  ok: number;
  failed: number;
  resumed: number;
  /** True when the signal stopped the run before every image started. */
  interrupted: boolean;
  cache?: LayerCacheStats;
  durationMs: number;
}

export const STATE_VERSION = 1;

export interface ScanStateEntry {
  digest: string;
  summary: ImageSummary;
  resultFile?: string;
  finishedAt: string;
}

export interface ScanState {
  version: typeof STATE_VERSION;
  /** Finished (status ok) images by reference; failed ones are not recorded, so a rerun tries them again. */
  images: Record<string, ScanStateEntry>;
}

export async function readScanState(path: string): Promise<ScanState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: STATE_VERSION, images: {} };
    throw e;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('E_INPUT', `${path}: not a registry scan state file (${(e as Error).message}); delete it to start over`);
  }
  const state = doc as Partial<ScanState>;
  if (state?.version !== STATE_VERSION || typeof state.images !== 'object' || state.images === null) {
    throw new BulwarkError('E_INPUT', `${path}: not a registry scan state file of version ${STATE_VERSION}; delete it to start over`);
  }
  return state as ScanState;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

function safeName(reference: string, digest: string): string {
  const hex = digest.replace(/^[a-z0-9]+:/, '').slice(0, 12);
  return `${reference.replace(/[^A-Za-z0-9._-]+/g, '_')}@${hex}.json`;
}

export function summarize(reference: string, digest: string, result: ImageScanResult, durationMs: number): ImageSummary {
  const vulnerabilities = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let misconfigurations = 0;
  let secrets = 0;
  for (const f of result.findings) {
    if (f.suppressed) continue;
    if (f.kind === 'vulnerability') vulnerabilities[f.severity]++;
    else if (f.kind === 'misconfiguration') misconfigurations++;
    else if (f.kind === 'secret') secrets++;
  }
  return { reference, digest, status: 'ok', packages: result.packages.length, vulnerabilities, misconfigurations, secrets, durationMs };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Scans `references` (from selectImages) with bounded concurrency. Every image is resolved to its digest first;
 * with a state file, images finished by an earlier run with the same digest are not scanned again. One image
 * failing (resolution, pull, scan or writing its result) is recorded as failed and the others go on.
 */
export async function scanRegistry(
  api: Pick<RegistryApi, 'getManifest'>,
  references: readonly string[],
  options: ScanRegistryOptions,
): Promise<ScanRegistryResult> {
  const started = Date.now();
  const concurrency = options.concurrency ?? 2;
  const slots = new Semaphore(concurrency);
  const state = options.stateFile ? await readScanState(options.stateFile) : undefined;
  const resultsDir = options.resultsDir ?? (options.stateFile ? `${options.stateFile}.results` : undefined);
  if (resultsDir) await mkdir(resultsDir, { recursive: true });
  if (options.stateFile) await mkdir(dirname(options.stateFile), { recursive: true });

  // State writes are chained so that two images finishing together never interleave.
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (!state || !options.stateFile) return Promise.resolve();
    const path = options.stateFile;
    saving = saving.catch(() => undefined).then(() => writeAtomic(path, `${JSON.stringify(state, null, 2)}\n`));
    return saving;
  };

  const summaries: (ImageSummary | undefined)[] = new Array(references.length);
  // Tags that name the same digest are one image: it is scanned once and its report shared, under each tag's name.
  const byDigest = new Map<string, Promise<ImageScanResult>>();
  let finished = 0;
  let interrupted = false;

  async function one(reference: string, index: number): Promise<ImageSummary> {
    const t0 = Date.now();
    let digest: string | undefined;
    try {
      const ref = parseReference(reference);
      digest = (await api.getManifest(ref.repository, ref.digest ?? ref.tag ?? 'latest')).digest;
      const previous = state?.images[reference];
      if (previous && previous.digest === digest && (!previous.resultFile || (await exists(previous.resultFile)))) {
        return { ...previous.summary, resumed: true };
      }
      options.onProgress?.({ kind: 'start', reference, index, total: references.length });
      let pending = byDigest.get(digest);
      const first = pending === undefined;
      if (!pending) {
        pending = options.scanOne(reference, { digest, ...(options.layerCache ? { layerCache: options.layerCache } : {}) });
        byDigest.set(digest, pending);
      }
      const scanned = await pending;
      const result = first ? scanned : { ...scanned, artifact: { ...scanned.artifact, reference } };
      const summary = summarize(reference, digest, result, Date.now() - t0);
      if (resultsDir) {
        summary.resultFile = join(resultsDir, safeName(reference, digest));
        await writeAtomic(summary.resultFile, `${JSON.stringify(result, null, 2)}\n`);
      }
      await options.onResult?.(reference, result);
      if (state) {
        state.images[reference] = {
          digest,
          summary,
          ...(summary.resultFile ? { resultFile: summary.resultFile } : {}),
          finishedAt: new Date().toISOString(),
        };
        await save();
      }
      return summary;
    } catch (e) {
      return { reference, ...(digest ? { digest } : {}), status: 'failed', error: message(e), durationMs: Date.now() - t0 };
    }
  }

  await Promise.all(
    references.map((reference, index) =>
      slots.run(async () => {
        if (options.signal?.aborted) {
          interrupted = true;
          return;
        }
        const summary = await one(reference, index);
        summaries[index] = summary;
        finished++;
        options.onProgress?.({ kind: 'done', reference, index, total: references.length, summary, finished });
      }),
    ),
  );
  await saving;

  const images = summaries.filter((s): s is ImageSummary => s !== undefined);
  return {
    images,
    ok: images.filter((s) => s.status === 'ok').length,
    failed: images.filter((s) => s.status === 'failed').length,
    resumed: images.filter((s) => s.resumed).length,
    interrupted,
    ...(options.layerCache ? { cache: options.layerCache.stats } : {}),
    durationMs: Date.now() - started,
  };
}
