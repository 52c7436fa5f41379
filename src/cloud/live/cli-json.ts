/**
 * SDK v3 outputs carry the same field names as the JSON the AWS CLI prints; what differs is the
 * `$metadata` the SDK adds, Date objects where the CLI prints timestamps, and IAM policy documents,
 * which the API sends URL-encoded and the CLI prints as JSON objects.
 */

/** A copy of an SDK output as the CLI would print it: no `$metadata`, no undefined fields, Dates as ISO strings. */
export function toCliJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toCliJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$metadata' || v === undefined) continue;
    out[k] = toCliJson(v);
  }
  return out;
}


const ACCOUNT_IN_ARN = /^arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/;

/** The account id an ARN names, if any. */
export function accountOfArn(arn: string | undefined): string | undefined {
  return arn ? ACCOUNT_IN_ARN.exec(arn)?.[1] : undefined;
}

/** "arn:...:cluster/prod" -> "prod", "arn:...:role/service-role/web" -> "web"; a bare name stays as it is. */
export function lastSegmentOf(arnOrName: string): string {
  const slash = arnOrName.lastIndexOf('/');
  return slash >= 0 ? arnOrName.slice(slash + 1) : arnOrName;
}
