import { BulwarkError } from '../../core/errors.js';

export interface RetryOptions {
  /** Total attempts including the first; default 4. */
  maxAttempts?: number;
  /** First backoff; doubled per attempt; default 200 ms. */
  baseDelayMs?: number;
  /** Cap for one computed backoff; default 5000 ms. */
  maxDelayMs?: number;
  /** Cap for a server's Retry-After; default 30000 ms. */
  maxRetryAfterMs?: number;
  /** For tests: a source of [0,1) used for jitter. */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? 4),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 200),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? 5000),
    maxRetryAfterMs: Math.max(0, options.maxRetryAfterMs ?? 30_000),
    random: options.random ?? Math.random,
  };
}

/** HTTP statuses worth another try: rate limiting and transient server/gateway failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** A connection dropped under us (not a timeout, not TLS, not refused): safe to try again. */
export function isConnectionReset(e: unknown): boolean {
  if (!(e instanceof BulwarkError) || e.code !== 'E_REGISTRY') return false;
  let cause: unknown = e.cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && RESET_CODES.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** Exponential backoff with jitter: base·2^(n-1), scaled by a random factor in [0.5, 1), capped. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.5 + policy.random() * 0.5));
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. Capped by the policy. */
export function retryAfterMs(value: string | undefined, policy: RetryPolicy, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  let ms: number | undefined;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) ms = Math.max(0, at - now);
  }
  return ms === undefined ? undefined : Math.min(ms, policy.maxRetryAfterMs);
}

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
