/**
 * The one alert shape every sink of `bulwark runtime` writes (one JSON object per line): one alert per
 * event, carrying every reason that event raised (a rule, drift, a baseline anomaly), most severe
 * first, so one act (running a package manager) is one alert however many detectors saw it. Field
 * names are stable; optional fields are absent (never null) when unknown, except `container`, which is
 * null for host events. docs/runtime.md documents the shape.
 *
 * {
 *   "time": "2026-11-29T02:52:22.123Z",        // ISO 8601 of the event
 *   "severity": "critical" | "high" | "medium" | "low" | "info",   // the most severe reason's
 *   "priority": "EMERGENCY" .. "DEBUG",       // Falco priority of that reason
 *   "title": "Terminal shell in container",   // that reason's title: rule name | "drift: ..." | "baseline: new ..."
 *   "container": { "id", "name"?, "imageRepository"?, "imageTag"?, "imageId"?, "imageDigest"? } | null,
 *   "event": {
 *     "type": "exec", "sensor": "ebpf",
 *     "proc"?: { "pid", "ppid"?, "name", "exepath"?, "args"?, "pname"?, "uid"? },
 *     "file"?: { "path", "target"?, "mode"? },
 *     "net"?: { "protocol", "sip"?, "sport"?, "dip"?, "dport"? },
 *     "arg"?: string | number
 *   },
 *   "why": [                                   // at least one; most severe first
 *     { "source": "rule", "severity", "rule": "<rule name>", "priority", "output": "<rendered output>", "tags": [...] }
 *     { "source": "drift", "severity", "kind": "binary-not-in-image"|"binary-modified"|"package-manager"|
 *         "write-below-binary-dir", "path": "<file in the container>", "reason": "..." }
 *     { "source": "anomaly", "severity", "model": "sha256:...", "kind": "exec"|"command"|"listen"|"connect"|
 *         "write"|"user"|"rate", "what": "<the behaviour as the model stores it>", "score": 0..100,
 *         "reason": "...", "detail"?: "<raw form>",
 *         "implied"?: [{ "kind", "what" }] }      // more new behaviour of the same event (accepted with it)
 *   ]
 * }
 */
import type { Anomaly } from '../baseline/model.js';
import type { DriftFinding, DriftKind } from '../drift/detector.js';
import { DRIFT_TITLES } from '../drift/detector.js';
import type { ContainerInfo, FileInfo, NetInfo, RuntimeEvent } from '../events.js';
import type { RuleAlert } from '../rules/engine.js';
import type { Priority } from '../rules/load.js';

/** What raised a reason of an alert. */
export type WhySource = 'rule' | 'anomaly' | 'drift';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface AlertContainer {
  id: string;
  name?: string;
  imageRepository?: string;
  imageTag?: string;
  imageId?: string;
  imageDigest?: string;
}

export interface AlertProc {
  pid: number;
  ppid?: number;
  name: string;
  exepath?: string;
  args?: string[];
  pname?: string;
  uid?: number;
}

export interface AlertEvent {
  type: RuntimeEvent['type'];
  sensor: RuntimeEvent['sensor'];
  proc?: AlertProc;
  file?: FileInfo;
  net?: NetInfo;
  arg?: string | number;
}

export interface RuleWhy {
  source: 'rule';
  severity: Severity;
  rule: string;
  priority: Priority;
  output: string;
  tags: string[];
}

export interface AnomalyWhy {
  source: 'anomaly';
  severity: Severity;
  model: string;
  kind: Anomaly['kind'];
  what: string;
  score: number;
  reason: string;
  detail?: string;
  /** Further new behaviour the same event brought, accepted with this one (a new executable's command shape). */
  implied?: Array<{ kind: Anomaly['kind']; what: string }>;
}

export interface DriftWhy {
  source: 'drift';
  severity: Severity;
  kind: DriftKind;
  path: string;
  reason: string;
}

export type Why = RuleWhy | AnomalyWhy | DriftWhy;

export interface Alert {
  time: string;
  severity: Severity;
  priority: Priority;
  title: string;
  container: AlertContainer | null;
  event: AlertEvent;
  why: Why[];
}

const SEVERITY_OF_PRIORITY: Record<Priority, Severity> = {
  EMERGENCY: 'critical',
  ALERT: 'critical',
  CRITICAL: 'critical',
  ERROR: 'high',
  WARNING: 'medium',
  NOTICE: 'low',
  INFORMATIONAL: 'info',
  DEBUG: 'info',
};

