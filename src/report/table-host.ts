import type { HostCheckOutcome, HostVerdict, ImageScanResult } from '../core/scan-result.js';
import { ansiStyle, plainStyle, type Style } from './text-table.js';

function verdictTag(verdict: HostVerdict, style: Style): string {
  const tag = `[${verdict}]`;
  return verdict === 'WARN' ? style.colour('red', tag) : verdict === 'NOTE' ? style.colour('yellow', tag) : verdict === 'INFO' ? style.colour('blue', tag) : style.bold(tag);
}

function outcomeLines(o: HostCheckOutcome, style: Style, suppressed: Set<string>): string[] {
  const tag = verdictTag(o.verdict, style);
  const out = [`${tag} ${o.id} - ${o.title}`];
  if (o.details) out.push(`${tag}      * ${o.details}`);
  for (const item of o.items ?? []) out.push(`${tag}      * ${item}${suppressed.has(`${o.id} ${item}`) ? style.dim(' (suppressed)') : ''}`);
  return out;
}

/**
 * `bulwark host`'s table: docker-bench-security's layout ([VERDICT] id - title, details and items
 * indented under it), so the two reports compare line by line, then the counts and the score.
 */
export function renderHostTable(result: ImageScanResult, options: { color?: boolean } = {}): string {
  const style = options.color ? ansiStyle : plainStyle;
  const audit = result.hostAudit;
  if (!audit) return '';
  const suppressed = new Set(result.findings.filter((f) => f.suppressed).map((f) => f.location.resource ?? ''));
  const out: string[] = [];
  const engine = audit.engine;
  out.push(`${style.bold('Host')}    ${result.artifact.reference} (root ${audit.root})`);
  out.push(`${style.bold('Daemon')}  ${audit.daemon ? `dockerd pid ${audit.daemon.pid}` : 'no dockerd process found'}`);
  out.push(`${style.bold('Engine')}  ${engine ? `${engine.address}, Docker ${engine.version ?? '?'} (API ${engine.apiVersion ?? '?'}), ${engine.runningContainers} running containers, ${engine.calls} API requests` : 'not reachable: daemon-dependent checks are INFO'}`);
  out.push(`${style.bold('Checks')}  ${audit.benchmark}`);
  for (const section of audit.sections) {
    out.push('', `${verdictTag('INFO', style)} ${section.id} - ${section.title}`);
    for (const o of section.results) out.push(...outcomeLines(o, style, suppressed));
  }
  const all = audit.sections.flatMap((s) => s.results);
  const count = (v: HostVerdict): number => all.filter((o) => o.verdict === v).length;
  out.push('', `${verdictTag('INFO', style)} Checks: ${audit.checks} (PASS ${count('PASS')}, WARN ${count('WARN')}, INFO ${count('INFO')}, NOTE ${count('NOTE')})`);
  out.push(`${verdictTag('INFO', style)} Score: ${audit.score}`);
  return `${out.join('\n')}\n`;
}
