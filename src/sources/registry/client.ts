import type { Agent } from 'undici';
import { BulwarkError } from '../../core/errors.js';
import type { SourceOptions } from '../types.js';
import { basicAuthorization, fetchBearerToken } from './auth.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { resolveCredentials, type CredentialLookup } from './credentials.js';
import { isLoopbackHost, type ImageReference } from '../../core/image-reference.js';
import { createAgent, drain, header, safeUrl, send, type RequestContext, type Response } from './transport.js';

const MAX_REDIRECTS = 5;

export interface FetchResult {
  res: Response;
  /** The URL that finally answered (after redirects). */
  url: string;
}

/**
 * Talks to one repository of one registry: picks http/https, authenticates on demand
 * (anonymous, basic or bearer-token challenge) and re-uses the authorization for later requests.
 */
export class RegistryClient {
  readonly ctx: RequestContext;
  private base: string;
  /** Like docker's insecure-registries: https without verification first, plain http if that fails. */
  private httpFallback: boolean;
  private readonly host: string;
  private readonly agent: Agent;
  private authorization?: string;
  private lookup?: Promise<CredentialLookup>;

  constructor(
    private readonly ref: ImageReference,
    private readonly options: SourceOptions,
    label: string,
  ) {
    const loopback = isLoopbackHost(ref.endpoint);
    this.httpFallback = options.insecure && !loopback;
    this.host = ref.endpoint;
    this.base = `${loopback ? 'http' : 'https'}://${ref.endpoint}/v2/${ref.repository}`;
    this.agent = createAgent(options.timeoutMs, options.insecure);
    this.ctx = { label, timeoutMs: options.timeoutMs };
    if (options.registryToken) this.authorization = `Bearer ${options.registryToken}`;
  }

  /** GET `/v2/<repo><path>`, following redirects; the caller judges the final status. */
  async get(path: string, accept?: string): Promise<FetchResult> {
    let url = `${this.base}${path}`;
    let res = await this.sendFirst(url, accept);
    url = `${this.base}${path}`;
    const origin = new URL(url).origin;
    for (let hops = 0; isRedirect(res.statusCode); hops++) {
      const location = header(res, 'location');
      await drain(res);
      if (!location) throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: ${safeUrl(url)} redirected without a Location`);
      if (hops >= MAX_REDIRECTS) throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: too many redirects from ${safeUrl(url)}`);
      url = new URL(location, url).href;
      // Blob storage (S3, CDN) lives elsewhere and must never see the registry credentials.
      res = new URL(url).origin === origin ? await this.sendAuthorized(url, accept) : await send(this.agent, url, headersFor(accept), this.ctx);
    }
    return { res, url };
  }

  /** Aborts whatever is still streaming: the caller is done with the image. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private async sendFirst(url: string, accept: string | undefined): Promise<Response> {
    if (!this.httpFallback) return this.sendAuthorized(url, accept);
    try {
      const res = await this.sendAuthorized(url, accept);
      this.httpFallback = false;
      return res;
    } catch (e) {
      // Only a failed TLS/TCP exchange means "try plain http"; timeouts and HTTP answers do not.
      if (!(e instanceof BulwarkError) || e.code !== 'E_REGISTRY' || !(e.cause instanceof Error)) throw e;
      this.httpFallback = false;
      this.base = this.base.replace(/^https:/, 'http:');
      return this.sendAuthorized(url.replace(/^https:/, 'http:'), accept);
    }
  }

  private async sendAuthorized(url: string, accept: string | undefined): Promise<Response> {
    const first = await send(this.agent, url, headersFor(accept, this.authorization), this.ctx);
    if (first.statusCode !== 401) return first;
    const challenge = parseChallenges(first.headers['www-authenticate']);
    await drain(first);
    await this.authenticate(challenge);
    const second = await send(this.agent, url, headersFor(accept, this.authorization), this.ctx);
    if (second.statusCode !== 401) return second;
    await drain(second);
    throw await this.rejected(challenge);
  }

  private credentials(): Promise<CredentialLookup> {
    this.lookup ??= resolveCredentials(this.ref.registry, this.options);
    return this.lookup;
  }

  private async authenticate(challenge: Challenge | undefined): Promise<void> {
    const label = this.ctx.label;
    if (this.options.registryToken) {
      throw new BulwarkError('E_AUTH', `${label}: registry ${this.host} rejected the registry token (HTTP 401)`);
    }
    if (!challenge || challenge.scheme === 'other') {
      throw new BulwarkError('E_AUTH', `${label}: registry ${this.host} wants authentication but sent no Basic or Bearer challenge`);
    }
    const { credentials, note } = await this.credentials();
    if (challenge.scheme === 'bearer') {
      const scope = `repository:${this.ref.repository}:pull`;
      this.authorization = `Bearer ${await fetchBearerToken(this.agent, challenge, credentials, scope, this.ctx)}`;
      return;
    }
    if (!credentials) {
      const hint = note ? `; ${note}` : '';
      throw new BulwarkError(
        'E_AUTH',
        `${label}: registry ${this.host} requires a login and no credentials were found (use --username/--password, BULWARK_USERNAME/BULWARK_PASSWORD or docker login${hint})`,
      );
    }
    const basic = basicAuthorization(credentials);
    if (this.authorization === basic) throw await this.rejected(challenge);
    this.authorization = basic;
  }

  private async rejected(challenge: Challenge | undefined): Promise<BulwarkError> {
    const { credentials } = await this.credentials();
    const label = this.ctx.label;
    if (challenge?.scheme === 'bearer') {
      return new BulwarkError('E_AUTH', `${label}: registry ${this.host} refused the token for repository ${this.ref.repository} (HTTP 401)`);
    }
    const who = credentials ? `the credentials from ${credentials.source}` : 'anonymous access';
    return new BulwarkError('E_AUTH', `${label}: registry ${this.host} rejected ${who} (HTTP 401)`);
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function headersFor(accept: string | undefined, authorization?: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'bulwark' };
  if (accept) headers.accept = accept;
  if (authorization) headers.authorization = authorization;
  return headers;
}
