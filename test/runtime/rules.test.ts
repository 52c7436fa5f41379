/**
 * The rule engine's condition language: a table of conditions × synthetic events with the expected
 * result (Falco operators' edge cases included), exceptions, output rendering, and load errors.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { RuntimeEvent } from '../../src/runtime/events.js';
import {
  RuleEngine,
  RuleLoadError,
  compileCondition,
  compileRuleSources,
  fieldValue,
  loadRuleFiles,
  parseCondition,
  type CompileContext,
} from '../../src/runtime/rules/index.js';

const CID = 'a'.repeat(64);
const CONTAINER = { id: CID, name: 'web', imageRepository: 'registry.example/shop/web', imageTag: '1.2' };

function exec(name: string, args: string[], extra: Partial<RuntimeEvent> = {}): RuntimeEvent {
  return {
    time: 1_700_000_000_000,
    type: 'exec',
    sensor: 'synthetic',
    proc: { pid: 42, ppid: 1, name, exepath: `/usr/bin/${name}`, args: [name, ...args], pname: 'bash', uid: 0, tty: false },
    container: CONTAINER,
    ...extra,
  };
}
function open(path: string, write: boolean, inContainer = true): RuntimeEvent {
  return {
    time: 1_700_000_000_000,
    type: write ? 'open_write' : 'open_read',
    sensor: 'synthetic',
    proc: { pid: 7, name: 'cp', args: ['cp'], uid: 1000 },
    file: { path },
    ...(inContainer ? { container: CONTAINER } : {}),
  };
}
function connect(dip: string, dport: number, procName = 'curl'): RuntimeEvent {
  return {
    time: 1_700_000_000_000,
    type: 'connect',
    sensor: 'synthetic',
    proc: { pid: 9, name: procName, args: [procName] },
    net: { protocol: 'tcp', sip: dip.includes(':') ? '::1' : '10.0.0.5', sport: 40000, dip, dport },
    container: CONTAINER,
  };
}

const CTX: CompileContext = {
  lists: new Map<string, string[]>([
    ['shells', ['sh', 'bash']],
    ['more_shells', ['shells', 'zsh']], // nested list
    ['deep', ['more_shells', 'fish']], // nested twice
    ['ports', ['80', '443']],
    ['bins', ['/usr/bin', '/bin']],
  ]),
  macros: new Map([
    ['is_exec', 'evt.type = execve'],
    ['shell_exec', 'is_exec and proc.name in (shells)'], // macro inside a macro
    ['deep_macro', 'shell_exec or proc.name = zsh'],
  ]),
};

const E_SH = exec('sh', ['-c', 'echo hi']);
const E_BASH_HOST = { ...exec('bash', ['-i']), container: undefined };
const E_ZSH = exec('zsh', []);
const E_FISH = exec('fish', []);
const E_CURL = exec('curl', ['-sS', 'http://x/']);
const W_USR_BIN = open('/usr/bin/x', true);
const W_USRX = open('/usrx/bin', true);
const W_USR = open('/usr', true);
const R_SHADOW = open('/etc/shadow', false);
const C_80 = connect('127.0.0.1', 80);
const C_8080 = connect('127.0.0.1', 8080);
const C_MD6 = connect('fd00:ec2::254', 80);

// [condition, event, expected]
const TABLE: [string, RuntimeEvent, boolean][] = [
  // equality and event types
  ['evt.type = execve', E_SH, true],
  ['evt.type = execve', W_USR_BIN, false],
  ['evt.type == execve', E_SH, true],
  ['evt.type = openat and evt.is_open_write = true', W_USR_BIN, true],
  ['evt.type = openat and evt.is_open_write = true', R_SHADOW, false],
  ['evt.is_open_read = true', R_SHADOW, true],
  ['proc.name = sh', E_SH, true],
  ['proc.name != sh', E_SH, false],
  ['proc.name != sh', E_CURL, true],
  ['proc.name = "sh"', E_SH, true],
  ["proc.name = 'sh'", E_SH, true],
  // and / or / not / parentheses / precedence (and binds tighter than or)
  ['proc.name = curl or proc.name = sh and evt.type = connect', E_SH, false],
  ['(proc.name = curl or proc.name = sh) and evt.type = execve', E_SH, true],
  ['not proc.name = sh', E_SH, false],
  ['not not proc.name = sh', E_SH, true],
  ['not (proc.name = sh or proc.name = curl)', E_ZSH, true],
  ['proc.name=sh and not evt.type=connect', E_SH, true],
  // container.id is "host" outside containers
  ['container.id = host', E_BASH_HOST, true],
  ['container.id != host', E_SH, true],
  ['container.id = aaaaaaaaaaaa', E_SH, true],
  ['container.image.repository = registry.example/shop/web', E_SH, true],
  ['container.image.repository exists', E_BASH_HOST, false],
  ['container.image = registry.example/shop/web:1.2', E_SH, true],
  ['evt.dir = < and evt.type = execve', E_SH, true], // Falco rules' exit-event filter: every event is one
  ['evt.dir = >', E_SH, false],
  // in: literal lists, list names, nested lists
  ['proc.name in (sh, bash)', E_SH, true],
  ['proc.name in (bash, zsh)', E_SH, false],
  ['proc.name in (shells)', E_SH, true],
  ['proc.name in (more_shells)', E_ZSH, true],
  ['proc.name in (more_shells)', E_FISH, false],
  ['proc.name in (deep)', E_FISH, true],
  ['proc.name in (deep)', E_SH, true],
  ['proc.name in (deep)', E_CURL, false],
  ['proc.name in (shells, curl)', E_CURL, true],
  ['proc.name intersects (shells)', E_SH, true],
  ['proc.name in ()', E_SH, false],
  // numeric compares on ports
  ['fd.dport = 80', C_80, true],
  ['fd.dport = 80', C_8080, false],
  ['fd.dport < 1024', C_80, true],
  ['fd.dport < 1024', C_8080, false],
  ['fd.dport <= 80', C_80, true],
  ['fd.dport > 1024', C_8080, true],
  ['fd.dport >= 8080', C_8080, true],
  ['fd.dport >= 8081', C_8080, false],
  ['fd.dport in (ports)', C_80, true],
  ['fd.dport in (ports)', C_8080, false],
  ['fd.sport > 0', E_SH, false], // absent field: every comparison false
  ['fd.dport != 80', E_SH, false],
  ['user.uid = 0', E_SH, true],
  ['user.uid != 0', R_SHADOW, true],
  // string operators on cmdline (name + args) and args
  ['proc.cmdline = "sh -c echo hi"', E_SH, true],
  ['proc.cmdline contains "-c echo"', E_SH, true],
  ['proc.cmdline contains "-x"', E_SH, false],
  ['proc.cmdline startswith "sh -c"', E_SH, true],
  ['proc.cmdline startswith "-c"', E_SH, false],
  ['proc.args startswith "-c"', E_SH, true],
  ['proc.args = "-c echo hi"', E_SH, true],
  ['proc.cmdline endswith "hi"', E_SH, true],
  ['proc.cmdline icontains "ECHO HI"', E_SH, true],
  ['proc.cmdline contains "ECHO HI"', E_SH, false],
  ['proc.cmdline = zsh', E_ZSH, true], // no args: just the name
  ['proc.args = ""', E_ZSH, true],
  // pmatch: whole path components only
  ['fd.name pmatch (/usr)', W_USR_BIN, true],
  ['fd.name pmatch (/usr)', W_USRX, false],
  ['fd.name pmatch (/usr)', W_USR, true],
  ['fd.name pmatch (/usr/)', W_USR_BIN, true],
  ['fd.name pmatch (/usr/b)', W_USR_BIN, false],
  ['fd.name pmatch (bins)', W_USR_BIN, true],
  ['fd.name pmatch (/opt, /usr/bin)', W_USR_BIN, true],
  ['fd.name pmatch (/*/bin)', W_USR_BIN, true],
  ['fd.name pmatch (/*/sbin)', W_USR_BIN, false],
  ['fd.name startswith /usr', W_USRX, true], // startswith is not component-aware, pmatch is
  // glob: * and ? never cross "/"
  ['fd.name glob /usr/*', W_USR_BIN, false],
  ['fd.name glob /usr/*/*', W_USR_BIN, true],
  ['fd.name glob /usr/bin/?', W_USR_BIN, true],
  ['fd.name glob "/etc/sh[a-z]dow"', R_SHADOW, true],
  ['fd.name glob "/etc/sh[!a]dow"', R_SHADOW, false],
  ['fd.name glob /etc/*', R_SHADOW, true],
  ['fd.name glob /*', R_SHADOW, false],
  ['fd.filename glob "*ado*"', R_SHADOW, true],
  // fd fields
  ['fd.directory = /etc', R_SHADOW, true],
  ['fd.filename = shadow', R_SHADOW, true],
  ['fd.typechar = f', R_SHADOW, true],
  ['fd.typechar = 4', C_80, true],
  ['fd.typechar = 6', C_MD6, true],
  ['fd.name = "10.0.0.5:40000->127.0.0.1:80"', C_80, true],
  ['fd.dip = "fd00:ec2::254"', C_MD6, true],
  ['fd.dip in (169.254.169.254, "fd00:ec2::254")', C_MD6, true],
  ['fd.sip = 10.0.0.5 and fd.l4proto = tcp', C_80, true],
  // exists
  ['fd.name exists', R_SHADOW, true],
  ['fd.name exists', E_SH, false],
  ['not fd.dport exists', E_SH, true],
  ['proc.tty exists and proc.tty = 0', E_SH, true],
  ['proc.pname exists', R_SHADOW, false],
  // macros, macros inside macros
  ['is_exec', E_SH, true],
  ['shell_exec', E_SH, true],
  ['shell_exec', E_CURL, false],
  ['deep_macro', E_ZSH, true],
  ['deep_macro and container.id = host', E_SH, false],
  ['not shell_exec', R_SHADOW, true],
];

