import type { z } from 'zod';

/** JSON.parse plus a zod schema; throws an Error whose message says what is wrong (no path). */
export function parseJson<T extends z.ZodTypeAny>(content: Buffer, schema: T): z.infer<T> {
  let data: unknown;
  try {
    data = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`unexpected structure${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`);
  }
  return result.data;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
