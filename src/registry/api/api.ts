import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request, type Agent } from 'undici';
import { BulwarkError, type ErrorCode } from '../../core/errors.js';
import { digestLike } from '../../sources/digest.js';
import { MEDIA, type Descriptor } from '../../sources/oci-schema.js';
import { basicAuthorization, fetchBearerToken } from '../../sources/registry/auth.js';
import { parseChallenges, type Challenge } from '../../sources/registry/challenge.js';
import { resolveCredentials, type CredentialLookup } from '../../sources/registry/credentials.js';
import { createAgent, guardStream, oneLine, readLimited, safeUrl, transportError, type RequestContext } from '../../sources/registry/transport.js';
import type { SourceOptions } from '../../sources/types.js';
import { backoffMs, isConnectionReset, isRetryableStatus, retryAfterMs, retryPolicy, sleep, type RetryPolicy } from './retry.js';
import { Semaphore } from './semaphore.js';
import type { AuthScheme, BlobJson, ManifestInfo, PingResult, ReferrersResult, RegistryApiOptions } from './types.js';
import { describeManifest, descriptors, FULL_MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parseObject } from './manifest.js';
import { checkDigest, checkReference, checkRepo, pullScopes, refName, referrersTag } from './names.js';
import { flattenHeaders, headersFor, isRedirect, nextLink, parseBase, reasonOf, relabel, withScope, type Answer, type Call, type Method } from './http.js';

export const MAX_CATALOG_PAGE_BYTES = 16 * 1024 * 1024;
export const MAX_BLOB_JSON_BYTES = 4 * 1024 * 1024;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_REDIRECTS = 5;
const MAX_PAGES = 100_000;





/**
 * The registry-wide API used by `bulwark registry audit|scan|prune`: one registry, any repository.
 * Anonymous first, then the registry's challenge (Basic with credentials, Bearer tokens per scope, cached);
 * bounded concurrency, retries with backoff on 429/5xx/resets, size limits and verified digests.
 */
export class RegistryApi {
  readonly host: string;
  readonly ctx: RequestContext;
  private base: string;
  private httpFallback: boolean;
  private readonly agent: Agent;
  private readonly slots: Semaphore;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;
  private challenge?: Challenge;
  private basic?: string;
  private readonly tokens = new Map<string, Promise<string>>();
  private lookup?: Promise<CredentialLookup>;

  constructor(private readonly options: RegistryApiOptions) {
    const { host, scheme } = parseBase(options.url, options.insecure ?? false);
    this.host = host;
    this.base = `${scheme}://${host}`;
    this.httpFallback = scheme === 'https' && (options.insecure ?? false) && !/^https:/i.test(options.url);
    this.ctx = { label: options.label ?? `registry ${host}`, timeoutMs: options.timeoutMs };
    this.agent = createAgent(options.timeoutMs, options.insecure ?? false);
    this.slots = new Semaphore(options.maxConcurrent ?? 4);
    this.retry = retryPolicy(options.retry);
    this.pageSize = options.pageSize ?? 100;
  }

  /** The base URL requests go to, e.g. `http://127.0.0.1:5000`. */
  get baseUrl(): string {
    return this.base;
  }

  /** Highest number of exchanges that were in flight at once. */
  get peakConcurrent(): number {
    return this.slots.peak;
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }

  /** GET /v2/ without credentials: is this a registry, which API version, which auth scheme. */
  async ping(): Promise<PingResult> {
    const answer = await this.hop('GET', `${this.base}/v2/`, headersFor(undefined, undefined), MAX_ERROR_BODY);
    const result: PingResult = { status: answer.status, headers: answer.headers };
    const version = answer.headers['docker-distribution-api-version'];
    if (version !== undefined) result.apiVersion = version;
    if (answer.status === 401) {
      const challenge = parseChallenges(answer.headers['www-authenticate']);
      if (challenge && challenge.scheme !== 'other') result.authScheme = challenge.scheme as AuthScheme;
      if (challenge?.params.realm) result.realm = challenge.params.realm;
      if (challenge?.params.service) result.service = challenge.params.service;
    }
    return result;
  }

  /** Every repository in the catalog, following `Link: <…>; rel="next"` pages. */
  async listRepositories(options: { pageSize?: number } = {}): Promise<string[]> {
    const n = options.pageSize ?? this.pageSize;
    return this.paginate(`${this.base}/v2/_catalog?n=${n}`, 'catalog', ['registry:catalog:*'], 'repositories');
  }

