/**
 * The one alert shape every sink of `bulwark runtime` writes (one JSON object per line). Field names are
 * stable; optional fields are absent (never null) when unknown, except `container`, which is null for
 * host events.
 *
 * {
 *   "time": "2026-11-29T02:52:22.123Z",        // ISO 8601 of the event
 *   "kind": "rule" | "anomaly" | "drift",
 *   "severity": "critical" | "high" | "medium" | "low" | "info",
 *   "priority": "EMERGENCY" .. "DEBUG",       // Falco priority: the rule's own, or derived from severity
 *   "title": "Terminal shell in container",   // rule name | "baseline: new <what kind>" | drift title
 *   "container": { "id", "name"?, "imageRepository"?, "imageTag"?, "imageId"?, "imageDigest"? } | null,
 *   "event": {
 *     "type": "exec", "sensor": "ebpf",
 *     "proc"?: { "pid", "ppid"?, "name", "exepath"?, "args"?, "pname"?, "uid"? },
 *     "file"?: { "path", "target"?, "mode"? },
 *     "net"?: { "protocol", "sip"?, "sport"?, "dip"?, "dport"? },
 *     "arg"?: string | number
 *   },
 *   "why":
 *     | { "rule": "<rule name>", "output": "<rendered output>", "tags": [...] }                     // kind rule
 *     | { "model": "sha256:...", "kind": "exec"|"command"|"listen"|"connect"|"write"|"user"|"rate",
 *         "what": "<the behaviour as the model stores it>", "score": 0..100, "reason": "...",
 *         "detail"?: "<raw form>" }                                                                // kind anomaly
 *     | { "kind": "binary-not-in-image"|"binary-modified"|"package-manager"|"write-below-binary-dir",
 *         "path": "<file in the container>", "reason": "..." }                                     // kind drift
 * }
 */
import type { Anomaly } from '../baseline/model.js';
import type { DriftFinding, DriftKind } from '../drift/detector.js';
import { DRIFT_TITLES } from '../drift/detector.js';
import type { ContainerInfo, FileInfo, NetInfo, RuntimeEvent } from '../events.js';
import type { RuleAlert } from '../rules/engine.js';
import type { Priority } from '../rules/load.js';

export type AlertKind = 'rule' | 'anomaly' | 'drift';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const ALERT_KINDS: readonly AlertKind[] = ['rule', 'anomaly', 'drift'];

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
  rule: string;
  output: string;
  tags: string[];
}

export interface AnomalyWhy {
  model: string;
  kind: Anomaly['kind'];
  what: string;
  score: number;
  reason: string;
  detail?: string;
}

export interface DriftWhy {
  kind: DriftKind;
  path: string;
  reason: string;
}

export interface Alert {
  time: string;
  kind: AlertKind;
  severity: Severity;
  priority: Priority;
  title: string;
  container: AlertContainer | null;
  event: AlertEvent;
  why: RuleWhy | AnomalyWhy | DriftWhy;
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

function container(c: ContainerInfo | undefined): AlertContainer | null {
  if (c === undefined) return null;
  const out: AlertContainer = { id: c.id };
  if (c.name !== undefined) out.name = c.name;
  if (c.imageRepository !== undefined) out.imageRepository = c.imageRepository;
  if (c.imageTag !== undefined) out.imageTag = c.imageTag;
  if (c.imageId !== undefined) out.imageId = c.imageId;
  if (c.imageDigest !== undefined) out.imageDigest = c.imageDigest;
  return out;
}

function event(ev: RuntimeEvent): AlertEvent {
  const out: AlertEvent = { type: ev.type, sensor: ev.sensor };
  const p = ev.proc;
  if (p !== undefined) {
    const proc: AlertProc = { pid: p.pid, name: p.name };
    if (p.ppid !== undefined) proc.ppid = p.ppid;
    if (p.exepath !== undefined) proc.exepath = p.exepath;
    if (p.args !== undefined) proc.args = [...p.args];
    if (p.pname !== undefined) proc.pname = p.pname;
    if (p.uid !== undefined) proc.uid = p.uid;
    out.proc = proc;
  }
  if (ev.file !== undefined) out.file = { ...ev.file };
  if (ev.net !== undefined) out.net = { ...ev.net };
  if (ev.arg !== undefined) out.arg = ev.arg;
  return out;
}

function base(ev: RuntimeEvent, kind: AlertKind, severity: Severity, priority: Priority, title: string): Omit<Alert, 'why'> {
  return { time: new Date(ev.time).toISOString(), kind, severity, priority, title, container: container(ev.container), event: event(ev) };
}

export function ruleToAlert(r: RuleAlert): Alert {
  return { ...base(r.event, 'rule', SEVERITY_OF_PRIORITY[r.priority], r.priority, r.rule), why: { rule: r.rule, output: r.output, tags: [...r.tags] } };
}

export function anomalyToAlert(a: Anomaly, ev: RuntimeEvent): Alert {
  const severity = anomalySeverity(a.score);
  const why: AnomalyWhy = { model: a.model, kind: a.kind, what: a.what, score: a.score, reason: a.reason };
  if (a.detail !== undefined) why.detail = a.detail;
  return { ...base(ev, 'anomaly', severity, PRIORITY_OF_SEVERITY[severity], `baseline: ${ANOMALY_TITLE[a.kind]}`), why };
}

export function driftToAlert(f: DriftFinding): Alert {
  const severity = DRIFT_SEVERITY[f.kind];
  const a = { ...base(f.event, 'drift', severity, PRIORITY_OF_SEVERITY[severity], `drift: ${DRIFT_TITLES[f.kind]}`), why: { kind: f.kind, path: f.path, reason: f.reason } };
  // The finding's container is the attributed one; prefer it when the event lost it.
  if (a.container === null) a.container = container(f.container);
  return a;
}
