/**
 * The one normalized event stream of `bulwark runtime`: every sensor (eBPF, /proc, Docker Engine
 * events) produces these, the attributor fills `container`, and the drift checks, the baselines and the
 * rule engine read them. Field names follow what the Falco-compatible rules ask for (proc.*, fd.*, user.*).
 */

export type RuntimeEventType =
  | 'exec'
  | 'exit'
  | 'connect'
  | 'accept'
  | 'listen'
  | 'open_write'
  | 'open_read'
  | 'rename'
  | 'unlink'
  | 'chmod'
  | 'setuid'
  | 'setgid'
  | 'ptrace'
  | 'mount'
  | 'module_load'
  | 'container_start'
  | 'container_stop'
  | 'container_exec';

export type SensorId = 'ebpf' | 'proc' | 'docker' | 'synthetic';

export interface ProcessInfo {
  pid: number;
  /** Thread-group parent. */
  ppid?: number;
  /** comm / basename of the executable, e.g. "sh". */
  name: string;
  /** Absolute path of the executable when known, e.g. "/usr/bin/dash". */
  exepath?: string;
  /** argv, argv[0] first. */
  args?: string[];
  /** The parent's name (comm), when known. */
  pname?: string;
  /** The parent's executable path, when known. */
  pexepath?: string;
  uid?: number;
  gid?: number;
  /** Whether the process has a controlling terminal (Falco's proc.tty != 0). */
  tty?: boolean;
}

export interface FileInfo {
  /** Absolute path inside the container's view (host path for host events). */
  path: string;
  /** For rename: the new path. */
  target?: string;
  /** For chmod: the new mode. */
  mode?: number;
}

export interface NetInfo {
  /** tcp | udp */
  protocol: 'tcp' | 'udp';
  /** Local (source) address and port. */
  sip?: string;
  sport?: number;
  /** Remote (destination) address and port; for listen, absent. */
  dip?: string;
  dport?: number;
}

export interface ContainerInfo {
  /** 64-hex container id. */
  id: string;
  name?: string;
  /** "registry.example/shop/web" without tag or digest. */
  imageRepository?: string;
  imageTag?: string;
  /** The image ID (config digest) from the engine, "sha256:...": the key of a baseline model. */
  imageId?: string;
  /** A repo digest of the image, "repo@sha256:...", when the engine knows one. */
  imageDigest?: string;
  /** When the container started (ISO 8601): drift compares file times with it. */
  startedAt?: string;
}

export interface RuntimeEvent {
  /** Milliseconds since the epoch. */
  time: number;
  type: RuntimeEventType;
  sensor: SensorId;
  /** The process that caused the event (absent for engine lifecycle events). */
  proc?: ProcessInfo;
  file?: FileInfo;
  net?: NetInfo;
  /** setuid/setgid: the new id; ptrace: the target pid; module_load: the module name; mount: the target. */
  arg?: string | number;
  /** Attributed container; undefined = the host. */
  container?: ContainerInfo;
  /** The raw cgroup path the sensor saw, for attribution ("/docker/<id>", ".../docker-<id>.scope"). */
  cgroup?: string;
}

/** 64-hex container id from a cgroup path (cgroup v1 "/docker/<id>", v2 systemd "docker-<id>.scope"), or undefined. */
export function containerIdFromCgroup(path: string): string | undefined {
  const m = /(?:^|\/)(?:docker[-/])?([0-9a-f]{64})(?:\.scope)?(?:\/|$)/.exec(path);
  return m?.[1];
}