describe('rule conditions: table of conditions × events', () => {
  for (const [cond, ev, expected] of TABLE) {
    it(`${cond}  on ${ev.type} ${ev.proc?.name ?? ''} ${ev.file?.path ?? ev.net?.dport ?? ''} → ${expected}`, () => {
      assert.equal(compileCondition(cond, CTX)(ev), expected);
    });
  }
});

describe('rule conditions: errors', () => {
  const bad: [string, RegExp][] = [
    ['proc.nam = sh', /unknown field "proc.nam"/],
    ['proc.name in (a, b', /expected "," or "\)"/],
    ['(proc.name = sh', /missing "\)"/],
    ['proc.name =', /missing value/],
    ['proc.name = sh and', /ends early/],
    ['no_such_macro', /unknown macro "no_such_macro"/],
    ['proc.name', /needs an operator/],
    ['fd.dport = http', /numeric/],
    ['fd.dport contains 8', /does not apply to the numeric field/],
    ['proc.name < 3', /needs a numeric field/],
    ['proc.name regex "x"', /not supported/],
    ['proc.name = "unterminated', /unterminated string/],
    ['', /empty condition/],
  ];
  for (const [cond, re] of bad) {
    it(`rejects ${JSON.stringify(cond)}`, () => assert.throws(() => compileCondition(cond, CTX), re));
  }
  it('detects macro cycles', () => {
    const ctx: CompileContext = { lists: new Map(), macros: new Map([['a', 'b or proc.name = x'], ['b', 'proc.name = y and a']]) };
    assert.throws(() => compileCondition('a', ctx), /macro cycle: a -> b -> a/);
  });
  it('detects list cycles', () => {
    const ctx: CompileContext = { lists: new Map([['l1', ['l2']], ['l2', ['l1']]]), macros: new Map() };
    assert.throws(() => compileCondition('proc.name in (l1)', ctx), /list cycle/);
  });
  it('parses to the documented AST shape', () => {
    assert.deepEqual(parseCondition('a and not (b or fd.name exists)'), {
      kind: 'and',
      items: [
        { kind: 'ref', name: 'a' },
        { kind: 'not', item: { kind: 'or', items: [{ kind: 'ref', name: 'b' }, { kind: 'exists', field: 'fd.name' }] } },
      ],
    });
  });
});