  /** Every tag of one repository, following pages. */
  async listTags(repo: string, options: { pageSize?: number } = {}): Promise<string[]> {
    checkRepo(repo);
    const n = options.pageSize ?? this.pageSize;
    return this.paginate(`${this.base}/v2/${repo}/tags/list?n=${n}`, `tags of ${repo}`, pullScopes(repo), 'tags');
  }

  /** Any manifest (index, image, artifact, schema 1) with its digest verified. */
  async getManifest(repo: string, reference: string): Promise<ManifestInfo> {
    checkRepo(repo);
    checkReference(reference);
    const what = `manifest ${refName(repo, reference)}`;
    const answer = await this.call({
      method: 'GET',
      url: `${this.base}/v2/${repo}/manifests/${reference}`,
      accept: FULL_MANIFEST_ACCEPT,
      scopes: pullScopes(repo),
      limit: MAX_MANIFEST_BYTES,
    });
    if (answer.status !== 200) this.fail(answer, what);
    return describeManifest(this.ctx.label, repo, reference, answer);
  }

  /** A small JSON blob (an image config), digest verified. */
  async getBlobJson(repo: string, digest: string, limit = MAX_BLOB_JSON_BYTES): Promise<BlobJson> {
    checkRepo(repo);
    checkDigest(digest);
    const what = `blob ${repo}@${digest}`;
    const answer = await this.call({ method: 'GET', url: `${this.base}/v2/${repo}/blobs/${digest}`, scopes: pullScopes(repo), limit });
    if (answer.status !== 200) this.fail(answer, what);
    const actual = digestLike(answer.body, digest);
    if (actual !== digest) {
      throw new BulwarkError('E_DIGEST', `${this.ctx.label}: ${what}: digest mismatch, the content hashes to ${actual}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(answer.body.toString('utf8'));
    } catch {
      throw new BulwarkError('E_FORMAT', `${this.ctx.label}: ${what} is not JSON`);
    }
    return { digest, bytes: answer.body, json };
  }

  /**
   * A blob (a layer) as a stream, through the same authorization, redirects and retries as every other call. The
   * bytes are hashed as they pass: a stream read to its end that does not match `digest` fails with E_DIGEST
   * (a caller that stops early, destroying the stream, gets no verdict). Holds one concurrency slot until the
   * stream closes: read it to the end or destroy it.
   */
  async openBlob(repo: string, digest: string): Promise<Readable> {
    checkRepo(repo);
    checkDigest(digest);
    const what = `blob ${repo}@${digest}`;
    const answer = await this.call({ method: 'GET', url: `${this.base}/v2/${repo}/blobs/${digest}`, scopes: pullScopes(repo), limit: MAX_ERROR_BODY, stream: true });
    if (answer.status !== 200 || !answer.stream) {
      answer.stream?.destroy();
      this.fail(answer, what);
    }
    const guarded = guardStream(answer.stream, answer.url, this.ctx);
    // Nobody may be listening yet: an early error stays on the stream and is thrown by the iteration below.
    guarded.on('error', () => undefined);
    const label = `${this.ctx.label}: ${what}`;
    const algorithm = digest.split(':')[0]!;
    // Lazy: nothing is hashed, and no verdict can fire unheard, before the caller reads.
    async function* verified(): AsyncGenerator<Buffer> {
      const hash = createHash(algorithm);
      for await (const chunk of guarded as AsyncIterable<Buffer>) {
        hash.update(chunk);
        yield chunk;
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== digest) throw new BulwarkError('E_DIGEST', `${label}: digest mismatch, the content hashes to ${actual}`);
    }
    const out = Readable.from(verified(), { objectMode: false, highWaterMark: 1 << 16 });
    // Dropped early (or never read): the response goes, and with it the concurrency slot.
    out.on('close', () => {
      if (!guarded.destroyed) guarded.destroy();
    });
    return out;
  }

  /**
   * Manifests that name `digest` as their subject: the OCI 1.1 referrers API, or, when the registry answers 404
   * there, the `sha256-<hex>` tag schema. `artifactType` filters (the registry may or may not have filtered already).
   */
  async referrers(repo: string, digest: string, options: { artifactType?: string } = {}): Promise<ReferrersResult> {
    checkRepo(repo);
    checkDigest(digest);
    const filter = options.artifactType;
    const query = filter ? `?artifactType=${encodeURIComponent(filter)}` : '';
    const answer = await this.call({
      method: 'GET',
      url: `${this.base}/v2/${repo}/referrers/${digest}${query}`,
      accept: MEDIA.ociIndex,
      scopes: pullScopes(repo),
      limit: MAX_MANIFEST_BYTES,
    });
    const keep = (d: Descriptor): boolean => !filter || d.artifactType === filter;
    if (answer.status === 200) {
      const json = parseObject(answer.body, `${this.ctx.label}: referrers of ${repo}@${digest}`);
      return { source: 'api', descriptors: descriptors(this.ctx.label, json.manifests, `referrers of ${repo}@${digest}`).filter(keep) };
    }
    if (answer.status !== 404) this.fail(answer, `referrers of ${repo}@${digest}`);
    const tag = referrersTag(digest);
    let index: ManifestInfo;
    try {
      index = await this.getManifest(repo, tag);
    } catch (e) {
      if (e instanceof BulwarkError && e.code === 'E_NOT_FOUND') return { source: 'tag', descriptors: [] };
      throw e;
    }
    if (index.kind !== 'index') {
      throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: referrers tag ${repo}:${tag} is a ${index.mediaType}, not an index`);
    }
    return { source: 'tag', descriptors: (index.manifests ?? []).filter(keep) };
  }

