import Docker from 'dockerode';
import { BulwarkError } from '../core/errors.js';
import { engineConnection } from '../sources/engine/docker-engine.js';
import type { EngineFacts, ImageHistoryEntry } from './types.js';

/** Requests under way at once for the per-container and per-image calls. */
const CONCURRENCY = 8;

export interface EngineFactsOptions {
  dockerHost?: string;
  /** Bound on each request, stalls included. */
  timeoutMs: number;
  /** Keep only these containers (after the one list call, before any inspect); tests use it to see their own. */
  containerFilter?: (container: Docker.ContainerInfo) => boolean;
  /** Keep only these images (after the list call, before the inspect and history calls). */
  imageFilter?: (image: Docker.ImageInfo) => boolean;
  /** Fetch inspect and history of every image, for CIS 4.6/4.7/4.9 (default true): two calls per image. */
  imageDetails?: boolean;
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTDIR', 'EHOSTUNREACH', 'ECONNRESET']);

/**
 * Everything the host audit needs from the Engine API, in a fixed and counted set of requests:
 * ping, info, version, image list, container list (all), then one inspect per running container and,
 * for the image checks, one inspect and one history per image (CONCURRENCY at a time).
 * Undefined when no daemon answers at the address; any other failure is a one-line BulwarkError.
 */
export async function fetchEngineFacts(options: EngineFactsOptions): Promise<EngineFacts | undefined> {
  const connection = { ...engineConnection(options.dockerHost), timeout: options.timeoutMs };
  const address = connection.socketPath ?? `${connection.protocol}://${connection.host}:${connection.port}`;
  const docker = new Docker(connection);
  let calls = 0;
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    calls++;
    try {
      return await request();
    } catch (e) {
      throw engineFailure(e, address, what);
    }
  };

  try {
    await call('ping', () => docker.ping());
  } catch (e) {
    if (e instanceof Unreachable) return undefined;
    throw e;
  }
  try {
    const [info, version, allImages, allContainers] = await Promise.all([
      call('info', () => docker.info() as Promise<Record<string, any>>),
      call('version', () => docker.version() as unknown as Promise<Record<string, any>>),
      call('image list', () => docker.listImages({ all: false })),
      call('container list', () => docker.listContainers({ all: true })),
    ]);
    const containers = options.containerFilter ? allContainers.filter(options.containerFilter) : allContainers;
    const images = options.imageFilter ? allImages.filter(options.imageFilter) : allImages;
    const running = containers.filter((c) => c.State === 'running');
    const inspected = await mapLimit(running, CONCURRENCY, (c) =>
      call(`inspect container ${shortId(c.Id)}`, () => docker.getContainer(c.Id).inspect()).catch(goneIs404),
    );
    const inspects = inspected.filter((i): i is Docker.ContainerInspectInfo => i !== undefined && i.State.Running);
    const facts: EngineFacts = { address, info, version, images, containers, inspects, calls: 0 };
    if (options.imageDetails !== false) {
      const details = await mapLimit(images, CONCURRENCY, async (img) => {
        const image = docker.getImage(img.Id);
        const [inspect, history] = await Promise.all([
          call(`inspect image ${shortId(img.Id)}`, () => image.inspect()).catch(goneIs404),
          call(`history of image ${shortId(img.Id)}`, () => image.history() as Promise<ImageHistoryEntry[]>).catch(goneIs404),
        ]);
        return { id: img.Id, inspect, history };
      });
      facts.imageInspects = details.flatMap((d) => (d.inspect ? [d.inspect] : []));
      facts.imageHistories = Object.fromEntries(details.flatMap((d) => (d.history ? [[d.id, d.history]] : [])));
    }
    facts.calls = calls;
    return facts;
  } catch (e) {
    if (e instanceof Unreachable) throw new BulwarkError('E_ENGINE', `Docker engine at ${address} stopped answering during the audit (${e.code})`);
    throw e;
  }
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** A container or image removed between the list and its inspect is skipped, not an error. */
function goneIs404(e: unknown): undefined {
  if (e instanceof BulwarkError && /\(HTTP 404\)/.test(e.message)) return undefined;
  throw e;
}

class Unreachable extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function engineFailure(e: unknown, address: string, what: string): Error {
  const err = e as { statusCode?: number; code?: string; message?: string };
  if (err.code && UNREACHABLE.has(err.code)) return new Unreachable(err.code);
  if (err.code === 'ETIMEDOUT' || /timeout/i.test(err.message ?? '')) {
    return new BulwarkError('E_TIMEOUT', `Docker engine at ${address}: ${what} timed out`);
  }
  const status = err.statusCode ? ` (HTTP ${err.statusCode})` : '';
  const message = (err.message ?? String(e)).split('\n')[0]!.trim();
  return new BulwarkError('E_ENGINE', `Docker engine at ${address}: ${what} failed${status}: ${message}`);
}

/** fn over items with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
