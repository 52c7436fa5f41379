import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { formatAge } from '../vulndb/ensure.js';
import { formatTable, plainStyle } from '../report/text-table.js';
import { BaselineEngine, BaselineStore, ITEM_KINDS, type ModelStatus } from '../runtime/baseline/index.js';
import {
  agentAlive,
  applyControl,
  readStatusFile,
  resolveStateDir,
  RuntimeAgent,
  sendControl,
  statePaths,
  FileSink,
  StreamSink,
  WebhookSink,
  type AgentStatus,
  type ControlRequest,
  type ControlResult,
  type Sink,
} from '../runtime/agent/index.js';
import type { AnomalyKind } from '../runtime/baseline/model.js';
import type { Sensor } from '../runtime/sensors/types.js';
import { parseDuration } from './sizes.js';

interface RunFlags {
  sensor: 'auto' | 'ebpf' | 'proc';
  rules: string[];
  learnWindow: string;
  quietPeriod: string;
  stateDir?: string;
  alertsFile?: string;
  webhook: string[];
  stdout: boolean;
  duration?: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const stateDirOption = (): Option => new Option('--state-dir <dir>', 'agent state (baseline store, status file) (or BULWARK_STATE_DIR)');

/** `bulwark runtime run | status | accept | export | import`: the runtime agent and its baselines. */
export function runtimeCommand(): Command {
  const rt = new Command('runtime').description('runtime detection: sensors, Falco-compatible rules, per-image baselines, drift');
  for (const sub of [runCommand(), statusCommand(), acceptCommand(), exportCommand(), importCommand()]) {
    rt.addCommand(sub.exitOverride().configureOutput({ outputError: () => {} }));
  }
  return rt;
}

function runCommand(): Command {
  return new Command('run')
    .description('run the agent: alerts as JSON lines on stdout and the other sinks until SIGINT/SIGTERM')
    .addOption(new Option('--sensor <kind>', 'event source; auto = ebpf when bpftrace works, else proc').choices(['auto', 'ebpf', 'proc']).default('auto'))
    .option('--rules <file>', 'extra Falco-style rules file (repeatable), loaded after the shipped rules', collect, [])
    .option('--learn-window <duration>', 'a baseline learns at least this long', '1h')
    .option('--quiet-period <duration>', '... and until nothing new was learned for this long', '15m')
    .addOption(stateDirOption())
    .option('--alerts-file <file>', 'also append alerts (JSON lines) to this file')
    .option('--webhook <url>', 'also POST each alert to this URL (repeatable)', collect, [])
    .option('--no-stdout', 'do not write alerts to stdout')
    .option('--duration <duration>', 'stop after this long (tests, demos)')
    .action(async (flags: RunFlags) => {
      const learnWindowMs = parseDuration(flags.learnWindow, '--learn-window');
      const quietPeriodMs = parseDuration(flags.quietPeriod, '--quiet-period');
      const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration');
      const stateDir = resolveStateDir(flags.stateDir);
      const paths = statePaths(stateDir);
      const log = (m: string): void => void process.stderr.write(`bulwark runtime: ${m}\n`);
      if (agentAlive(readStatusFile(paths.status))) throw new BulwarkError('E_USAGE', `an agent already runs with state dir ${stateDir}`);

      const sinks: Sink[] = [];
      if (flags.stdout) sinks.push(new StreamSink(process.stdout));
      if (flags.alertsFile) sinks.push(new FileSink(flags.alertsFile));
      for (const url of flags.webhook) sinks.push(new WebhookSink(url));

      const { loadRuleEngine } = await import('../runtime/rules/index.js');
      const rules = await loadRuleEngine(flags.rules);
      const store = BaselineStore.open(paths.store);
      const baseline = new BaselineEngine(store, { learnWindowMs, quietPeriodMs });
      const { Attributor } = await import('../runtime/attribution/attributor.js');
      const { DriftDetector, ImageIndexCache, engineImageOpener } = await import('../runtime/drift/index.js');
      const cache = new ImageIndexCache({ open: engineImageOpener(), cacheDir: paths.indexCache });
      const drift = new DriftDetector(cache.get);
      const sensor = await pickSensor(flags.sensor, log);
      const { DockerSensor } = await import('../runtime/sensors/docker.js');
      // The engine may be down or restart: the sensor keeps retrying; each new error is logged once.
      let lastEngineError = '';
      const engineSensor = new DockerSensor({
        onError: (m) => {
          if (m !== lastEngineError) log(`docker sensor: ${m} (retrying)`);
          lastEngineError = m;
        },
      });
      const sensors: Sensor[] = [sensor, engineSensor];

      let errorsLogged = 0;
      const agent = new RuntimeAgent({
        sensors,
        sinks,
        attributor: new Attributor(),
        drift,
        baseline,
        rules,
        statusFile: paths.status,
        controlDir: paths.control,
        storePath: paths.store,
        onError: (m) => {
          if (errorsLogged++ < 100) log(m);
        },
      });
      await agent.start();
      log(`running: sensors ${agent.status().sensors.map((s) => s.id).join(', ')}; state ${stateDir}; ${rules.rules.length} rules`);

      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
        if (durationMs !== undefined) setTimeout(done, durationMs).unref();
      });
      await agent.stop();
      store.close();
      const st = agent.status(false);
      log(`stopped: ${st.queue.processed} events, ${st.queue.dropped} dropped, ${st.alerts.total} alerts (reasons: rule ${st.alerts.rule}, drift ${st.alerts.drift}, anomaly ${st.alerts.anomaly})`);
    });
}