  /** DELETE a manifest by digest (tags cannot be deleted this way). 405 means the registry has deletion turned off. */
  async deleteManifest(repo: string, digest: string): Promise<void> {
    checkRepo(repo);
    checkDigest(digest);
    const what = `manifest ${repo}@${digest}`;
    const answer = await this.call({
      method: 'DELETE',
      url: `${this.base}/v2/${repo}/manifests/${digest}`,
      scopes: [`repository:${repo}:delete`, `repository:${repo}:pull,push,delete`],
      limit: MAX_ERROR_BODY,
    });
    if (answer.status === 202 || answer.status === 200 || answer.status === 204) return;
    if (answer.status === 405) {
      throw new BulwarkError(
        'E_UNSUPPORTED',
        `${this.ctx.label}: cannot delete ${what}: deletion is disabled on this registry (HTTP 405${reasonOf(answer)}; distribution needs storage.delete.enabled: true)`,
      );
    }
    this.fail(answer, `${what} (delete)`);
  }

  /** Does GET /v2/_catalog answer without credentials (an anonymous bearer token counts as no credentials)? */
  async canListCatalogAnonymously(): Promise<boolean> {
    const answer = await this.call({
      method: 'GET',
      url: `${this.base}/v2/_catalog?n=1`,
      scopes: ['registry:catalog:*'],
      anonymous: true,
      limit: MAX_CATALOG_PAGE_BYTES,
    });
    return this.probeResult(answer, 'catalog');
  }

  /**
   * Can a manifest of `repo` be fetched without credentials? `reference` should be a tag known to exist;
   * 404 counts as "no" because some registries hide private repositories behind it.
   */
  async canPullAnonymously(repo: string, reference: string): Promise<boolean> {
    checkRepo(repo);
    checkReference(reference);
    const answer = await this.call({
      method: 'GET',
      url: `${this.base}/v2/${repo}/manifests/${reference}`,
      accept: FULL_MANIFEST_ACCEPT,
      scopes: pullScopes(repo),
      anonymous: true,
      limit: MAX_MANIFEST_BYTES,
    });
    return this.probeResult(answer, `manifest ${refName(repo, reference)}`);
  }

  // ---- internals ----

  private probeResult(answer: Answer, what: string): boolean {
    if (answer.status === 200) return true;
    if (answer.status === 401 || answer.status === 403 || answer.status === 404) return false;
    return this.fail(answer, `${what} (anonymous probe)`);
  }

