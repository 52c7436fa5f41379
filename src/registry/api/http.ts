import type { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import { isLoopbackHost } from '../../core/image-reference.js';
import type { Challenge } from '../../sources/registry/challenge.js';
import { registryErrorText } from '../../sources/registry/status.js';
import { oneLine } from '../../sources/registry/transport.js';

// The request and answer shapes of RegistryApi and the HTTP details they need (base URL, headers, Link, errors).

export type Method = 'GET' | 'DELETE';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  url: string;
  body: Buffer;
  attempts: number;
  /** A streamed 2xx body (Call.stream): `body` is empty and the concurrency slot is held until this stream closes. */
  stream?: Readable;
}

export interface Call {
  method: Method;
  url: string;
  accept?: string;
  /** Bearer scopes, most specific first; the next one is tried when a token for the previous one is refused. */
  scopes: string[];
  /** No credentials at all (an anonymous bearer token is still fetched when the registry asks for one). */
  anonymous?: boolean;
  /** Body limit for 2xx answers. */
  limit: number;
  /** Hand a 2xx body over as a stream instead of reading it (`limit` then only applies to other answers). */
  stream?: boolean;
}

export function parseBase(url: string, insecure: boolean): { host: string; scheme: 'http' | 'https' } {
  const match = /^(?:(https?):\/\/)?([^/\s?#@]+)\/?$/i.exec(url.trim());
  if (!match) throw new BulwarkError('E_USAGE', `registry URL "${oneLine(url, 100)}" must be host[:port] or http(s)://host[:port], without a path`);
  const host = match[2]!.toLowerCase();
  const given = match[1]?.toLowerCase() as 'http' | 'https' | undefined;
  const loopback = isLoopbackHost(host);
  if (given === 'http' && !loopback && !insecure) {
    throw new BulwarkError('E_USAGE', `registry ${host}: plain http is only used for loopback registries or with --insecure`);
  }
  return { host, scheme: given ?? (loopback ? 'http' : 'https') };
}
export function withScope(challenge: Challenge, scope: string): Challenge {
  return { scheme: challenge.scheme, params: { ...challenge.params, scope } };
}
export function headersFor(accept: string | undefined, authorization: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'bulwark' };
  if (accept) headers.accept = accept;
  if (authorization) headers.authorization = authorization;
  return headers;
}
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
/** transport.ts names every request GET; say what was really sent. */
export function relabel(e: unknown, method: Method): unknown {
  if (method !== 'GET' && e instanceof BulwarkError && e.message.includes('(GET ')) {
    return new BulwarkError(e.code, e.message.replace('(GET ', `(${method} `), { cause: e.cause, exitCode: e.exitCode });
  }
  return e;
}
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
export function reasonOf(answer: Answer): string {
  const reason = registryErrorText(answer.body);
  return reason ? ` ${reason}` : '';
}
/** `Link: </v2/_catalog?last=b&n=2>; rel="next"`, possibly among other links. */
export function nextLink(value: string | undefined, current: string): string | undefined {
  if (!value) return undefined;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rel = /rel\s*=\s*"?([^";]+)"?/i.exec(match[2]!);
    if (rel && rel[1]!.trim().split(/\s+/).includes('next')) {
      try {
        return new URL(match[1]!, current).href;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