const PRIORITY_OF_SEVERITY: Record<Severity, Priority> = {
  critical: 'CRITICAL',
  high: 'ERROR',
  medium: 'WARNING',
  low: 'NOTICE',
  info: 'INFORMATIONAL',
};

const DRIFT_SEVERITY: Record<DriftKind, Severity> = {
  'binary-not-in-image': 'high',
  'binary-modified': 'high',
  'package-manager': 'medium',
  'write-below-binary-dir': 'high',
};

const ANOMALY_TITLE: Record<Anomaly['kind'], string> = {
  exec: 'new executable',
  command: 'new command shape',
  listen: 'new listening port',
  connect: 'new outbound destination',
  write: 'new written directory',
  user: 'new user id',
  rate: 'unusual rate',
};

/** Severity of a baseline anomaly from its score (0..100). */
export function anomalySeverity(score: number): Severity {
  if (score >= 80) return 'high';
  if (score >= 50) return 'medium';
  return 'low';
}

/** The `keys` of `from` that are set (the alert shape has no undefined or null fields). */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

const CONTAINER_KEYS = ['id', 'name', 'imageRepository', 'imageTag', 'imageId', 'imageDigest'] as const;
const PROC_KEYS = ['pid', 'ppid', 'name', 'exepath', 'args', 'pname', 'uid'] as const;

function container(c: ContainerInfo | undefined): AlertContainer | null {
  return c === undefined ? null : pick(c, CONTAINER_KEYS);
}

function event(ev: RuntimeEvent): AlertEvent {
  const out: AlertEvent = { type: ev.type, sensor: ev.sensor };
  if (ev.proc !== undefined) {
    out.proc = pick(ev.proc, PROC_KEYS);
    if (out.proc.args !== undefined) out.proc.args = [...out.proc.args];
  }
  if (ev.file !== undefined) out.file = { ...ev.file };
  if (ev.net !== undefined) out.net = { ...ev.net };
  if (ev.arg !== undefined) out.arg = ev.arg;
  return out;
}

export function ruleWhy(r: RuleAlert): RuleWhy {
  return { source: 'rule', severity: SEVERITY_OF_PRIORITY[r.priority], rule: r.rule, priority: r.priority, output: r.output, tags: [...r.tags] };
}

export function anomalyWhy(a: Anomaly): AnomalyWhy {
  const why: AnomalyWhy = { source: 'anomaly', severity: anomalySeverity(a.score), model: a.model, kind: a.kind, what: a.what, score: a.score, reason: a.reason };
  if (a.detail !== undefined) why.detail = a.detail;
  if (a.implied !== undefined && a.implied.length > 0) why.implied = a.implied.map((i) => ({ ...i }));
  return why;
}

export function driftWhy(f: DriftFinding): DriftWhy {
  return { source: 'drift', severity: DRIFT_SEVERITY[f.kind], kind: f.kind, path: f.path, reason: f.reason };
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
/** At equal severity: drift (a fact about the container) before a rule before a baseline anomaly. */
const SOURCE_RANK: Record<WhySource, number> = { drift: 2, rule: 1, anomaly: 0 };

function whyTitle(w: Why): string {
  if (w.source === 'rule') return w.rule;
  if (w.source === 'drift') return `drift: ${DRIFT_TITLES[w.kind]}`;
  return `baseline: ${ANOMALY_TITLE[w.kind]}`;
}

function whyPriority(w: Why): Priority {
  return w.source === 'rule' ? w.priority : PRIORITY_OF_SEVERITY[w.severity];
}

/**
 * The alert for one event and its reasons (at least one): the reasons sorted most severe first, the
 * alert's severity, priority and title taken from the first. `fallback` fills the container when the
 * event lost it (a drift finding knows the attributed one).
 */
export function eventAlert(ev: RuntimeEvent, reasons: readonly Why[], fallback?: ContainerInfo): Alert {
  if (reasons.length === 0) throw new Error('an alert needs at least one reason');
  const why = [...reasons].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || SOURCE_RANK[b.source] - SOURCE_RANK[a.source]);
  const first = why[0]!;
  return {
    time: new Date(ev.time).toISOString(),
    severity: first.severity,
    priority: whyPriority(first),
    title: whyTitle(first),
    container: container(ev.container ?? fallback),
    event: event(ev),
    why,
  };
}
