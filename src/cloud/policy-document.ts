/**
 * An IAM policy document as the object the AWS CLI prints: the CLI gives objects, the raw API
 * URL-encoded JSON strings, hand-made files sometimes plain JSON strings. Left alone when it does not decode.
 */
export function decodePolicyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  for (const text of [value, safeDecode(value)]) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      /* try the next form */
    }
  }
  return value;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
