// Writes docs/runtime-rules.md from the rule engine and data/runtime/rules/default.yaml: npx tsx test/runtime/gen-rules-doc.ts
// Loader behaviour and operator examples are not described by hand: each is run through the engine and the
// page shows the engine's answer (the generator throws when an example's expected result no longer holds).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RuntimeEvent, RuntimeEventType } from '../../src/runtime/events.js';
import { describeRuleSources, runtimeTypesOf } from '../../src/runtime/rules/describe.js';
import {
  DEFAULT_RULES_FILE,
  FALCO_EVENT_TYPE,
  FIELDS,
  PRIORITIES,
  compileCondition,
  compileRuleSources,
  parseCondition,
} from '../../src/runtime/rules/index.js';
import type { CompareOp } from '../../src/runtime/rules/parser.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RULES_DOC = 'docs/runtime-rules.md';

type SensorName = 'ebpf' | 'proc' | 'docker';
const SENSORS: SensorName[] = ['ebpf', 'proc', 'docker'];

/** Event types each sensor emits; checked against the event-type literals in the sensor's source. */
export const SENSOR_TYPES: Record<SensorName, { file: string; types: RuntimeEventType[] }> = {
  ebpf: {
    file: 'src/runtime/sensors/ebpf.ts',
    types: ['exec', 'exit', 'connect', 'accept', 'listen', 'open_write', 'open_read', 'rename', 'unlink', 'chmod', 'setuid', 'setgid', 'ptrace', 'mount', 'module_load'],
  },
  proc: { file: 'src/runtime/sensors/proc.ts', types: ['exec', 'exit', 'connect', 'listen'] },
  docker: { file: 'src/runtime/sensors/docker.ts', types: ['container_start', 'container_stop', 'container_exec'] },
};

/** evt.arg per event type (what the sensors put there). */
const EVENT_ARG: Record<RuntimeEventType, string> = {
  exec: '—',
  exit: 'exit code (ebpf)',
  connect: '—',
  accept: 'listening socket fd (ebpf)',
  listen: '—',
  open_write: 'open flags (ebpf)',
  open_read: 'open flags (ebpf; credential files only: shadow, gshadow, sudoers, PAM, opasswd, SSH host keys, /root/.ssh)',
  rename: '—',
  unlink: '—',
  chmod: '—',
  setuid: 'new uid',
  setgid: 'new gid',
  ptrace: 'target pid',
  mount: 'mount target',
  module_load: 'module file (from the fd) or name',
  container_start: '—',
  container_stop: 'exit code',
  container_exec: 'the exec command line',
};