  private async paginate(first: string, what: string, scopes: string[], key: 'repositories' | 'tags'): Promise<string[]> {
    const out: string[] = [];
    const seen = new Set<string>([first]);
    let url: string | undefined = first;
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES) throw new BulwarkError('E_LIMIT', `${this.ctx.label}: ${what}: more than ${MAX_PAGES} pages`);
      const answer = await this.call({ method: 'GET', url, accept: 'application/json', scopes, limit: MAX_CATALOG_PAGE_BYTES });
      if (answer.status !== 200) this.fail(answer, what);
      const json = parseObject(answer.body, `${this.ctx.label}: ${what}`);
      const items = json[key];
      if (items !== null && items !== undefined && (!Array.isArray(items) || items.some((x) => typeof x !== 'string'))) {
        throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: ${what}: "${key}" is not a list of strings`);
      }
      out.push(...((items as string[] | null | undefined) ?? []));
      const next = nextLink(answer.headers.link, answer.url);
      if (next === undefined) break;
      if (new URL(next).origin !== new URL(this.base).origin) {
        throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: ${what}: next page link points to another host (${safeUrl(next)})`);
      }
      if (seen.has(next)) {
        throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: ${what}: pagination loop, the registry sent the same next link twice (${oneLine(next, 160)})`);
      }
      seen.add(next);
      url = next;
    }
    return out;
  }

  private fail(answer: Answer, what: string): never {
    const status = answer.status;
    const code: ErrorCode = status === 404 ? 'E_NOT_FOUND' : status === 401 || status === 403 ? 'E_AUTH' : 'E_REGISTRY';
    const head =
      status === 404 ? `${what} not found` :
      status === 401 ? `${what}: authentication refused` :
      status === 403 ? `access to ${what} denied` :
      status === 429 ? `rate limit hit while fetching ${what}` :
      `registry failed to serve ${what}`;
    const tries = answer.attempts > 1 ? ` after ${answer.attempts} attempts` : '';
    throw new BulwarkError(code, `${this.ctx.label}: ${head} (HTTP ${status}${reasonOf(answer)})${tries}`);
  }

  /** One logical request: authorization, one re-try after a challenge, redirects. */
  private async call(call: Call): Promise<Answer> {
    let authorization = call.anonymous ? undefined : await this.authorizationFor(call.scopes[0]!);
    const stream = call.stream ?? false;
    let answer = await this.hop(call.method, call.url, headersFor(call.accept, authorization), call.limit, stream);
    if (answer.status === 401) {
      const challenge = parseChallenges(answer.headers['www-authenticate']);
      if (call.anonymous) {
        if (challenge?.scheme !== 'bearer') return answer;
        const token = await this.slots.run(() => fetchBearerToken(this.agent, withScope(challenge, call.scopes[0]!), undefined, call.scopes[0]!, this.ctx));
        authorization = `Bearer ${token}`;
        answer = await this.hop(call.method, call.url, headersFor(call.accept, authorization), call.limit, stream);
      } else {
        for (let i = 0; answer.status === 401 && i < call.scopes.length; i++) {
          authorization = await this.authenticate(challenge, call.scopes[i]!, authorization);
          answer = await this.hop(call.method, call.url, headersFor(call.accept, authorization), call.limit, stream);
          if (this.challenge?.scheme !== 'bearer') break;
        }
        if (answer.status === 401) throw await this.rejected(call);
      }
    }
    const origin = new URL(this.base).origin;
    for (let hops = 0; isRedirect(answer.status); hops++) {
      const location = answer.headers.location;
      if (!location) throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: ${safeUrl(answer.url)} redirected without a Location`);
      if (hops >= MAX_REDIRECTS) throw new BulwarkError('E_REGISTRY', `${this.ctx.label}: too many redirects from ${safeUrl(call.url)}`);
      const next = new URL(location, answer.url).href;
      // Blob storage elsewhere must never see the registry's credentials.
      const auth = new URL(next).origin === origin ? authorization : undefined;
      answer = await this.hop(call.method, next, headersFor(call.accept, auth), call.limit, stream);
    }
    return answer;
  }

  /** What to send before any 401 for this scope: nothing until the registry has asked once. */
  private async authorizationFor(scope: string): Promise<string | undefined> {
    if (this.options.registryToken) return `Bearer ${this.options.registryToken}`;
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') return this.basic;
    if (this.challenge.scheme === 'bearer') return `Bearer ${await this.token(this.challenge, scope, false)}`;
    return undefined;
  }

  private async authenticate(challenge: Challenge | undefined, scope: string, sent: string | undefined): Promise<string> {
    const label = this.ctx.label;
    if (this.options.registryToken) {
      throw new BulwarkError('E_AUTH', `${label}: registry ${this.host} rejected the registry token (HTTP 401)`);
    }
    if (!challenge || challenge.scheme === 'other') {
      throw new BulwarkError('E_AUTH', `${label}: registry ${this.host} wants authentication but sent no Basic or Bearer challenge`);
    }
    this.challenge = challenge;
    if (challenge.scheme === 'bearer') return `Bearer ${await this.token(challenge, scope, sent !== undefined)}`;
    const { credentials, note } = await this.credentials();
    if (!credentials) {
      throw new BulwarkError(
        'E_AUTH',
        `${label}: registry ${this.host} requires a login and no credentials were found (use --username/--password, BULWARK_USERNAME/BULWARK_PASSWORD or docker login${note ? `; ${note}` : ''})`,
      );
    }
    this.basic = basicAuthorization(credentials);
    return this.basic;
  }

  /** One token per scope, shared by concurrent callers; `refresh` drops a token the registry refused (expired). */
  private token(challenge: Challenge, scope: string, refresh: boolean): Promise<string> {
    if (refresh) this.tokens.delete(scope);
    let token = this.tokens.get(scope);
    if (!token) {
      token = (async () => {
        const { credentials } = await this.credentials();
        return this.slots.run(() => fetchBearerToken(this.agent, withScope(challenge, scope), credentials, scope, this.ctx));
      })();
      token.catch(() => this.tokens.delete(scope));
      this.tokens.set(scope, token);
    }
    return token;
  }

  private async rejected(call: Call): Promise<BulwarkError> {
    const { credentials } = await this.credentials();
    if (this.challenge?.scheme === 'bearer') {
      return new BulwarkError('E_AUTH', `${this.ctx.label}: registry ${this.host} refused the token for ${call.scopes.join(' / ')} (HTTP 401)`);
    }
    const who = credentials ? `the credentials from ${credentials.source}` : 'anonymous access';
    return new BulwarkError('E_AUTH', `${this.ctx.label}: registry ${this.host} rejected ${who} (HTTP 401)`);
  }

  private credentials(): Promise<CredentialLookup> {
    const o = this.options;
    const asSource = {
      platform: { os: 'linux', architecture: 'amd64' },
      insecure: o.insecure ?? false,
      timeoutMs: o.timeoutMs,
      tempDir: '',
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.dockerConfigPath !== undefined ? { dockerConfigPath: o.dockerConfigPath } : {}),
    } satisfies SourceOptions;
    this.lookup ??= resolveCredentials(this.host, asSource, o.env ?? process.env);
    return this.lookup;
  }

  /** One HTTP exchange with retries; with --insecure, falls back from https to http once. */
  private async hop(method: Method, url: string, headers: Record<string, string>, limit: number, stream = false): Promise<Answer> {
    if (!this.httpFallback || !url.startsWith(this.base)) return this.retrying(method, url, headers, limit, stream);
    try {
      const answer = await this.retrying(method, url, headers, limit, stream);
      this.httpFallback = false;
      return answer;
    } catch (e) {
      if (!(e instanceof BulwarkError) || e.code !== 'E_REGISTRY' || !(e.cause instanceof Error)) throw e;
      this.httpFallback = false;
      const httpBase = this.base.replace(/^https:/, 'http:');
      const httpUrl = httpBase + url.slice(this.base.length);
      this.base = httpBase;
      return this.retrying(method, httpUrl, headers, limit, stream);
    }
  }

  private async retrying(method: Method, url: string, headers: Record<string, string>, limit: number, stream = false): Promise<Answer> {
    const policy = this.retry;
    for (let attempt = 1; ; attempt++) {
      let answer: Answer;
      const release = await this.slots.acquire();
      try {
        answer = await this.exchange(method, url, headers, limit, stream);
      } catch (e) {
        release();
        if (attempt < policy.maxAttempts && isConnectionReset(e)) {
          await sleep(backoffMs(policy, attempt));
          continue;
        }
        throw e;
      }
      // A streamed body keeps its slot until the caller is done with it.
      if (answer.stream && !answer.stream.closed) answer.stream.once('close', release);
      else release();
      answer.attempts = attempt;
      if (attempt < policy.maxAttempts && isRetryableStatus(answer.status)) {
        const wait = answer.status === 429 ? (retryAfterMs(answer.headers['retry-after'], policy) ?? backoffMs(policy, attempt)) : backoffMs(policy, attempt);
        await sleep(wait);
        continue;
      }
      return answer;
    }
  }

  /** Sends and reads the whole (limited) body while holding a concurrency slot. */
  private async exchange(method: Method, url: string, headers: Record<string, string>, limit: number, stream = false): Promise<Answer> {
    let res;
    try {
      res = await request(url, { method, headers, dispatcher: this.agent });
    } catch (e) {
      throw relabel(transportError(e, url, this.ctx), method);
    }
    const status = res.statusCode;
    let body: Buffer;
    if (stream && status >= 200 && status < 300) {
      return { status, headers: flattenHeaders(res.headers), url, body: Buffer.alloc(0), attempts: 1, stream: res.body };
    } else if (status >= 200 && status < 300) {
      try {
        body = await readLimited(res, limit, url, this.ctx);
      } catch (e) {
        throw relabel(e, method);
      }
    } else {
      body = await readLimited(res, MAX_ERROR_BODY, url, this.ctx).catch(() => Buffer.alloc(0));
    }
    return { status, headers: flattenHeaders(res.headers), url, body, attempts: 1 };
  }
}

// ---- helpers ----
