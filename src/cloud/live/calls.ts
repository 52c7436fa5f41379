import { BulwarkError } from '../../core/errors.js';

/** Error names that mean "this principal may not make this call": the collection goes on without that answer. */
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'NotAuthorized']);

/** Error names that mean "these credentials are no good at all": nothing else will work either. */
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

export const ABSENT = Symbol('absent');

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: unknown[];
}

/**
 * Runs the collector's AWS calls: an answer, or a warning naming the call and the resource (access
 * denied, a missing resource, a server error after retries), or a one-line BulwarkError when AWS cannot
 * be used at all (no credentials, rejected credentials, no connection, no answer in time).
 */
export class AwsCalls {
  readonly warnings: string[] = [];

  constructor(
    private readonly where: string,
    private readonly timeoutMs: number,
    private readonly onProgress?: (msg: string) => void,
    private readonly profile?: string,
  ) {}

  progress(msg: string): void {
    this.onProgress?.(msg);
  }

  /**
   * `call` is "service:Action" (as IAM policies name it), `resource` what it was about. Undefined after
   * a warning.
   */
  async run<T>(call: string, resource: string, fn: () => Promise<T>): Promise<T | undefined> {
    const answer = await this.runOrAbsent(call, resource, fn, []);
    return answer === ABSENT ? undefined : answer;
  }

  /** As run, but errors named in `absentWhen` mean the thing asked for does not exist: ABSENT, no warning. */
  async runOrAbsent<T>(call: string, resource: string, fn: () => Promise<T>, absentWhen: readonly string[]): Promise<T | typeof ABSENT | undefined> {
    try {
      return await fn();
    } catch (e) {
      const err = (e ?? {}) as ErrorLike;
      if (err.name && absentWhen.includes(err.name)) return ABSENT;
      const fatal = this.fatalError(err, call);
      if (fatal) throw fatal;
      const what = resource ? `${call} on ${resource}` : call;
      const why = ACCESS_DENIED.has(err.name ?? '') ? 'access denied' : isUnreadable(err) ? `the answer is not AWS's protocol (${unreadableWhy(err)})` : `${err.name ?? 'error'}: ${oneLine(err.message)}`;
      this.warnings.push(`aws: ${what}: ${why}; skipped`);
      return undefined;
    }
  }

  private fatalError(err: ErrorLike, call: string): BulwarkError | undefined {
    const name = err.name ?? '';
    const code = err.code ?? firstCode(err);
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(err.message ?? '')) {
      if (this.profile) return new BulwarkError('E_AUTH', `aws: no AWS credentials for profile ${this.profile} (${oneLine(err.message)})`);
      return new BulwarkError('E_AUTH', `aws: no AWS credentials found (${oneLine(err.message)}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile`);
    }
    if (BAD_CREDENTIALS.has(name)) return new BulwarkError('E_AUTH', `aws: ${call} at ${this.where}: the credentials were rejected (${name}: ${oneLine(err.message)})`);
    if (name === 'TimeoutError' || name === 'RequestTimeout' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
      return new BulwarkError('E_TIMEOUT', `aws: ${call} at ${this.where}: no answer within ${this.timeoutMs} ms`);
    }
    if (code && NETWORK_CODES.has(code)) return new BulwarkError('E_INPUT', `aws: ${call}: cannot reach ${this.where} (${code})`);
    // No HTTP status: the request never got an answer from AWS.
    if (err.$metadata?.httpStatusCode === undefined) {
      return new BulwarkError('E_INPUT', `aws: ${call} at ${this.where} failed: ${name ? `${name}: ` : ''}${oneLine(err.message)}`);
    }
    return undefined;
  }
}

const DESERIALIZATION_NOTE = /\s*Deserialization error: to see the raw response.*$/s;

function isUnreadable(err: ErrorLike): boolean {
  return DESERIALIZATION_NOTE.test(err.message ?? '');
}

function unreadableWhy(err: ErrorLike): string {
  return oneLine((err.message ?? '').replace(DESERIALIZATION_NOTE, '').replace(/^@aws-sdk /, ''));
}

function firstCode(err: ErrorLike): string | undefined {
  const inner = err.errors?.find((x): x is { code: string } => typeof (x as { code?: unknown })?.code === 'string');
  return inner?.code;
}

function oneLine(message: string | undefined): string {
  const text = (message ?? '').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text || 'no message';
}
