/**
 * Refreshes data/k8s/kubernetes-eol.json from endoflife.date's API and prints what changed, cycle by cycle:
 *
 *   node --import tsx scripts/update-k8s-eol-data.ts [--url https://endoflife.date/api/kubernetes.json]
 *        [--to data/k8s/kubernetes-eol.json] [--dry-run]
 *
 * The document is validated (the same zod schema the scanner uses) before anything is written, and written
 * through a temporary file and a rename, so a failed or partial download never leaves a broken data file.
 * At run time BULWARK_K8S_EOL_DATA can point the scanner at a file written elsewhere.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { isBulwarkError } from '../src/core/errors.js';
import { SHIPPED_K8S_EOL_FILE, parseK8sEolData, type K8sEolData } from '../src/k8s/orchestrator/eol-data.js';

const MAX_BYTES = 2 * 1024 * 1024;

async function download(url: string): Promise<string> {
  const res = await request(url, { headersTimeout: 30_000, bodyTimeout: 30_000, headers: { accept: 'application/json' } });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`${url}: HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length;
    if (total > MAX_BYTES) throw new Error(`${url}: response larger than ${MAX_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function diff(before: K8sEolData | undefined, after: K8sEolData): string[] {
  const lines: string[] = [];
  for (const [cycle, next] of after.cycles) {
    const old = before?.cycles.get(cycle);
    if (!old) lines.push(`+ ${cycle}: released ${next.releaseDate}, eol ${String(next.eol)}, latest ${next.latest}`);
    else if (JSON.stringify(old) !== JSON.stringify(next)) lines.push(`~ ${cycle}: latest ${old.latest} -> ${next.latest}, eol ${String(old.eol)} -> ${String(next.eol)}`);
  }
  for (const cycle of before?.cycles.keys() ?? []) if (!after.cycles.has(cycle)) lines.push(`- ${cycle}`);
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'https://endoflife.date/api/kubernetes.json' },
      to: { type: 'string', default: SHIPPED_K8S_EOL_FILE },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const to = resolve(values.to!);
  const text = await download(values.url!);
  const next = parseK8sEolData(text, values.url!);
  const before = existsSync(to) ? parseK8sEolData(readFileSync(to, 'utf8'), to) : undefined;
  const lines = diff(before, next);
  console.log(lines.length ? lines.join('\n') : 'kubernetes: no changes');
  if (values['dry-run'] || lines.length === 0) return;
  const cycles = [...next.cycles.values()];
  const tmp = `${to}.tmp-${process.pid}`;
  writeFileSync(tmp, `[\n${cycles.map((c) => `  ${JSON.stringify(c)}`).join(',\n')}\n]\n`);
  renameSync(tmp, to);
  console.log(`wrote ${to} (${cycles.length} cycles); update data/k8s/README.md's provenance line`);
}

main().catch((e: unknown) => {
  console.error(`update-k8s-eol-data: ${isBulwarkError(e) || e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
