import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { isLoopbackHost } from '../core/image-reference.js';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type DownloadOutcome =
  | { kind: 'not-modified' }
  | { kind: 'downloaded'; url: string; bytes: number; etag?: string; lastModified?: string };

export interface DownloadOptions {
  agent: Agent;
  timeoutMs: number;
  maxBytes: number;
  insecure: boolean;
  onBytes?: (done: number, total: number | undefined) => void;
}

const MAX_REDIRECTS = 5;

/** One agent per update: the timeout bounds connecting, waiting for headers and every stall in a body. */
export function createDownloadAgent(timeoutMs: number, insecure: boolean): Agent {
  return new Agent({ connect: { timeout: timeoutMs, rejectUnauthorized: !insecure }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

/**
 * A base URL must be http(s); plain http only to a loopback host unless --insecure (as for
 * registries): an attacker on the path could otherwise feed in advisories that hide flaws.
 */
export function checkDownloadUrl(url: string, insecure: boolean, what = '--db-url'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BulwarkError('E_USAGE', `${what} "${url}": not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new BulwarkError('E_USAGE', `${what} "${url}": expected an http or https URL`);
  if (parsed.protocol === 'http:' && !insecure && !isLoopbackHost(parsed.host)) {
    throw new BulwarkError('E_USAGE', `${what} "${url}": plain HTTP to ${parsed.host} refused; use https, or --insecure for a mirror you trust`);
  }
  return parsed;
}

/**
 * GETs a zip into `dest` with the stored validators; 304 leaves `dest` untouched. The body is
 * bounded by maxBytes and must match its Content-Length.
 */
export async function downloadZip(url: string, dest: string, validators: Validators, options: DownloadOptions): Promise<DownloadOutcome> {
  const headers: Record<string, string> = { 'user-agent': 'bulwark' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let current = url;
  let res = await send(current, headers, options);
  for (let hops = 0; isRedirect(res.statusCode); hops++) {
    const location = header(res, 'location');
    await discard(res);
    if (!location || hops >= MAX_REDIRECTS) throw new BulwarkError('E_DB', `GET ${current}: ${location ? 'too many redirects' : `HTTP ${res.statusCode} without a Location`}`);
    current = checkDownloadUrl(new URL(location, current).href, options.insecure, `redirect from ${current}`).href;
    res = await send(current, headers, options);
  }
  if (res.statusCode === 304) {
    await discard(res);
    return { kind: 'not-modified' };
  }
  if (res.statusCode !== 200) {
    await discard(res);
    const hint = res.statusCode === 404 ? ' (is that an OSV ecosystem name?)' : '';
    throw new BulwarkError('E_DB', `GET ${current}: HTTP ${res.statusCode}${hint}`);
  }
  const length = Number(header(res, 'content-length') ?? NaN);
  const total = Number.isFinite(length) ? length : undefined;
  if (total !== undefined && total > options.maxBytes) {
    await discard(res);
    throw new BulwarkError('E_LIMIT', `GET ${current}: ${total} bytes, over the ${options.maxBytes} byte download limit`);
  }
  const counter = new ByteCounter(current, options.maxBytes, total, options.onBytes);
  // Wait for the file to exist before bytes flow: a connection dropped at once would otherwise fail the
  // pipeline while the open is still pending, and the file would appear after the caller's clean-up.
  const out = createWriteStream(dest);
  try {
    await once(out, 'open');
  } catch (e) {
    await discard(res).catch(() => {});
    throw e;
  }
  try {
    await pipeline(res.body, counter, out);
  } catch (e) {
    throw downloadError(e, current, options.timeoutMs);
  }
  if (total !== undefined && counter.bytes !== total) {
    throw new BulwarkError('E_DB', `GET ${current}: connection ended after ${counter.bytes} of ${total} bytes`);
  }
  const outcome: DownloadOutcome = { kind: 'downloaded', url: current, bytes: counter.bytes };
  const etag = header(res, 'etag');
  const lastModified = header(res, 'last-modified');
  if (etag) outcome.etag = etag;
  if (lastModified) outcome.lastModified = lastModified;
  return outcome;
}

class ByteCounter extends Transform {
  bytes = 0;
  constructor(
    private readonly url: string,
    private readonly maxBytes: number,
    private readonly total: number | undefined,
    private readonly onBytes?: (done: number, total: number | undefined) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new BulwarkError('E_LIMIT', `GET ${this.url}: more than the ${this.maxBytes} byte download limit`));
      return;
    }
    this.onBytes?.(this.bytes, this.total);
    done(null, chunk);
  }
}

async function send(url: string, headers: Record<string, string>, options: DownloadOptions): Promise<Dispatcher.ResponseData> {
  try {
    return await request(url, { method: 'GET', headers, dispatcher: options.agent });
  } catch (e) {
    throw downloadError(e, url, options.timeoutMs);
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function downloadError(e: unknown, url: string, timeoutMs: number): BulwarkError {
  if (isBulwarkError(e)) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (TIMEOUT_CODES.has(code)) {
    const what = code === 'UND_ERR_BODY_TIMEOUT' ? 'stalled sending data for more than' : 'did not answer within';
    return new BulwarkError('E_TIMEOUT', `GET ${url}: the server ${what} ${timeoutMs} ms`, { cause: e });
  }
  const detail = `${code ? `${code}: ` : ''}${err.message ?? String(e)}`.replace(/\s+/g, ' ').trim();
  return new BulwarkError('E_DB', `GET ${url}: download failed (${detail})`, { cause: e });
}

function header(res: Dispatcher.ResponseData, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function discard(res: Dispatcher.ResponseData): Promise<void> {
  try {
    await res.body.dump({ limit: 64 * 1024 });
  } catch {
    // The status line already says what matters.
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