describe('fields', () => {
  it('maps event types to Falco names and prints sockets as Falco does', () => {
    assert.equal(fieldValue('evt.type', open('/x', true)), 'openat');
    assert.equal(fieldValue('evt.type', { ...E_SH, type: 'unlink' }), 'unlinkat');
    assert.equal(fieldValue('evt.type', { ...E_SH, type: 'module_load' }), 'init_module');
    assert.equal(fieldValue('fd.name', C_MD6), '::1:40000->fd00:ec2::254:80');
    const listen: RuntimeEvent = { time: 0, type: 'listen', sensor: 'synthetic', net: { protocol: 'tcp', sip: '127.0.0.1', sport: 8080 } };
    assert.equal(fieldValue('fd.name', listen), '127.0.0.1:8080');
    assert.equal(fieldValue('fd.directory', open('/a', true)), '/');
    assert.equal(fieldValue('proc.cmdline', E_SH), 'sh -c echo hi');
    assert.equal(fieldValue('proc.args', E_SH), '-c echo hi');
    assert.equal(fieldValue('container.id', E_SH), 'aaaaaaaaaaaa');
    assert.equal(fieldValue('container.id', E_BASH_HOST), 'host');
  });
});

const RULES_HEAD = `
- list: writers
  items: [nginx, apache]
- list: bins
  items: [/usr/bin, /bin]
- macro: opened_for_write
  condition: evt.type in (open, openat) and evt.is_open_write = true
`;