const ALL = 'yes';
const PROC_EVENTS = 'process events';
const NONE = '—';
/** [meaning, ebpf, proc, docker] for every field in FIELDS. */
export const FIELD_DOCS: Record<string, [string, string, string, string]> = {
  'evt.type': ['Falco syscall name of the event type (table above)', ALL, ALL, '`container`'],
  'evt.time': ['event time, ISO 8601', ALL, ALL, ALL],
  'evt.rawtime': ['event time in ns since the epoch (ms precision)', ALL, ALL, ALL],
  'evt.is_open_write': ['true on open_write events', ALL, 'never true (no file events)', 'false'],
  'evt.is_open_read': ['true on open_read events', 'credential files only', 'never true', 'false'],
  'evt.arg': ['the event argument (see the evt.arg column above)', 'per type', NONE, 'stop, exec'],
  'evt.source': ['the sensor id: `ebpf`, `proc`, `docker` (`synthetic` in tests); Falco has `syscall` here', ALL, ALL, ALL],
  'evt.dir': ['always `<` (every event is treated as an exit event)', ALL, ALL, ALL],
  'proc.name': ['process name (comm)', PROC_EVENTS, PROC_EVENTS, NONE],
  'proc.exepath': ['executable path (/proc/PID/exe)', PROC_EVENTS, 'exec, exit; net events when the owner is known', NONE],
  'proc.exe': ['argv[0], else proc.exepath', PROC_EVENTS, 'exec; else as proc.exepath', NONE],
  'proc.cmdline': ['proc.name, a space, the arguments (Falco style)', 'exec (args); other events: name only', 'exec (args); other events: name only', NONE],
  'proc.args': ['argv[1..] joined with spaces ("" without arguments)', 'exec', 'exec', NONE],
  'proc.pid': ['process id', PROC_EVENTS, PROC_EVENTS, NONE],
  'proc.ppid': ['parent process id', PROC_EVENTS, 'exec', NONE],
  'proc.pname': ['parent process name', 'when the parent is cached or readable', 'exec, when the parent is known', NONE],
  'proc.pexepath': ['parent executable path', 'exec', 'exec, when the parent is known', NONE],
  'proc.tty': ['1 when the process has a controlling terminal, else 0 (Falco: the tty device number)', 'exec', 'exec', NONE],
  'user.uid': ['user id', PROC_EVENTS, 'exec; connect/listen (socket owner)', NONE],
  'group.gid': ['group id', PROC_EVENTS, 'exec', NONE],
  'container.id': ['12-character container id, `host` outside containers', 'attributor (cgroup)', 'attributor (cgroup)', ALL],
  'container.full_id': ['64-character container id, `host` outside containers', 'attributor', 'attributor', ALL],
  'container.name': ['container name, `host` outside containers', 'attributor', 'attributor', ALL],
  'container.image': ['repository:tag (repository alone without a tag)', 'attributor', 'attributor', ALL],
  'container.image.repository': ['image repository without tag or digest', 'attributor', 'attributor', ALL],
  'container.image.tag': ['image tag', 'attributor', 'attributor', ALL],
  'container.image.id': ['image id (sha256:...)', 'attributor', 'attributor', 'attributor'],
  'container.image.digest': ['a repo digest of the image (repo@sha256:...)', 'attributor', 'attributor', 'attributor'],
  'fd.name': ['file path; for sockets "sip:sport->dip:dport" ("sip:sport" on listen)', 'file and net events', 'connect, listen', NONE],
  'fd.directory': ['directory of the file path', 'file events', NONE, NONE],
  'fd.filename': ['last component of the file path', 'file events', NONE, NONE],
  'fd.typechar': ['`f` for files, `4` or `6` for sockets', 'file and net events', 'connect, listen', NONE],
  'fd.l4proto': ['`tcp` or `udp` on connect/accept/listen', 'tcp only', 'tcp only', NONE],
  'fd.sip': ['local address', 'listen', 'connect, listen', NONE],
  'fd.sport': ['local port', 'listen', 'connect, listen', NONE],
  'fd.dip': ['remote address', 'connect', 'connect', NONE],
  'fd.dport': ['remote port', 'connect', 'connect', NONE],
  'fs.path.name': ['file path (as fd.name on file events)', 'file events', NONE, NONE],
  'fs.path.target': ['new path of a rename', 'rename', NONE, NONE],
};

/** One line per operator; the examples below are what the engine really answers. */
const OPERATOR_DOCS: Record<CompareOp | 'exists', [string, string]> = {
  '=': ['all', 'equal (`==` is accepted too); numbers compare as numbers, bools take `true`/`false`'],
  '!=': ['all', 'not equal; false when the field is absent'],
  '<': ['numeric', 'less than; an error on a string field'],
  '<=': ['numeric', 'less than or equal'],
  '>': ['numeric', 'greater than'],
  '>=': ['numeric', 'greater than or equal'],
  contains: ['string', 'substring, case-sensitive'],
  icontains: ['string', 'substring, case-insensitive'],
  startswith: ['string', 'prefix'],
  endswith: ['string', 'suffix'],
  glob: ['string', 'whole-value glob: `*` and `?` never match `/`, `[abc]`/`[!abc]` classes; no `**`'],
  iglob: ['string', 'glob, case-insensitive'],
  in: ['all', 'equal to one of a list; list names (and lists nested in lists) expand to their items'],
  intersects: ['all', 'same as `in` (every field here has one value)'],
  pmatch: ['string', 'path prefix on whole components: `/usr` matches `/usr` and `/usr/bin/x`, not `/usrx`; components may be globs'],
  exists: ['all', 'the field has a value on this event (`exists` takes no value)'],
};

