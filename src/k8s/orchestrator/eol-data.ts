import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';

/** Environment variable naming an updated kubernetes.json that replaces the shipped one. */
export const K8S_EOL_DATA_ENV = 'BULWARK_K8S_EOL_DATA';

/** data/k8s/kubernetes-eol.json at the package root: three levels up from both src/k8s/orchestrator and dist/k8s/orchestrator. */
export const SHIPPED_K8S_EOL_FILE = fileURLToPath(new URL('../../../data/k8s/kubernetes-eol.json', import.meta.url));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');
const dateOrFlag = z.union([isoDate, z.boolean()]);

/** One release cycle as endoflife.date's API gives it (unknown extra fields are kept out). */
export const k8sEolCycle = z.object({
  cycle: z.string().regex(/^\d+\.\d+$/, 'expected a cycle like "1.30"'),
  releaseDate: isoDate,
  eol: dateOrFlag,
  latest: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version like "1.30.14"'),
  latestReleaseDate: isoDate.optional(),
  support: dateOrFlag.optional(),
  lts: z.boolean().optional(),
});
export const k8sEolDocument = z.array(k8sEolCycle).min(1, 'no release cycles');

export type K8sEolCycle = z.infer<typeof k8sEolCycle>;

export interface K8sEolData {
  /** The file the cycles came from. */
  source: string;
  cycles: Map<string, K8sEolCycle>;
}

/** Validates an endoflife.date kubernetes document; a problem is one line naming the file and the field. */
export function parseK8sEolData(text: string, file: string): K8sEolData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('E_FORMAT', `${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = k8sEolDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BulwarkError('E_FORMAT', `${file}: Kubernetes end-of-life data: ${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  const cycles = new Map<string, K8sEolCycle>();
  for (const c of parsed.data) {
    if (cycles.has(c.cycle)) throw new BulwarkError('E_FORMAT', `${file}: Kubernetes end-of-life data: cycle ${c.cycle} is listed twice`);
    cycles.set(c.cycle, c);
  }
  return { source: file, cycles };
}

/** The shipped data, or the file $BULWARK_K8S_EOL_DATA (or `file`) names instead. */
export function loadK8sEolData(file: string | undefined = process.env[K8S_EOL_DATA_ENV] || undefined): K8sEolData {
  const path = file ?? SHIPPED_K8S_EOL_FILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BulwarkError('E_INPUT', `Kubernetes end-of-life data ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseK8sEolData(text, path);
}

/** The date a cycle's end of life falls on, or undefined when the data says only false (not announced). */
export function eolDateOf(c: K8sEolCycle): string | undefined {
  return typeof c.eol === 'string' ? c.eol : undefined;
}