async function pickSensor(kind: RunFlags['sensor'], log: (m: string) => void): Promise<Sensor> {
  const { bpftraceUnavailable, EbpfSensor } = await import('../runtime/sensors/ebpf.js');
  const { ProcSensor } = await import('../runtime/sensors/proc.js');
  if (kind === 'proc') return new ProcSensor();
  const why = bpftraceUnavailable();
  if (kind === 'ebpf') {
    if (why) throw new BulwarkError('E_UNSUPPORTED', `--sensor ebpf: ${why}`);
    return new EbpfSensor();
  }
  if (why) {
    log(`eBPF sensor unavailable (${why}): using the /proc sensor`);
    return new ProcSensor();
  }
  // auto: fall back to /proc if bpftrace fails to attach.
  const ebpf = new EbpfSensor();
  const proc = new ProcSensor();
  let chosen: Sensor = ebpf;
  return {
    id: 'ebpf',
    async start(emit) {
      try {
        await ebpf.start(emit);
      } catch (e) {
        log(`eBPF sensor failed (${(e as Error).message}): using the /proc sensor`);
        await ebpf.stop();
        chosen = proc;
        await proc.start(emit);
      }
      (this as { id: Sensor['id'] }).id = chosen.id;
    },
    stop: () => chosen.stop(),
    stats: () => chosen.stats(),
  };
}