describe('exceptions', () => {
  const yaml = `${RULES_HEAD}
- rule: Write below bin
  desc: test
  condition: opened_for_write and fd.name pmatch (bins)
  output: "write %fd.name by %proc.name (uid=%user.uid, repo=%container.image.repository)."
  priority: Error
  tags: [fs]
  exceptions:
    - name: proc_and_file
      fields: [proc.name, fd.name]
      comps: [=, startswith]
      values:
        - [cp, /usr/bin/allowed]
        - [tar, /bin/]
    - name: by_list
      fields: [proc.name, fd.directory]
      comps: [in, =]
      values:
        - [writers, /usr/bin]
        - [[make, cmake], /bin]
    - name: single_field
      fields: user.uid
      comps: in
      values: [33, 34]
    - name: pmatch_dir
      fields: [proc.name, fd.name]
      comps: [=, pmatch]
      values:
        - [rsync, [/usr/bin/vendor]]
`;
  const [rule] = compileRuleSources([{ file: 'exc.yaml', text: yaml }]);
  const writeBy = (procName: string, path: string, uid = 1000): RuntimeEvent => ({
    ...open(path, true),
    proc: { pid: 1, name: procName, args: [procName], uid },
  });
  const cases: [string, string, number, boolean][] = [
    ['vi', '/usr/bin/x', 1000, true],
    ['cp', '/usr/bin/allowed-tool', 1000, false], // tuple 1: cp + startswith
    ['cp', '/usr/bin/other', 1000, true], // cp, but not the file prefix
    ['tar', '/bin/ls', 1000, false],
    ['tar', '/usr/bin/ls', 1000, true],
    ['nginx', '/usr/bin/nginx', 1000, false], // list name in an "in" comp
    ['nginx', '/bin/nginx', 1000, true], // right proc, wrong dir
    ['cmake', '/bin/x', 1000, false], // inline list
    ['vi', '/bin/x', 33, false], // single-field form
    ['rsync', '/usr/bin/vendor/a', 1000, false],
    ['rsync', '/usr/bin/vendorx', 1000, true], // pmatch is component-wise in exceptions too
  ];
  for (const [p, path, uid, fires] of cases) {
    it(`${p} writing ${path} (uid ${uid}) ${fires ? 'fires' : 'is excepted'}`, () => {
      assert.equal(rule!.match(writeBy(p, path, uid)), fires);
    });
  }
  it('renders output with %field substitution, <NA> for absent fields, keeps the trailing dot', () => {
    assert.equal(rule!.render({ ...writeBy('vi', '/usr/bin/x'), container: undefined }), 'write /usr/bin/x by vi (uid=1000, repo=<NA>).');
    assert.equal(rule!.def.priority, 'ERROR');
  });
  it('the engine returns alerts with rule, priority, rendered output, tags and the event', () => {
    const engine = new RuleEngine([rule!]);
    const ev = writeBy('vi', '/usr/bin/x');
    assert.deepEqual(engine.evaluate(ev), [
      { rule: 'Write below bin', priority: 'ERROR', output: 'write /usr/bin/x by vi (uid=1000, repo=registry.example/shop/web).', tags: ['fs'], event: ev },
    ]);
    assert.deepEqual(engine.evaluate(E_SH), []);
    assert.equal(new RuleEngine([rule!], { minPriority: 'CRITICAL' }).rules.length, 0);
  });
});

