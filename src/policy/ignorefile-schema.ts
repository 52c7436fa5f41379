import { z } from 'zod';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a YYYY-MM-DD calendar date; undefined for anything else (2024-02-30 included). */
export function utcDay(text: string): number | undefined {
  const m = DAY.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day ? time : undefined;
}

const globList = z.array(z.string().trim().min(1, 'a glob may not be empty')).min(1, 'give at least one glob or leave the key out');

// Strict: a misspelt key ("expire", "purl") must be an error, not an entry that silently never expires or
// suppresses more than meant.
export const ignoreEntrySchema = z
  .object({
    id: z.string().trim().min(1, 'id may not be empty'),
    purls: globList.optional(),
    paths: globList.optional(),
    reason: z.string().optional(),
    expires: z
      .string()
      .refine((s) => utcDay(s) !== undefined, 'expected a date as YYYY-MM-DD')
      .optional(),
  })
  .strict();

export const ignoreDocumentSchema = z.object({ ignores: z.array(ignoreEntrySchema).nullable() }).strict();
export const ignoreListSchema = z.array(ignoreEntrySchema);

export type IgnoreEntryInput = z.infer<typeof ignoreEntrySchema>;
