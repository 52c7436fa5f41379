import { findingFingerprint, type Finding } from '../core/finding.js';
import type { HostAuditReport, HostCheckOutcome, ImageScanResult } from '../core/scan-result.js';
import { REPORT_SCHEMA_VERSION } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import type { HostCheck, HostView } from '../host/types.js';
import { BENCHMARK, SECTIONS, compareCheckIds, hostFindingId, sectionOf } from '../modules/rules/host/sections.js';

const NO_ENGINE = 'no Docker daemon reachable: not checked';

/** One check's outcome; a check that throws is reported as INFO naming the failure, the audit goes on. */
async function runCheck(check: HostCheck, view: HostView): Promise<HostCheckOutcome> {
  const { meta } = check;
  const base = { id: meta.id, title: meta.title, assessment: meta.assessment };
  if (meta.needsEngine && !view.engine) return { ...base, verdict: 'INFO', details: NO_ENGINE };
  try {
    const r = await check.run(view);
    return {
      ...base,
      verdict: r.verdict,
      ...(r.details ? { details: r.details } : {}),
      ...(r.items?.length ? { items: [...r.items] } : {}),
    };
  } catch (e) {
    return { ...base, verdict: 'INFO', details: `could not check: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** One finding per WARN, or per item of a WARN that lists what it is about (so each can be ignored on its own). */
function findingsOf(outcome: HostCheckOutcome, check: HostCheck, target: string): Finding[] {
  if (outcome.verdict !== 'WARN') return [];
  const { meta } = check;
  const id = hostFindingId(meta.id);
  const subjects = outcome.items?.length ? outcome.items : [undefined];
  return subjects.map((item) => ({
    id,
    kind: 'misconfiguration' as const,
    severity: meta.severity,
    stackLayer: 'host' as const,
    target,
    location: { resource: item ? `${meta.id} ${item}` : meta.id },
    title: meta.title,
    description: item ? `${outcome.details ?? meta.title} (${item})` : (outcome.details ?? meta.title),
    aliases: [],
    references: [...meta.references],
    remediation: meta.remediation,
    fingerprint: findingFingerprint('misconfiguration', id, target, item ?? ''),
  }));
}

export interface HostAuditOptions {
  /** What the report calls the host: the hostname, or the --root directory. */
  target: string;
  checks: readonly HostCheck[];
}

/** Runs every check (in parallel: they only read) and builds the report, sections in benchmark order. */
export async function auditHost(view: HostView, options: HostAuditOptions): Promise<ImageScanResult> {
  const checks = [...options.checks].sort((a, b) => compareCheckIds(a.meta.id, b.meta.id));
  const outcomes = await Promise.all(checks.map((c) => runCheck(c, view)));
  const sections = SECTIONS.map((s) => ({ ...s, results: outcomes.filter((o) => sectionOf(o.id) === s.id) })).filter((s) => s.results.length > 0);
  const score = outcomes.reduce((n, o) => n + (o.assessment !== 'Automated' ? 0 : o.verdict === 'PASS' ? 1 : o.verdict === 'WARN' ? -1 : 0), 0);
  const engine = view.engine;
  const audit: HostAuditReport = {
    benchmark: BENCHMARK,
    root: view.root,
    ...(view.daemon ? { daemon: { pid: view.daemon.pid, argv: [...view.daemon.argv] } } : {}),
    ...(engine
      ? {
          engine: {
            address: engine.address,
            ...(typeof engine.version.Version === 'string' ? { version: engine.version.Version } : {}),
            ...(typeof engine.version.ApiVersion === 'string' ? { apiVersion: engine.version.ApiVersion } : {}),
            calls: engine.calls,
            runningContainers: engine.inspects.length,
          },
        }
      : {}),
    sections,
    checks: outcomes.length,
    score,
  };
  const findings = checks.flatMap((c, i) => findingsOf(outcomes[i]!, c, options.target));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: toolVersion() },
    createdAt: new Date().toISOString(),
    artifact: { reference: options.target, source: 'host', repoTags: [], repoDigests: [], layers: [] },
    packages: [],
    notices: view.engine ? [] : [{ level: 'info', detector: 'host', message: `${NO_ENGINE}; the daemon-dependent checks are INFO` }],
    scanners: ['host'],
    findings,
    hostAudit: audit,
  };
}