describe('engine: event-type index', () => {
  const rules = compileRuleSources([
    {
      file: 'idx.yaml',
      text: `
- rule: Any type
  desc: no evt.type in the condition, so every event type is a candidate
  condition: proc.name = sh
  output: any %evt.type
  priority: INFO
- rule: Not exec
  desc: a negated type must not narrow the index
  condition: not evt.type = execve and proc.name = sh
  output: not exec %evt.type
  priority: INFO
- rule: Exec or connect
  desc: or of types
  condition: (evt.type = execve and proc.name = sh) or (evt.type in (connect) and fd.dport = 80)
  output: x
  priority: INFO
`,
    },
  ]);
  const engine = new RuleEngine(rules);
  const shConnect: RuntimeEvent = { ...C_80, proc: { pid: 1, name: 'sh', args: ['sh'] } };
  it('indexes rules by the event types their condition allows', () => {
    assert.deepEqual(rules.map((r) => (r.eventTypes ? [...r.eventTypes].sort() : undefined)), [undefined, undefined, ['connect', 'execve']]);
  });
  it('a rule without evt.type sees every event type; negations do not narrow', () => {
    assert.deepEqual(engine.evaluate(E_SH).map((a) => a.rule), ['Any type', 'Exec or connect']);
    assert.deepEqual(engine.evaluate(shConnect).map((a) => a.output), ['any connect', 'not exec connect', 'x']);
    assert.equal(engine.countMatches(C_8080), 0);
  });
});

