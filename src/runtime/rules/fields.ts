/**
 * The Falco field names the rule engine knows, each extracted from the shared RuntimeEvent model
 * (src/runtime/events.ts). A field that cannot be extracted from an event yields `undefined`; every
 * comparison on an undefined value is false (as in Falco, where a missing field fails the check), and
 * `exists` is the way to test for presence.
 */
import type { RuntimeEvent, RuntimeEventType } from '../events.js';

export type FieldKind = 'string' | 'number' | 'bool';
export type FieldValue = string | number | boolean | undefined;

/**
 * One event flattened into a fixed-shape object, filled once per event before any rule runs. Sensors
 * build RuntimeEvents of many shapes (optional keys present or not, in different orders); reading them
 * from every compiled comparison makes each property access megamorphic (measured: 4 µs/event for 21
 * rules on a mixed stream, against 1.5 µs when every event has one shape). Reading the event once
 * into this view keeps every comparison monomorphic. Derived strings (cmdline, args) are built lazily.
 */
export class EventView {
  ev: RuntimeEvent | undefined = undefined;
  type: RuntimeEventType = 'exit';
  falcoType = '';
  time = 0;
  sensor = '';
  arg: string | undefined = undefined;
  hasProc = false;
  procName: string | undefined = undefined;
  exepath: string | undefined = undefined;
  argv: string[] | undefined = undefined;
  pid: number | undefined = undefined;
  ppid: number | undefined = undefined;
  pname: string | undefined = undefined;
  pexepath: string | undefined = undefined;
  uid: number | undefined = undefined;
  gid: number | undefined = undefined;
  tty: number | undefined = undefined;
  containerId: string | undefined = undefined;
  containerName: string | undefined = undefined;
  imageRepository: string | undefined = undefined;
  imageTag: string | undefined = undefined;
  imageId: string | undefined = undefined;
  imageDigest: string | undefined = undefined;
  filePath: string | undefined = undefined;
  fileTarget: string | undefined = undefined;
  socket = false;
  l4proto: string | undefined = undefined;
  sip: string | undefined = undefined;
  sport: number | undefined = undefined;
  dip: string | undefined = undefined;
  dport: number | undefined = undefined;
  // lazily derived
  private shortIdOf: string | undefined = undefined;
  private shortIdStr = '';
  private argsDone = false;
  private argsStr = '';
  private cmdlineStr = '';

  load(ev: RuntimeEvent): this {
    this.ev = ev;
    const type = ev.type;
    this.type = type;
    this.falcoType = FALCO_EVENT_TYPE[type];
    this.time = ev.time;
    this.sensor = ev.sensor;
    const arg = ev.arg;
    this.arg = arg === undefined ? undefined : typeof arg === 'string' ? arg : String(arg);
    const p = ev.proc;
    if (p !== undefined) {
      this.hasProc = true;
      this.procName = p.name;
      this.exepath = p.exepath;
      this.argv = p.args;
      this.pid = p.pid;
      this.ppid = p.ppid;
      this.pname = p.pname;
      this.pexepath = p.pexepath;
      this.uid = p.uid;
      this.gid = p.gid;
      this.tty = p.tty === undefined ? undefined : p.tty ? 1 : 0;
    } else {
      this.hasProc = false;
      this.procName = this.exepath = this.pname = this.pexepath = undefined;
      this.argv = undefined;
      this.pid = this.ppid = this.uid = this.gid = this.tty = undefined;
    }
    this.argsDone = false;
    const c = ev.container;
    if (c !== undefined) {
      this.containerId = c.id;
      this.containerName = c.name;
      this.imageRepository = c.imageRepository;
      this.imageTag = c.imageTag;
      this.imageId = c.imageId;
      this.imageDigest = c.imageDigest;
    } else {
      this.containerId = this.containerName = this.imageRepository = this.imageTag = this.imageId = this.imageDigest = undefined;
    }
    const f = ev.file;
    if (f !== undefined) {
      this.filePath = f.path;
      this.fileTarget = f.target;
    } else this.filePath = this.fileTarget = undefined;
    const n = ev.net;
    if (n !== undefined) {
      this.socket = type === 'connect' || type === 'accept' || type === 'listen';
      this.l4proto = n.protocol;
      this.sip = n.sip;
      this.sport = n.sport;
      this.dip = n.dip;
      this.dport = n.dport;
    } else {
      this.socket = false;
      this.l4proto = this.sip = this.dip = undefined;
      this.sport = this.dport = undefined;
    }
    return this;
  }

