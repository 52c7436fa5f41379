import type { Readable } from 'node:stream';
import { BulwarkError } from '../core/errors.js';
import type { Notice } from '../core/package.js';
import type { Inspection, Inspector } from '../modules/detector/types.js';
import { fanOut } from './fan-out.js';
import type { SizeLimits } from './limits.js';
import type { CaptureStore, InspectionStore } from './view.js';

/** A module's reader for one file's stream, named so its results and failures can be told apart. */
export interface NamedInspector {
  id: string;
  run: Inspector;
}

/** What modules want of file contents; shared by image layers and directories. */
export interface ContentOptions {
  /** True for the relative paths ("var/lib/dpkg/status") whose content some module needs. */
  wants: (relativePath: string) => boolean;
  /** Modules that read a file as it streams (binaries, archives). */
  inspectors?: (relativePath: string, info: { size: number; mode: number }) => NamedInspector[];
  limits?: SizeLimits;
}

/** Where file contents and what was learnt from them are collected while files stream past. */
export interface ContentSink {
  captures: CaptureStore;
  inspections: InspectionStore;
  notices: Notice[];
  limits: SizeLimits;
  options: ContentOptions;
}

/** What to do with one regular file's content: keep it whole, and/or hand it to inspectors. */
export interface ContentPlan {
  absolute: string;
  layer: number;
  info: { size: number; mode: number };
  capture: boolean;
  inspectors: NamedInspector[];
}

export function planContent(sink: ContentSink, relative: string, layer: number, info: { size: number; mode: number }): ContentPlan | undefined {
  const inspectors = sink.options.inspectors?.(relative, info) ?? [];
  const capture = sink.options.wants(relative);
  if (!capture && inspectors.length === 0) return undefined;
  return { absolute: `/${relative}`, layer, info, capture, inspectors };
}

/**
 * Streams one file's content to its capture and inspectors, always to the end. An inspector's
 * failure is a warning naming the file; a captured file over the size limit is an error.
 */
export async function consumeContent(body: Readable, plan: ContentPlan, label: string, sink: ContentSink): Promise<void> {
  const { absolute, layer, inspectors, info } = plan;
  const consumers: Array<(stream: Readable) => Promise<unknown>> = inspectors.map(
    (inspector) => (stream: Readable) => inspector.run(stream, { path: absolute, ...info }),
  );
  if (plan.capture) {
    consumers.push((stream) =>
      collect(stream, sink.limits.maxCapturedFileBytes, label, absolute).then((content) => saveVersion(sink.captures, absolute, layer, content)),
    );
  }
  const outcomes = await fanOut(body, consumers);
  inspectors.forEach((inspector, i) => {
    const outcome = outcomes[i]!;
    if (outcome.status === 'fulfilled') {
      if (outcome.value !== undefined) recordInspection(sink.inspections, inspector.id, { path: absolute, layer, value: outcome.value });
      return;
    }
    const reason = outcome.reason as Error | undefined;
    const message = `${absolute}: ${reason?.message ?? String(reason)}`.split('\n')[0]!;
    sink.notices.push({ level: 'warning', detector: inspector.id, message });
  });
  const captured = plan.capture ? outcomes[outcomes.length - 1] : undefined;
  if (captured?.status === 'rejected') throw captured.reason;
}

export function saveVersion(captures: CaptureStore, path: string, layer: number, content: Buffer | null): void {
  const versions = captures.get(path) ?? [];
  const last = versions[versions.length - 1];
  if (last?.layer === layer) last.content = content;
  else versions.push({ layer, content });
  captures.set(path, versions);
}

function recordInspection(store: InspectionStore, id: string, inspection: Inspection): void {
  const list = store.get(id) ?? [];
  list.push(inspection);
  store.set(id, list);
}

async function collect(body: Readable, limit: number, label: string, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new BulwarkError('E_LIMIT', `${label}: ${name} is larger than ${limit} bytes (raise with --max-file-size)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