describe('rule files: loading, overriding, errors', () => {
  it('a later file replaces an item, and `enabled: false` switches a rule off', () => {
    const base = `${RULES_HEAD}
- rule: R1
  desc: d
  condition: proc.name in (writers)
  output: o
  priority: INFO
- rule: R2
  desc: d
  condition: evt.type = execve
  output: o
  priority: DEBUG
`;
    const local = `
- list: writers
  items: [caddy]
- rule: R2
  enabled: false
`;
    const rules = compileRuleSources([
      { file: 'base.yaml', text: base },
      { file: 'local.yaml', text: local },
    ]);
    assert.deepEqual(rules.map((r) => r.def.name), ['R1']);
    assert.equal(rules[0]!.def.priority, 'INFORMATIONAL');
    assert.equal(rules[0]!.match(exec('caddy', [])), true);
    assert.equal(rules[0]!.match(exec('nginx', [])), false);
  });

  const rule = (body: string): string => `- rule: Broken rule\n  desc: d\n  output: o\n  priority: WARNING\n${body}`;
  const errors: [string, string, RegExp][] = [
    ['unknown field in condition', rule('  condition: evt.type = execve and proc.nmae = sh\n'), /^bad\.yaml:1: rule "Broken rule": unknown field "proc\.nmae"$/],
    ['unknown field in output', `- rule: Broken rule\n  desc: d\n  condition: evt.type = execve\n  output: "x %proc.nope"\n  priority: WARNING\n`, /^bad\.yaml:1: rule "Broken rule": output: unknown field "%proc\.nope"$/],
    ['syntax error', rule('  condition: (proc.name = sh\n'), /^bad\.yaml:1: rule "Broken rule": condition: missing "\)" at column \d+$/],
    ['bad priority', `- rule: Broken rule\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: LOUD\n`, /^bad\.yaml:1: rule "Broken rule": priority "LOUD" is not one of/],
    ['missing output', `- rule: Broken rule\n  desc: d\n  condition: evt.type = execve\n  priority: LOUD\n`, /^bad\.yaml:1: rule "Broken rule": output is missing$/],
    ['append', rule('  condition: evt.type = execve\n  append: true\n'), /^bad\.yaml:1: rule "Broken rule": append is not supported/],
    ['override', rule('  condition: evt.type = execve\n  override:\n    condition: append\n'), /^bad\.yaml:1: rule "Broken rule": override is not supported/],
    ['unknown macro', rule('  condition: nope_macro\n'), /^bad\.yaml:1: rule "Broken rule": unknown macro "nope_macro"$/],
    ['exception arity', rule('  condition: evt.type = execve\n  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n'), /^bad\.yaml:1: rule "Broken rule": exception "e": values entry #1 must be a list of 2 values/],
    ['exception field', rule('  condition: evt.type = execve\n  exceptions:\n    - name: e\n      fields: [proc.nam]\n'), /^bad\.yaml:1: rule "Broken rule": exception "e": unknown field "proc\.nam"$/],
    ['unknown key', rule('  condition: evt.type = execve\n  prio: x\n'), /^bad\.yaml:1: rule "Broken rule": unknown key "prio"$/],
    ['bad YAML', '- rule: x\n  desc: [unclosed\n', /^bad\.yaml:\d+: YAML: /],
    ['not a list', 'rule: x\n', /^bad\.yaml:1: a rules file is a YAML list/],
  ];
  for (const [what, text, re] of errors) {
    it(`${what}: one line naming file, line and item`, () => {
      try {
        compileRuleSources([{ file: 'bad.yaml', text }]);
        assert.fail('loaded');
      } catch (e) {
        assert.ok(e instanceof RuleLoadError, String(e));
        assert.doesNotMatch(e.message, /\n/);
        assert.match(e.message, re);
      }
    });
  }

  it('errors point at the YAML line of the item, macros and lists named too', () => {
    const text = `- list: ok\n  items: [a]\n\n- macro: broken\n  condition: proc.name = (\n`;
    assert.throws(() => compileRuleSources([{ file: 'm.yaml', text }]), /^RuleLoadError: m\.yaml:4: macro "broken": condition: missing value/);
    const later = `- list: a\n  items: [b]\n- rule: R\n  desc: d\n  condition: x_macro\n  output: o\n  priority: INFO\n- macro: x_macro\n  condition: fd.nme exists\n`;
    assert.throws(() => compileRuleSources([{ file: 'n.yaml', text: later }]), /^RuleLoadError: n\.yaml:8: macro "x_macro": unknown field "fd\.nme"$/);
  });

  it('loadRuleFiles reads files and names unreadable ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-rules-'));
    try {
      const f = join(dir, 'r.yaml');
      await writeFile(f, `- rule: R\n  desc: d\n  condition: proc.name = sh\n  output: "%proc.cmdline"\n  priority: notice\n  skip-if-unknown-filter: true\n- rule: S\n  desc: d\n  condition: proc.unknown_field = 1\n  output: o\n  priority: notice\n  skip-if-unknown-filter: true\n`);
      const rules = await loadRuleFiles([f]);
      assert.deepEqual(rules.map((r) => r.def.name), ['R']); // S skipped: skip-if-unknown-filter
      assert.equal(rules[0]!.render(E_SH), 'sh -c echo hi');
      await assert.rejects(loadRuleFiles([join(dir, 'missing.yaml')]), /missing\.yaml: cannot read: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
