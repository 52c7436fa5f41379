import type Docker from 'dockerode';
import type { Severity } from '../core/finding.js';

/**
 * What the host audit reads: a root filesystem (the live `/`, or one mounted elsewhere with --root),
 * the daemon's command line and daemon.json, and the Engine API when a daemon answers.
 */
export interface HostView {
  /** The root the audit reads files under: "/" or the --root directory. All paths below are host paths ("/etc/docker/daemon.json"). */
  root: string;
  /** File content (host path), or undefined when absent or unreadable. Bounded size. */
  readFile(path: string): Promise<Buffer | undefined>;
  /** lstat of a host path (no symlink following), or undefined. */
  lstat(path: string): Promise<HostFileStat | undefined>;
  /** stat following symlinks inside the root, or undefined. */
  stat(path: string): Promise<HostFileStat | undefined>;
  /** Entry names of a directory, or undefined when absent. */
  readdir(path: string): Promise<string[] | undefined>;
  /** The running dockerd, found through <root>/proc, if any. */
  daemon?: DaemonProcess;
  /** daemon.json (from --config-file on the command line, else /etc/docker/daemon.json), parsed; undefined when absent. */
  daemonJson?: Record<string, unknown>;
  /** Where daemon.json was read from, when it was. */
  daemonJsonPath?: string;
  /** Why daemon.json could not be used (malformed, too large, not a file); the 2.x details say so. */
  daemonJsonError?: string;
  /** The real file a host path names after symlinks inside the root (so one file seen by two paths counts once). */
  resolvePath?(path: string): Promise<string | undefined>;
  /** The Engine API, when a daemon answers; undefined otherwise (daemon-dependent checks say so). */
  engine?: EngineFacts;
}

export interface HostFileStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  type: 'file' | 'dir' | 'symlink' | 'socket' | 'other';
  /** Owner and group names from the root's /etc/passwd and /etc/group, when known. */
  user?: string;
  group?: string;
}

export interface DaemonProcess {
  pid: number;
  /** argv of dockerd as /proc/<pid>/cmdline has it (argv[0] included). */
  argv: string[];
}

/**
 * Everything the audit needs from the Engine API, fetched once: `docker info`, `docker version`, the
 * image list, and one inspect per running container. `calls` counts the API requests made.
 */
export interface EngineFacts {
  address: string;
  info: Record<string, any>;
  version: Record<string, any>;
  images: Docker.ImageInfo[];
  /** Every container (running or not) from the list call. */
  containers: Docker.ContainerInfo[];
  /** Inspect of each running container. */
  inspects: Docker.ContainerInspectInfo[];
  /** Inspect of each listed image (Config.Healthcheck, Config.User), for CIS 4.6; absent when not fetched. */
  imageInspects?: Docker.ImageInspectInfo[];
  /** `GET /images/{id}/history` of each listed image, keyed by image Id (newest entry first), for CIS 4.7/4.9. */
  imageHistories?: Record<string, ImageHistoryEntry[]>;
  /** Docker CIS 2.x/5.x need the default seccomp/AppArmor state and the security options: in `info.SecurityOptions`. */
  calls: number;
}

/** One entry of `GET /images/{id}/history`. */
export interface ImageHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** docker-bench-security's verdict words. */
export type Verdict = 'PASS' | 'WARN' | 'INFO' | 'NOTE';

/** One check of the audit, as data: CIS Docker Benchmark v1.6 id and title (see the reference TSV). */
export interface HostCheckMeta {
  /** CIS id, e.g. "2.2", "5.5"; footprint checks use "F.n" ids (Bulwark's own). */
  id: string;
  title: string;
  /** "Automated" or "Manual", as the benchmark labels it. */
  assessment: 'Automated' | 'Manual';
  /** Severity of a WARN as a finding. */
  severity: Severity;
  rationale: string;
  remediation: string;
  references: string[];
  /** True when the check needs the Engine API. */
  needsEngine: boolean;
}

/** One check's outcome: docker-bench-security's result, details and items (e.g. offending containers). */
export interface CheckResult {
  id: string;
  verdict: Verdict;
  /** One line: what was found ("Container: web (privileged)" / "daemon.json sets icc: false"). */
  details?: string;
  /** The objects a WARN is about: container names, file paths, users. */
  items?: string[];
}

/** A check: its metadata and the function that gives its one result (items list what a WARN is about). */
export interface HostCheck {
  meta: HostCheckMeta;
  run(view: HostView): Promise<CheckResult> | CheckResult;
}
