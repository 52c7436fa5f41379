import { PassThrough, type Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { BulwarkError } from '../../core/errors.js';

export type Response = Dispatcher.ResponseData;

/** Names the request in messages; everything the user sees is prefixed with `label:`. */
export interface RequestContext {
  label: string;
  timeoutMs: number;
}

/** One agent per opened image: the timeout bounds connecting, waiting for headers, and every body stall. */
export function createAgent(timeoutMs: number, insecure: boolean): Agent {
  return new Agent({
    connect: { timeout: timeoutMs, rejectUnauthorized: !insecure },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/** Query strings of redirected blob URLs carry signatures: never print them. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

export async function send(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  ctx: RequestContext,
): Promise<Response> {
  try {
    return await request(url, { method: 'GET', headers, dispatcher: agent });
  } catch (e) {
    throw transportError(e, url, ctx);
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED/;

export function transportError(e: unknown, url: string, ctx: RequestContext): BulwarkError {
  if (e instanceof BulwarkError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const where = `GET ${safeUrl(url)}`;
  const host = hostOf(url);
  if (TIMEOUT_CODES.has(code)) {
    const what = code === 'UND_ERR_BODY_TIMEOUT' ? 'stalled sending data for more than' : 'did not answer within';
    return new BulwarkError('E_TIMEOUT', `${ctx.label}: registry ${host} ${what} ${ctx.timeoutMs} ms (${where})`, { cause: e });
  }
  if (TLS_CODE.test(code)) {
    return new BulwarkError('E_REGISTRY', `${ctx.label}: TLS failure talking to ${host} (${code}; use --insecure only for a registry you trust)`, {
      cause: e,
    });
  }
  const detail = oneLine(code !== '' ? `${code}: ${err.message ?? ''}` : (err.message ?? String(e)));
  return new BulwarkError('E_REGISTRY', `${ctx.label}: cannot reach registry ${host} (${detail}; ${where})`, { cause: e });
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function header(res: Response, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Discards a body we do not need so the connection can be reused. */
export async function drain(res: Response): Promise<void> {
  try {
    await res.body.dump({ limit: 64 * 1024 });
  } catch {
    // The status line already says what we need; a broken body here changes nothing.
  }
}

/** Reads a small document (manifest, config, token, error) with a size cap. */
export async function readLimited(res: Response, limit: number, url: string, ctx: RequestContext): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        res.body.destroy();
        throw new BulwarkError('E_REGISTRY', `${ctx.label}: ${safeUrl(url)} answered more than ${limit} bytes, too large for what it should be`);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    throw transportError(e, url, ctx);
  }
  return Buffer.concat(chunks);
}

/** Hands a blob body to the caller as-is, but with stalls and resets turned into one-line BulwarkErrors. */
export function guardStream(body: Readable, url: string, ctx: RequestContext): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 16 });
  body.on('error', (e) => out.destroy(transportError(e, url, ctx)));
  out.on('close', () => {
    if (!body.destroyed) body.destroy();
  });
  body.pipe(out);
  return out;
}