interface Example {
  cond: string;
  ev: Partial<RuntimeEvent>;
  show: string;
  expect: boolean;
}

const BASE: RuntimeEvent = { time: 1_700_000_000_000, type: 'open_write', sensor: 'synthetic', proc: { pid: 10, name: 'sh', args: ['sh', '-c', 'id'], uid: 0 } };
const f = (path: string): Example['ev'] => ({ file: { path } });
const EXAMPLES: Example[] = [
  { cond: 'fd.name pmatch (/usr)', ev: f('/usr/bin/x'), show: 'fd.name=/usr/bin/x', expect: true },
  { cond: 'fd.name pmatch (/usr)', ev: f('/usr'), show: 'fd.name=/usr', expect: true },
  { cond: 'fd.name pmatch (/usr)', ev: f('/usrx/bin'), show: 'fd.name=/usrx/bin', expect: false },
  { cond: 'fd.name pmatch (/usr/)', ev: f('/usr/lib/a'), show: 'fd.name=/usr/lib/a', expect: true },
  { cond: 'fd.name pmatch (/home/*/.ssh)', ev: f('/home/ann/.ssh/id_rsa'), show: 'fd.name=/home/ann/.ssh/id_rsa', expect: true },
  { cond: 'fd.name glob "/etc/*"', ev: f('/etc/passwd'), show: 'fd.name=/etc/passwd', expect: true },
  { cond: 'fd.name glob "/etc/*"', ev: f('/etc/ssh/sshd_config'), show: 'fd.name=/etc/ssh/sshd_config', expect: false },
  { cond: 'fd.name glob "/etc/**"', ev: f('/etc/ssh/sshd_config'), show: 'fd.name=/etc/ssh/sshd_config', expect: false },
  { cond: 'fd.name iglob "/ETC/PASS?D"', ev: f('/etc/passwd'), show: 'fd.name=/etc/passwd', expect: true },
  { cond: 'proc.name in (sh, bash)', ev: {}, show: 'proc.name=sh', expect: true },
  { cond: 'proc.name in (shells)', ev: {}, show: 'proc.name=sh; list shells: [bash, posix]; list posix: [sh, dash]', expect: true },
  { cond: 'proc.name = shells', ev: {}, show: 'proc.name=sh (a list name after `=` is a plain string)', expect: false },
  { cond: 'proc.args contains "-c i"', ev: {}, show: 'proc.args="-c id"', expect: true },
  { cond: 'proc.cmdline startswith "sh -c"', ev: {}, show: 'proc.cmdline="sh -c id"', expect: true },
  { cond: 'fd.name endswith .conf', ev: f('/etc/x.CONF'), show: 'fd.name=/etc/x.CONF', expect: false },
  { cond: 'user.uid < 1000', ev: {}, show: 'user.uid=0', expect: true },
  { cond: 'user.uid in (0, 1000)', ev: {}, show: 'user.uid=0', expect: true },
  { cond: 'fd.dport >= 1024', ev: {}, show: 'no fd.dport (file event)', expect: false },
  { cond: 'not fd.dport >= 1024', ev: {}, show: 'no fd.dport (file event)', expect: true },
  { cond: 'fd.dport != 443', ev: {}, show: 'no fd.dport (file event)', expect: false },
  { cond: 'fd.dport exists', ev: {}, show: 'no fd.dport (file event)', expect: false },
  { cond: 'proc.tty != 0', ev: {}, show: 'proc.tty not reported by the sensor', expect: false },
  { cond: 'container.id = host', ev: {}, show: 'no container', expect: true },
  { cond: 'evt.type in (open, openat, openat2) and evt.is_open_write = true', ev: f('/tmp/x'), show: 'an open_write event', expect: true },
];
const EXAMPLE_LISTS = new Map([
  ['shells', ['bash', 'posix']],
  ['posix', ['sh', 'dash']],
]);

