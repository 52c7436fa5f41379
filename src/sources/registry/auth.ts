import type { Agent } from 'undici';
import { BulwarkError } from '../../core/errors.js';
import type { Challenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { tokenResponseSchema } from './schema.js';
import { drain, readLimited, safeUrl, send, type RequestContext } from './transport.js';

export function basicAuthorization(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

function tokenUrl(challenge: Challenge, defaultScope: string, label: string): URL {
  const realm = challenge.params.realm;
  let url: URL;
  try {
    url = new URL(realm ?? '');
  } catch {
    throw new BulwarkError('E_REGISTRY', `${label}: registry sent a Bearer challenge without a usable realm (${realm ?? 'none'})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BulwarkError('E_REGISTRY', `${label}: token realm ${safeUrl(url.href)} is not http(s)`);
  }
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope ?? defaultScope);
  return url;
}

/** The distribution token flow: GET realm?service&scope, with basic credentials when there are any. */
export async function fetchBearerToken(
  agent: Agent,
  challenge: Challenge,
  creds: Credentials | undefined,
  defaultScope: string,
  ctx: RequestContext,
): Promise<string> {
  const url = tokenUrl(challenge, defaultScope, ctx.label).href;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (creds) headers.authorization = basicAuthorization(creds);
  const res = await send(agent, url, headers, ctx);
  if (res.statusCode === 401 || res.statusCode === 403) {
    await drain(res);
    const who = creds ? `the credentials from ${creds.source}` : 'anonymous access';
    throw new BulwarkError('E_AUTH', `${ctx.label}: token server ${safeUrl(url)} refused ${who} (HTTP ${res.statusCode})`);
  }
  if (res.statusCode !== 200) {
    await drain(res);
    throw new BulwarkError('E_REGISTRY', `${ctx.label}: token server ${safeUrl(url)} answered HTTP ${res.statusCode}`);
  }
  return parseToken(await readLimited(res, 1 << 20, url, ctx), url, ctx.label);
}

function parseToken(body: Buffer, url: string, label: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BulwarkError('E_REGISTRY', `${label}: token server ${safeUrl(url)} answered something that is not JSON`);
  }
  const parsed = tokenResponseSchema.safeParse(json);
  const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
  if (!token) throw new BulwarkError('E_REGISTRY', `${label}: token server ${safeUrl(url)} answered without a token`);
  return token;
}
