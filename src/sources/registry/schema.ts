import { z } from 'zod';

export const tokenResponseSchema = z
  .object({ token: z.string().optional(), access_token: z.string().optional() })
  .passthrough();