/** Rule files run through the loader; the page shows what the loader did. */
interface Probe {
  what: string;
  yaml: string;
}
const RULE = (extra: string, name = 'r'): string =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: NOTICE\n${extra}`;
const PROBES: Probe[] = [
  { what: 'a rule with every supported key', yaml: RULE('  tags: [a, b]\n  enabled: true\n  source: syscall\n  warn_evttypes: false\n  skip-if-unknown-filter: false\n  exceptions: []\n') },
  { what: '`priority: info` (any case)', yaml: RULE('').replace('NOTICE', 'info') },
  { what: '`priority: high`', yaml: RULE('').replace('NOTICE', 'high') },
  { what: 'no `desc`', yaml: RULE('').replace('  desc: d\n', '') },
  { what: 'an unknown rule key (`capture`)', yaml: RULE('  capture: true\n') },
  { what: '`append: true` on a rule', yaml: RULE('  append: true\n') },
  { what: '`override:` on a rule', yaml: RULE('  override:\n    condition: append\n') },
  { what: '`append: true` on a list', yaml: '- list: l\n  items: [a]\n  append: true\n' },
  { what: '`source: k8s_audit` (any source but syscall)', yaml: RULE('  source: k8s_audit\n') },
  { what: 'a later `- rule: r` with only `enabled: false`', yaml: `${RULE('')}- rule: r\n  enabled: false\n` },
  { what: 'only `enabled: false` for a rule not defined before', yaml: '- rule: nope\n  enabled: false\n' },
  { what: 'the same rule name twice', yaml: `${RULE('')}${RULE('').replace('execve', 'connect')}` },
  { what: '`required_engine_version` / `required_plugin_versions` items', yaml: `- required_engine_version: 0.31.0\n${RULE('')}` },
  { what: 'another top-level item', yaml: '- version: 2\n' },
  { what: 'an unknown field in the condition', yaml: RULE('').replace('evt.type = execve', 'proc.aname[2] = sh') },
  { what: 'the same with `skip-if-unknown-filter: true`', yaml: RULE('  skip-if-unknown-filter: true\n').replace('evt.type = execve', 'proc.aname[2] = sh') },
  { what: 'an unknown field in the output', yaml: RULE('').replace('output: o', 'output: "%proc.aname"') },
  { what: 'a macro no rule uses, with an unknown field', yaml: `- macro: m\n  condition: k8s.ns.name = x\n${RULE('')}` },
  { what: 'an undefined macro', yaml: RULE('').replace('evt.type = execve', 'spawned_process') },
  { what: 'a macro cycle', yaml: `- macro: a\n  condition: b\n- macro: b\n  condition: a\n${RULE('').replace('evt.type = execve', 'a')}` },
  { what: '`regex` (also `bcontains`, `bstartswith`)', yaml: RULE('').replace('evt.type = execve', 'proc.name regex "s.*"') },
  { what: 'a transformer, `tolower(proc.name)`', yaml: RULE('').replace('evt.type = execve', 'tolower(proc.name) = sh') },
  { what: 'a field on the right side, `val(proc.pname)`', yaml: RULE('').replace('evt.type = execve', 'proc.name = val(proc.pname)') },
  { what: '`contains` on a numeric field', yaml: RULE('').replace('evt.type = execve', 'proc.pid contains 1') },
  { what: 'single-field exception (`fields: proc.name`, comps default `in`)', yaml: RULE('  exceptions:\n    - name: e\n      fields: proc.name\n      values: [sh, bash]\n') },
  { what: 'tuple exception with a list value for `in`', yaml: RULE('  exceptions:\n    - name: e\n      fields: [proc.name, fd.directory]\n      comps: [=, in]\n      values: [[cp, [/bin, /sbin]]]\n') },
  { what: 'exception tuple of the wrong length', yaml: RULE('  exceptions:\n    - name: e\n      fields: [proc.name, fd.directory]\n      values: [[cp]]\n') },
];

function loaderResult(p: Probe): string {
  try {
    const rules = compileRuleSources([{ file: 'my.yaml', text: p.yaml }]);
    if (rules.length === 0) return 'loads; no rule active';
    return `loads: ${rules.map((r) => `"${r.def.name}" ${r.def.priority} on ${r.eventTypes === undefined ? 'any event' : [...r.eventTypes].join(', ')}`).join('; ')}`;
  } catch (e) {
    return `error: \`${(e as Error).message.replace(/\|/g, '\\|')}\``;
  }
}

