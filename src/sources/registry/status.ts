import { BulwarkError, type ErrorCode } from '../../core/errors.js';
import { oneLine, readLimited, type RequestContext, type Response } from './transport.js';

/** Pulls `CODE: message` out of a distribution error body (`{"errors":[{code,message}]}`), if it is one. */
export function registryErrorText(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const first = parsed.errors?.[0];
    if (!first) return undefined;
    return oneLine([first.code, first.message].filter((x) => typeof x === 'string' && x !== '').join(': '));
  } catch {
    return undefined;
  }
}

function codeFor(status: number): ErrorCode {
  if (status === 404) return 'E_NOT_FOUND';
  if (status === 401 || status === 403) return 'E_AUTH';
  return 'E_REGISTRY';
}

/** Turns any non-success answer into one line naming the reference, the thing asked for and the registry's reason. */
export async function failForStatus(res: Response, url: string, what: string, ctx: RequestContext): Promise<never> {
  let reason: string | undefined;
  try {
    reason = registryErrorText(await readLimited(res, 64 * 1024, url, ctx));
  } catch {
    reason = undefined;
  }
  const status = res.statusCode;
  const suffix = reason ? ` (HTTP ${status} ${reason})` : ` (HTTP ${status})`;
  const head =
    status === 404 ? `${what} not found` :
    status === 403 ? `access to ${what} denied` :
    status === 429 ? `registry rate limit hit while fetching ${what}` :
    `registry failed to serve ${what}`;
  throw new BulwarkError(codeFor(status), `${ctx.label}: ${head}${suffix}`);
}
