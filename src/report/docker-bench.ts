import type { ImageScanResult } from '../core/scan-result.js';

/**
 * docker-bench-security's JSON layout (its `-l FILE` writes FILE.json), for dashboards that read it:
 * `tests[]` per section with `results[]` of `id`, `desc`, `result`, `details`, `items`, then `checks`,
 * `score` and the start and end times in epoch seconds.
 */
export function renderDockerBenchJson(result: ImageScanResult, started: Date): string {
  const audit = result.hostAudit;
  if (!audit) return '';
  const epoch = (d: Date): number => Math.floor(d.getTime() / 1000);
  const doc = {
    dockerbenchsecurity: `bulwark ${result.tool.version}`,
    start: epoch(started),
    tests: audit.sections.map((s) => ({
      id: s.id,
      desc: s.title,
      results: s.results.map((o) => ({
        id: o.id,
        desc: o.title,
        result: o.verdict,
        ...(o.details !== undefined || o.items?.length ? { details: o.items?.length ? `${o.details ?? ''}: ${o.items.join(' ')}`.replace(/^: /, '') : o.details } : {}),
        ...(o.items?.length ? { items: o.items } : {}),
      })),
    })),
    checks: audit.checks,
    score: audit.score,
    end: epoch(new Date(result.createdAt)),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