function statusCommand(): Command {
  return new Command('status')
    .description("each baseline model's state, age and size, and the running agent's sensor counters")
    .addOption(stateDirOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((flags: { stateDir?: string; format: 'table' | 'json' }) => {
      const stateDir = resolveStateDir(flags.stateDir);
      const paths = statePaths(stateDir);
      const file = readStatusFile(paths.status);
      const alive = agentAlive(file);
      let status: AgentStatus | undefined = alive ? file : undefined;
      let models: ModelStatus[];
      if (status) models = status.models;
      else {
        const store = BaselineStore.open(paths.store);
        try {
          models = new BaselineEngine(store).status();
        } finally {
          store.close();
        }
      }
      if (flags.format === 'json') {
        const out = { stateDir, agent: alive ? { pid: status!.pid, startedAt: status!.startedAt, updatedAt: status!.updatedAt } : null, ...(status ?? {}), models };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const now = Date.now();
      const lines = formatTable(
        [{ header: 'model' }, { header: 'image' }, { header: 'state' }, { header: 'age' }, ...ITEM_KINDS.map((k) => ({ header: k, align: 'right' as const })), { header: 'events', align: 'right' }],
        models.map((m) => [
          m.key.replace(/^sha256:/, '').slice(0, 12),
          m.imageRepository ?? '-',
          m.state,
          m.state === 'monitoring' && m.monitoringSince !== undefined ? `${formatAge(now - m.learningSince)} (mon. ${formatAge(now - m.monitoringSince)})` : formatAge(now - m.learningSince),
          ...ITEM_KINDS.map((k) => String(m.items[k])),
          String(m.eventsSeen),
        ]),
        Number.MAX_SAFE_INTEGER,
        plainStyle,
      );
      const out: string[] = [models.length === 0 ? 'no baseline models' : lines.join('\n')];
      if (status) {
        out.push('', `agent: pid ${status.pid}, started ${status.startedAt}, status at ${status.updatedAt}`);
        out.push(
          ...formatTable(
            [{ header: 'sensor' }, ...['events', 'dropped', 'lost', 'restarts'].map((h) => ({ header: h, align: 'right' as const }))],
            [
              ...status.sensors.map((s) => [s.id, String(s.events), String(s.dropped), String(s.lost), String(s.restarts)]),
              ['queue', String(status.queue.accepted), String(status.queue.dropped), '-', '-'],
            ],
            Number.MAX_SAFE_INTEGER,
            plainStyle,
          ),
        );
        out.push(`alerts: ${status.alerts.total} (reasons: rule ${status.alerts.rule}, drift ${status.alerts.drift}, anomaly ${status.alerts.anomaly})`);
      } else out.push('', `agent: not running (store ${paths.store})`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}

/** Applies a change through the running agent, or directly to the store when none runs. */
async function control(stateDir: string | undefined, req: ControlRequest): Promise<ControlResult & { ok: true }> {
  const paths = statePaths(resolveStateDir(stateDir));
  let result: ControlResult;
  if (agentAlive(readStatusFile(paths.status))) result = await sendControl(paths.control, req);
  else {
    const store = BaselineStore.open(paths.store);
    try {
      result = applyControl(new BaselineEngine(store), req);
    } finally {
      store.close();
    }
  }
  if (!result.ok) throw new BulwarkError('E_INPUT', result.error);
  return result;
}

function acceptCommand(): Command {
  return new Command('accept')
    .description('add behaviour to a baseline model so it is normal from now on: every anomaly of the alerts given, or one named behaviour')
    .option('--alert <file>', "alerts (JSON lines as `runtime run` writes them, '-' for stdin): accept every baseline anomaly they carry")
    .option('--model <key>', 'model key (image ID, sha256:...)')
    .option('--kind <kind>', `anomaly kind: ${[...ITEM_KINDS, 'rate'].join(', ')}`)
    .option('--what <value>', "the anomaly's what (e.g. '/usr/bin/curl <- /bin/sh', 'tcp/loopback:5432', 'exec/min')")
    .addOption(stateDirOption())
    .action(async (flags: { alert?: string; model?: string; kind?: string; what?: string; stateDir?: string }) => {
      const named = flags.model !== undefined || flags.kind !== undefined || flags.what !== undefined;
      if (flags.alert !== undefined && named) throw new BulwarkError('E_USAGE', 'accept: give either --alert or --model, --kind and --what, not both');
      let items: Array<{ model: string; kind: AnomalyKind; what: string }>;
      if (flags.alert !== undefined) items = anomaliesOfAlerts(flags.alert, readAlertInput(flags.alert));
      else if (flags.model && flags.kind && flags.what) items = [{ model: flags.model, kind: flags.kind as AnomalyKind, what: flags.what }];
      else throw new BulwarkError('E_USAGE', 'accept: --model, --kind and --what are all needed (or --alert FILE)');
      for (const it of items) {
        const r = await control(flags.stateDir, { op: 'accept', ...it });
        process.stdout.write(`accepted ${it.kind} "${it.what}" into ${r.model}\n`);
      }
    });
}

function readAlertInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new BulwarkError('E_INPUT', `${file}: ${(e as Error).message}`);
  }
}

/** The baseline anomalies (model, kind, what) of alert JSON lines, deduplicated, in order. */
export function anomaliesOfAlerts(file: string, text: string): Array<{ model: string; kind: AnomalyKind; what: string }> {
  const out = new Map<string, { model: string; kind: AnomalyKind; what: string }>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let alert: unknown;
    try {
      alert = JSON.parse(line);
    } catch {
      throw new BulwarkError('E_INPUT', `${file} line ${i + 1}: not a JSON alert`);
    }
    const why = (alert as { why?: unknown } | null)?.why;
    if (!Array.isArray(why)) throw new BulwarkError('E_INPUT', `${file} line ${i + 1}: not an alert of \`bulwark runtime\` (no "why" list)`);
    for (const w of why as Array<Record<string, unknown>>) {
      if (w?.['source'] !== 'anomaly') continue;
      const { model, kind, what } = w;
      if (typeof model !== 'string' || typeof kind !== 'string' || typeof what !== 'string') throw new BulwarkError('E_INPUT', `${file} line ${i + 1}: an anomaly without model, kind and what`);
      const add = (k: string, v: string): void => void out.set(`${model}\0${k}\0${v}`, { model, kind: k as AnomalyKind, what: v });
      add(kind, what);
      if (Array.isArray(w['implied'])) for (const x of w['implied'] as Array<{ kind?: unknown; what?: unknown }>) if (typeof x?.kind === 'string' && typeof x.what === 'string') add(x.kind, x.what);
    }
  });
  if (out.size === 0) throw new BulwarkError('E_INPUT', `${file}: no baseline anomaly in these alerts (rule and drift reasons are not part of a model)`);
  return [...out.values()];
}

function exportCommand(): Command {
  return new Command('export')
    .description('write a baseline model as YAML for review')
    .requiredOption('--model <key>', 'model key (image ID, sha256:...)')
    .option('-o, --output <file>', 'output file (default stdout)')
    .addOption(stateDirOption())
    .action(async (flags: { model: string; output?: string; stateDir?: string }) => {
      const r = await control(flags.stateDir, { op: 'export', model: flags.model });
      if (flags.output) writeFileSync(flags.output, r.yaml!);
      else process.stdout.write(r.yaml!);
    });
}

function importCommand(): Command {
  return new Command('import')
    .description('import a baseline model from YAML (replaces the model with the same key)')
    .argument('<file>', 'YAML written by `bulwark runtime export`')
    .addOption(stateDirOption())
    .action(async (file: string, flags: { stateDir?: string }) => {
      let yaml: string;
      try {
        yaml = readFileSync(file, 'utf8');
      } catch (e) {
        throw new BulwarkError('E_INPUT', `${file}: ${(e as Error).message}`);
      }
      const r = await control(flags.stateDir, { op: 'import', yaml, file });
      process.stdout.write(`imported ${r.model}\n`);
    });
}