function checkSensorSources(): void {
  const all = Object.keys(FALCO_EVENT_TYPE) as RuntimeEventType[];
  for (const [sensor, { file, types }] of Object.entries(SENSOR_TYPES)) {
    const src = readFileSync(REPO_ROOT + file, 'utf8');
    const found = all.filter((t) => src.includes(`'${t}'`)).sort();
    if (found.join() !== [...types].sort().join()) {
      throw new Error(`${sensor} sensor (${file}) emits ${found.join(', ')}; SENSOR_TYPES says ${[...types].sort().join(', ')}`);
    }
  }
}

const code = (s: string): string => `\`${s.replace(/\|/g, '\\|')}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderRulesDoc(): string {
  checkSensorSources();
  const fieldNames = [...FIELDS.keys()];
  const missing = fieldNames.filter((n) => !(n in FIELD_DOCS));
  const extra = Object.keys(FIELD_DOCS).filter((n) => !FIELDS.has(n));
  if (missing.length || extra.length) throw new Error(`FIELD_DOCS out of date: missing ${missing.join(', ')}; unknown ${extra.join(', ')}`);
  for (const op of Object.keys(OPERATOR_DOCS)) {
    parseCondition(op === 'exists' ? 'proc.name exists' : ['in', 'intersects', 'pmatch'].includes(op) ? `proc.name ${op} (a)` : `proc.name ${op} a`);
  }
  const unsupported = ['regex', 'bcontains', 'bstartswith'].filter((op) => {
    try {
      parseCondition(`proc.name ${op} a`);
      return false;
    } catch {
      return true;
    }
  });

  const L: string[] = [];
  const p = (...lines: string[]): void => void L.push(...lines);
  p(
    '# Runtime rules reference',
    '',
    '<!-- Generated from src/runtime/rules/ and data/runtime/rules/default.yaml; do not edit by hand.',
    '     Regenerate: npx tsx test/runtime/gen-rules-doc.ts -->',
    '',
    '`bulwark runtime run` evaluates every event from its sensors against Falco-style rules: the shipped',
    'file `data/runtime/rules/default.yaml`, then each `--rules FILE` in the order given. The engine is a',
    'subset of Falco, written for Bulwark\'s event model (`src/runtime/events.ts`); this page lists exactly',
    'what it accepts. Loader results and operator examples below were produced by running the engine.',
    '',
    '## Using your own rules',
    '',
    '```sh',
    'bulwark runtime run --rules my-rules.yaml --rules team.yaml',
    '```',
    '',
    '- `--rules` is repeatable; files load after the shipped file, in the order given, as one set.',
    '- A rule, list or macro with the same name as an earlier one replaces it (a replaced rule keeps its',
    '  original position in the evaluation order). Lists and macros resolve after all files are read.',
    '- `- rule: NAME` with only `enabled: false` (or `true`) switches an earlier rule off (or on).',
    '- Any error stops the agent before it starts, as one line: `FILE:LINE: rule "NAME": what is wrong`.',
    '- Every enabled rule is active: there is no minimum-priority flag on the command line.',
    `- Priorities, most severe first: ${PRIORITIES.map((x) => `\`${x}\``).join(', ')} (case-insensitive; \`INFO\` = \`INFORMATIONAL\`).`,
    '',
    '## File format',
    '',
    'A rules file is one YAML document holding a list of items:',
    '',
    '| item | keys |',
    '| --- | --- |',
    '| `rule` | `desc`, `condition`, `output`, `priority` (required); `tags`, `enabled`, `exceptions`, `source`, `warn_evttypes` (ignored), `skip-if-unknown-filter` |',
    '| `list` | `items` (values, or names of other lists, which expand) |',
    '| `macro` | `condition` |',
    '| `exceptions` entry | `name`, `fields` (a field or a list), `comps` (default `in` for one field, `=` per field for a list), `values` |',
    '',
    'Output templates take `%field` (any field below); an absent or empty value prints `<NA>`.',
    'An exception drops the event when every field of one `values` tuple matches; with a single field',
    'name, `values` is a flat list compared at once.',
    '',
    'What the loader does with a file holding:',
    '',
    '| file holds | result |',
    '| --- | --- |',
  );
  for (const probe of PROBES) p(`| ${probe.what} | ${loaderResult(probe)} |`);

  p(
    '',
    '## Condition grammar',
    '',
    '```',
    'expr     := expr or expr | expr and expr | not expr | ( expr ) | FIELD OP value | FIELD LISTOP ( item, ... )',
    '            | FIELD exists | MACRO_NAME',
    'value    := bare word (up to whitespace, "," or ")") | "double" or \'single\' quoted (backslash escapes)',
    '```',
    '',
    '`not` binds tightest, then `and`, then `or`. A comparison on a field the event does not have is false',
    '(so `not` of it is true); `exists` tests presence. Values are converted to the field\'s type when the',
    'rule loads: a non-number against a numeric field is a load error.',
    '',
    '| operator | fields | meaning |',
    '| --- | --- | --- |',
  );
  for (const [op, [kind, meaning]] of Object.entries(OPERATOR_DOCS)) p(`| ${code(op)} | ${kind} | ${meaning} |`);
  p('', `Not supported (load error): ${unsupported.map((o) => `\`${o}\``).join(', ')}.`, '', 'Examples, evaluated by the engine:', '', '| condition | event | result |', '| --- | --- | --- |');
  const ctx = { lists: EXAMPLE_LISTS, macros: new Map<string, string>() };
  for (const ex of EXAMPLES) {
    const result = compileCondition(ex.cond, ctx)({ ...BASE, ...ex.ev });
    if (result !== ex.expect) throw new Error(`example "${ex.cond}" on ${ex.show}: engine says ${result}, expected ${ex.expect}`);
    p(`| ${code(ex.cond)} | ${cell(ex.show)} | ${result} |`);
  }

  p(
    '',
    '## Event types',
    '',
    'Rules are indexed by `evt.type`: a rule only runs on the event types its condition allows.',
    '',
    '| Bulwark event | `evt.type` | `evt.arg` | ebpf | proc | docker |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const [t, falco] of Object.entries(FALCO_EVENT_TYPE) as [RuntimeEventType, string][]) {
    const by = SENSORS.map((s) => (SENSOR_TYPES[s].types.includes(t) ? 'yes' : NONE));
    p(`| ${t} | ${code(falco)} | ${EVENT_ARG[t]} | ${by.join(' | ')} |`);
  }

  p('', '## Fields', '', 'Where each sensor fills the field ("attributor": from the container engine, for events in a container).', '', '| field | type | meaning | ebpf | proc | docker |', '| --- | --- | --- | --- | --- | --- |');
  for (const [name, def] of FIELDS) {
    const [meaning, ...by] = FIELD_DOCS[name]!;
    p(`| ${code(name)} | ${def.kind} | ${cell(meaning)} | ${by.map(cell).join(' | ')} |`);
  }

  const set = describeRuleSources([{ file: DEFAULT_RULES_FILE, text: readFileSync(DEFAULT_RULES_FILE, 'utf8') }]);
  p('', '## Shipped rules', '', `${set.rules.length} rules in \`data/runtime/rules/default.yaml\`.`, '', '| rule | priority | event types | sensors |', '| --- | --- | --- | --- |');
  const sensorsOf = (r: (typeof set.rules)[number]): string => {
    const out: string[] = [];
    SENSORS.forEach((s, i) => {
      const types = r.eventTypes;
      if (types !== undefined && !types.some((ft) => runtimeTypesOf(ft).some((t) => SENSOR_TYPES[s].types.includes(t as RuntimeEventType)))) return;
      const never = r.conditionFields.filter((fld) => FIELD_DOCS[fld]![i + 1]!.startsWith('never'));
      out.push(never.length ? `${s}: never (tests ${never.join(', ')})` : s);
    });
    return out.join(', ') || NONE;
  };
  for (const r of set.rules) p(`| ${r.def.name} | ${r.def.priority} | ${r.eventTypes?.join(', ') ?? 'any'} | ${sensorsOf(r)} |`);
  p('', '"sensors": the sensors that emit one of the rule\'s event types; "never" when the condition tests a field the sensor never fills.');
  for (const r of set.rules) {
    const d = r.def;
    p('', `### ${d.name}`, '', cell(d.desc), '', `- priority: ${d.priority}; tags: ${d.tags.map((t) => `\`${t}\``).join(', ') || NONE}`);
    p(`- macros: ${r.macros.map((m) => `\`${m}\``).join(', ') || NONE}; lists: ${r.lists.map((m) => `\`${m}\``).join(', ') || NONE}`);
    for (const ex of d.exceptions) {
      p(`- exception \`${ex.name}\`: ${ex.fields.map((x, i) => `${x} ${ex.comps[i]}`).join(', ')}; ${ex.values.length === 0 ? 'no values (fill in your own file)' : `values: ${ex.values.map((v) => JSON.stringify(v)).join(', ')}`}`);
    }
    p('', '```', d.condition.trim(), '```', '', `Output: ${code(d.output.replace(/\s*\n\s*/g, ' '))}`);
  }
  p('', '### Lists', '', '| list | items |', '| --- | --- |');
  for (const l of set.lists.values()) p(`| ${code(l.name)} | ${l.items.length === 0 ? '(empty)' : cell(l.items.join(', '))} |`);
  p('', '### Macros', '', '| macro | condition |', '| --- | --- |');
  for (const m of set.macros.values()) p(`| ${code(m.name)} | ${code(m.condition.trim().replace(/\s*\n\s*/g, ' '))} |`);

  p(
    '',
    '## Differences from Falco',
    '',
    '- No `append: true` and no `override:` (rules, lists, macros): copy the item into your file and edit it.',
    '- No `regex`, `bcontains`, `bstartswith`, field transformers (`tolower(...)`, `b64(...)`), `val(...)`,',
    '  indexed or argument fields (`proc.aname[2]`, `evt.arg.uid`); only the fields listed above exist.',
    '- Every list and macro must compile, even when no rule uses it.',
    '- `glob` never lets `*` or `?` match `/`.',
    '- `source` other than `syscall` skips the rule; plugins and `k8s_audit` rules are not evaluated.',
    '- `proc.tty` is 1 or 0, not a device number; `evt.source` is the sensor id; every field has one value',
    '  (so `intersects` is `in`).',
    '- Each event carries one Falco type name (table above): every open is `openat`, so `open`, `openat2` or `creat`',
    '  in a rule never match on their own; module loads are `init_module`; container start, stop and exec are `container`.',
    '',
  );
  return L.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(REPO_ROOT + RULES_DOC, renderRulesDoc());
  console.log(`wrote ${RULES_DOC}`);
}