  private joinArgs(): void {
    this.argsDone = true;
    const argv = this.argv;
    this.argsStr = argv === undefined || argv.length <= 1 ? '' : argv.slice(1).join(' ');
    // Falco prints proc.cmdline as the process name (comm), a space, then the arguments.
    this.cmdlineStr = this.argsStr === '' ? (this.procName ?? '') : `${this.procName ?? ''} ${this.argsStr}`;
  }

  /** Falco's container.id: the 12-character short id, "host" outside containers. */
  shortId(): string {
    const id = this.containerId;
    if (id === undefined) return 'host';
    if (id !== this.shortIdOf) {
      this.shortIdOf = id;
      this.shortIdStr = id.slice(0, 12);
    }
    return this.shortIdStr;
  }

  cmdline(): string | undefined {
    if (!this.hasProc) return undefined;
    if (!this.argsDone) this.joinArgs();
    return this.cmdlineStr;
  }

  args(): string | undefined {
    if (!this.hasProc) return undefined;
    if (!this.argsDone) this.joinArgs();
    return this.argsStr;
  }
}

export interface FieldDef {
  name: string;
  kind: FieldKind;
  get: (v: EventView) => FieldValue;
}

/**
 * Our event types under Falco's syscall names. Opens map to `openat` (what glibc and musl call for
 * open(2) today); rules that list `(open, openat, openat2)`, as Falco's own rules do, match either way.
 * Engine lifecycle events are Falco's `container` meta event.
 */
export const FALCO_EVENT_TYPE: Readonly<Record<RuntimeEventType, string>> = {
  exec: 'execve',
  exit: 'procexit',
  connect: 'connect',
  accept: 'accept',
  listen: 'listen',
  open_write: 'openat',
  open_read: 'openat',
  rename: 'rename',
  unlink: 'unlinkat',
  chmod: 'chmod',
  setuid: 'setuid',
  setgid: 'setgid',
  ptrace: 'ptrace',
  mount: 'mount',
  module_load: 'init_module',
  container_start: 'container',
  container_stop: 'container',
  container_exec: 'container',
};

/** Every Falco event-type name some RuntimeEvent can carry. */
export const KNOWN_FALCO_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(FALCO_EVENT_TYPE));

/** fd.name as Falco prints it: the file path, or "sip:sport->dip:dport" (listen: "sip:sport"). */
function fdName(v: EventView): string | undefined {
  if (v.filePath !== undefined) return v.filePath;
  if (v.l4proto === undefined) return undefined;
  const local = `${v.sip ?? ''}:${v.sport ?? ''}`;
  if (v.type === 'listen' || v.dip === undefined) return local;
  return `${local}->${v.dip}:${v.dport ?? ''}`;
}

function fdDirectory(v: EventView): string | undefined {
  const p = v.filePath;
  if (p === undefined) return undefined;
  const i = p.lastIndexOf('/');
  if (i < 0) return undefined;
  return i === 0 ? '/' : p.slice(0, i);
}

function fdFilename(v: EventView): string | undefined {
  const p = v.filePath;
  if (p === undefined) return undefined;
  return p.slice(p.lastIndexOf('/') + 1);
}

function fdTypechar(v: EventView): string | undefined {
  if (v.filePath !== undefined) return 'f';
  if (!v.socket) return undefined;
  const ip = v.sip ?? v.dip ?? '';
  return ip.includes(':') ? '6' : '4';
}

