import type Docker from 'dockerode';
import type { Severity } from '../../../../core/finding.js';
import type { CheckResult, EngineFacts, HostCheck, HostCheckMeta, HostView, Verdict } from '../../../../host/types.js';

export const CIS_DOCKER = 'https://www.cisecurity.org/benchmark/docker';
export const DOCKER_RUN = 'https://docs.docker.com/reference/cli/docker/container/run/';
export const DOCKER_SECURITY = 'https://docs.docker.com/engine/security/';

export type ContainerInspect = Docker.ContainerInspectInfo;

/** Meta as written next to a check: the benchmark's title with its "(Automated)"/"(Manual)" suffix. */
export interface CheckMetaInput {
  id: string;
  /** As the benchmark (and the reference TSV) writes it, suffix included. */
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  references?: string[];
  needsEngine?: boolean;
}

/** Splits the assessment suffix off the benchmark's title; CIS and the Docker reference come first. */
export function defineMeta(input: CheckMetaInput): HostCheckMeta {
  const m = /^(.*\S)\s+\((Automated|Manual)\)$/.exec(input.title);
  if (!m) throw new Error(`check ${input.id}: title must end with (Automated) or (Manual)`);
  return {
    id: input.id,
    title: m[1]!,
    assessment: m[2] as 'Automated' | 'Manual',
    severity: input.severity,
    rationale: input.rationale,
    remediation: input.remediation,
    references: [CIS_DOCKER, ...(input.references ?? [])],
    needsEngine: input.needsEngine ?? true,
  };
}

export function defineCheck(meta: CheckMetaInput, run: (view: HostView) => Promise<CheckResult> | CheckResult): HostCheck {
  return { meta: defineMeta(meta), run };
}

/** A manual check: NOTE with what to review, as docker-bench-security prints it. */
export function manualCheck(meta: CheckMetaInput, guidance: string): HostCheck {
  return defineCheck(meta, () => ({ id: meta.id, verdict: 'NOTE', details: guidance }));
}

/** The name docker ps shows ("/web" -> "web"). */
export function containerName(c: ContainerInspect): string {
  return c.Name.replace(/^\//, '') || c.Id.slice(0, 12);
}

/** The engine facts of a check that declared needsEngine (the runner answers INFO before run() otherwise). */
export function engineOf(view: HostView): EngineFacts {
  if (!view.engine) throw new Error('no Docker daemon reachable');
  return view.engine;
}

export const NO_RUNNING = 'no running containers: nothing to check';

/**
 * docker-bench-security's per-container loop: `problem` says what is wrong with one running container
 * (one string, several, or nothing); any problem gives `verdict` (WARN unless said) with one item per
 * problem, "<name>: <what>", else PASS. No running container: INFO.
 */
export function perContainer(
  view: HostView,
  id: string,
  summary: string,
  problem: (c: ContainerInspect) => string | string[] | undefined,
  verdict: Verdict = 'WARN',
): CheckResult {
  const running = engineOf(view).inspects;
  if (running.length === 0) return { id, verdict: 'INFO', details: NO_RUNNING };
  const items: string[] = [];
  for (const c of sortByName(running)) {
    const found = problem(c);
    for (const what of found === undefined ? [] : Array.isArray(found) ? found : [found]) items.push(`${containerName(c)}: ${what}`);
  }
  if (items.length === 0) return { id, verdict: 'PASS' };
  const count = new Set(items.map((i) => i.slice(0, i.indexOf(':')))).size;
  return { id, verdict, details: `${summary} (${count} of ${running.length} running container${running.length === 1 ? '' : 's'})`, items };
}

export function sortByName(list: readonly ContainerInspect[]): ContainerInspect[] {
  return [...list].sort((a, b) => (containerName(a) < containerName(b) ? -1 : containerName(a) > containerName(b) ? 1 : 0));
}

/** HostConfig.SecurityOpt entries, "key=value" or the legacy "key:value", as [key, value]. */
export function securityOpts(c: ContainerInspect): [string, string][] {
  const raw: unknown = c.HostConfig.SecurityOpt;
  const list = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
  return list.map((s) => {
    const at = s.search(/[=:]/);
    return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + 1)];
  });
}

/** Published host ports: { containerPort "80/tcp", hostIp, hostPort }. */
export function publishedPorts(c: ContainerInspect): { port: string; hostIp: string; hostPort: number }[] {
  const out: { port: string; hostIp: string; hostPort: number }[] = [];
  for (const [port, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const b of bindings ?? []) {
      const hostPort = Number(b.HostPort);
      if (Number.isInteger(hostPort) && hostPort > 0) out.push({ port, hostIp: b.HostIp ?? '', hostPort });
    }
  }
  return out;
}
