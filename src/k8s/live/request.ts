import { ApiException, Observable, ResponseContext, type ObservableMiddleware, type RequestContext } from '@kubernetes/client-node';

/** An HTTP answer the caller may turn into a warning (403 on one kind, 404 for a kind this cluster does not serve). */
export class ClusterRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Problems with the cluster as a whole: the scan cannot go on. The message is one line. */
export class ClusterUnavailable extends Error {}

/** Per-call options of the generated clients (ObjectParamAPI passes them to the observable layer as they are). */
export interface CallOptions {
  middleware: ObservableMiddleware[];
  middlewareMergeStrategy: 'append';
}

/**
 * The largest API answer read. A page of 500 objects is a few MiB; a server announcing more than this is
 * not a kube-apiserver answering a list call, and its body is never read into memory.
 */
export const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

export interface RawAnswer {
  status: number;
  text: string;
  url: string;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function oneLine(s: string, max = 300): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
}

/** The message of a metav1.Status body, or the start of whatever else the server sent. */
function statusMessage(text: string): string {
  try {
    const v = JSON.parse(text) as { message?: unknown };
    if (typeof v?.message === 'string' && v.message !== '') return oneLine(v.message);
  } catch {
    // not JSON: fall through
  }
  return text.trim() === '' ? 'empty answer' : oneLine(text, 120);
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url;
  }
}

/**
 * Runs one generated client-node call and returns the raw answer it got. The generated clients turn JSON into
 * model classes (Date objects, renamed fields, unknown fields dropped); rules need the objects exactly as the
 * API server sent them, as a manifest would hold them, so a middleware keeps the body text and hands the client
 * an identical copy. The same middleware puts the timeout on the request.
 */
export async function rawCall(call: (options: CallOptions) => Promise<unknown>, timeoutMs: number): Promise<RawAnswer> {
  let answer: RawAnswer | undefined;
  let url = '';
  let signal: AbortSignal | undefined;
  const capture: ObservableMiddleware = {
    pre(ctx: RequestContext) {
      url = ctx.getUrl();
      signal = AbortSignal.timeout(timeoutMs);
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post(ctx: ResponseContext) {
      const length = Number(ctx.headers['content-length'] ?? 0);
      if (length > MAX_ANSWER_BYTES) {
        throw new ClusterUnavailable(`GET ${pathOf(url)}: the answer is ${length} bytes, over the ${MAX_ANSWER_BYTES / 1024 ** 2} MiB limit`);
      }
      const copy = ctx.body.text().then((text) => {
        answer = { status: ctx.httpStatusCode, text, url };
        return new ResponseContext(ctx.httpStatusCode, ctx.headers, { text: async () => text, binary: async () => Buffer.from(text) });
      });
      return new Observable(copy);
    },
  };
  try {
    await call({ middleware: [capture], middlewareMergeStrategy: 'append' });
  } catch (e) {
    if (e instanceof ClusterUnavailable) throw e;
    // A 2xx answer the generated model could not digest is still a good answer: we read the raw JSON.
    if (answer && answer.status >= 200 && answer.status < 300) return answer;
    throw classify(e, answer, url, signal, timeoutMs);
  }
  if (!answer) throw new ClusterUnavailable(`GET ${pathOf(url)}: no answer`);
  return answer;
}

function classify(e: unknown, answer: RawAnswer | undefined, url: string, signal: AbortSignal | undefined, timeoutMs: number): Error {
  const path = pathOf(url);
  if (e instanceof ApiException || answer) {
    const status = answer?.status ?? (e as ApiException<unknown>).code;
    const message = answer ? statusMessage(answer.text) : 'no body';
    const reason = `${status} ${STATUS_TEXT[status] ?? 'error'}: ${message}`;
    if (status === 403 || status === 404) return new ClusterRefusal(status, reason);
    if (status === 401) return new ClusterUnavailable(`the server rejected the credentials (${reason})`);
    return new ClusterUnavailable(`GET ${path} answered ${reason}`);
  }
  if (signal?.aborted) return new ClusterUnavailable(`GET ${path}: no answer within ${timeoutMs} ms`);
  const err = e as { code?: unknown; errno?: unknown; message?: unknown; type?: unknown };
  const code = typeof err.code === 'string' ? err.code : typeof err.errno === 'string' ? err.errno : '';
  const message = oneLine(typeof err.message === 'string' ? err.message : String(e));
  if (/CERT|TLS|SSL|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(`${code} ${message}`)) return new ClusterUnavailable(`TLS error${code ? ` (${code})` : ''}: ${message}`);
  if (code) return new ClusterUnavailable(`cannot connect (${code}): ${message}`);
  return new ClusterUnavailable(`GET ${path} failed: ${message}`);
}