const DEFS: FieldDef[] = [
  { name: 'evt.type', kind: 'string', get: (v) => v.falcoType },
  { name: 'evt.time', kind: 'string', get: (v) => new Date(v.time).toISOString() },
  { name: 'evt.rawtime', kind: 'number', get: (v) => v.time * 1e6 },
  { name: 'evt.is_open_write', kind: 'bool', get: (v) => v.type === 'open_write' },
  { name: 'evt.is_open_read', kind: 'bool', get: (v) => v.type === 'open_read' },
  { name: 'evt.arg', kind: 'string', get: (v) => v.arg },
  { name: 'evt.source', kind: 'string', get: (v) => v.sensor },
  // Sensors report completed syscalls: every event is an exit event, as Falco's `evt.dir = <`.
  { name: 'evt.dir', kind: 'string', get: () => '<' },

  { name: 'proc.name', kind: 'string', get: (v) => v.procName },
  { name: 'proc.exepath', kind: 'string', get: (v) => v.exepath },
  { name: 'proc.exe', kind: 'string', get: (v) => v.argv?.[0] ?? v.exepath },
  { name: 'proc.cmdline', kind: 'string', get: (v) => v.cmdline() },
  { name: 'proc.args', kind: 'string', get: (v) => v.args() },
  { name: 'proc.pid', kind: 'number', get: (v) => v.pid },
  { name: 'proc.ppid', kind: 'number', get: (v) => v.ppid },
  { name: 'proc.pname', kind: 'string', get: (v) => v.pname },
  { name: 'proc.pexepath', kind: 'string', get: (v) => v.pexepath },
  // Falco's proc.tty is the controlling terminal's device number (0 = none); ours is a flag: 1 or 0.
  { name: 'proc.tty', kind: 'number', get: (v) => v.tty },

  { name: 'user.uid', kind: 'number', get: (v) => v.uid },
  { name: 'group.gid', kind: 'number', get: (v) => v.gid },

  // Falco's container.id is the 12-character short id, and "host" for events outside any container.
  { name: 'container.id', kind: 'string', get: (v) => v.shortId() },
  { name: 'container.full_id', kind: 'string', get: (v) => v.containerId ?? 'host' },
  { name: 'container.name', kind: 'string', get: (v) => (v.containerId === undefined ? 'host' : v.containerName) },
  {
    name: 'container.image',
    kind: 'string',
    get: (v) => (v.imageRepository === undefined ? undefined : v.imageTag === undefined ? v.imageRepository : `${v.imageRepository}:${v.imageTag}`),
  },
  { name: 'container.image.repository', kind: 'string', get: (v) => v.imageRepository },
  { name: 'container.image.tag', kind: 'string', get: (v) => v.imageTag },
  { name: 'container.image.id', kind: 'string', get: (v) => v.imageId },
  { name: 'container.image.digest', kind: 'string', get: (v) => v.imageDigest },

  { name: 'fd.name', kind: 'string', get: fdName },
  { name: 'fd.directory', kind: 'string', get: fdDirectory },
  { name: 'fd.filename', kind: 'string', get: fdFilename },
  { name: 'fd.typechar', kind: 'string', get: fdTypechar },
  { name: 'fd.l4proto', kind: 'string', get: (v) => (v.socket ? v.l4proto : undefined) },
  { name: 'fd.sip', kind: 'string', get: (v) => v.sip },
  { name: 'fd.sport', kind: 'number', get: (v) => v.sport },
  { name: 'fd.dip', kind: 'string', get: (v) => v.dip },
  { name: 'fd.dport', kind: 'number', get: (v) => v.dport },
  { name: 'fs.path.name', kind: 'string', get: (v) => v.filePath },
  { name: 'fs.path.target', kind: 'string', get: (v) => v.fileTarget },
];

export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(DEFS.map((d) => [d.name, d]));

/** The value of a Falco field on an event (undefined when the field is unknown or not extractable). */
export function fieldValue(name: string, ev: RuntimeEvent): FieldValue {
  return FIELDS.get(name)?.get(new EventView().load(ev));
}
