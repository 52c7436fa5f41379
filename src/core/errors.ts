/** Every failure the user should see as one line carries a stable code and an exit status. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_INPUT'
  | 'E_FORMAT'
  | 'E_DIGEST'
  | 'E_LIMIT'
  | 'E_PATH'
  | 'E_NOT_FOUND'
  | 'E_REGISTRY'
  | 'E_AUTH'
  | 'E_TIMEOUT'
  | 'E_ENGINE'
  | 'E_UNSUPPORTED'
  | 'E_DB';

export class BulwarkError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BulwarkError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

export function isBulwarkError(e: unknown): e is BulwarkError {
  return e instanceof BulwarkError;
}

/** A version its scheme cannot parse: matching reports the package as possibly affected, never unaffected. */
export class UnparseableVersionError extends BulwarkError {
  readonly scheme: string;
  readonly version: string;
  constructor(scheme: string, version: string, why?: string) {
    super('E_FORMAT', `${scheme} version "${version}" cannot be parsed${why ? `: ${why}` : ''}`);
    this.name = 'UnparseableVersionError';
    this.scheme = scheme;
    this.version = version;
  }
}
