import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BulwarkError, isBulwarkError, type ErrorCode } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { Notice } from '../core/package.js';
import { unknownKindWarnings } from '../k8s/kinds.js';
import { loadManifests } from '../k8s/load.js';
import { readControlPlane } from '../k8s/orchestrator/control-plane.js';
import { loadK8sEolData } from '../k8s/orchestrator/eol-data.js';
import type { K8sObject } from '../k8s/types.js';
import { checkControlPlane, checkKubernetesVersion, DEFAULT_EOL_WARN_DAYS, type NodeVersionRef } from '../modules/rules/k8s/orchestrator/index.js';
import { checkPodSecurity } from '../modules/rules/k8s/pss/index.js';
import { checkRbac } from '../modules/rules/k8s/rbac/index.js';
import { checkWorkloads } from '../modules/rules/k8s/workload/index.js';
import { readInputs } from '../scan/input-files.js';
import { addManifestFlags, finishManifestScan, manifestGate, type ManifestFlags } from './manifest-scan.js';
import { parseDuration } from './sizes.js';

type K8sFlags = ManifestFlags & {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
  timeout: string;
  root?: string;
  k8sVersion?: string;
  eolWarnDays: string;
};

const notice = (level: Notice['level'], message: string): Notice => ({ level, detector: 'k8s', message });

/** What was read, from every input the flags name. */
interface Gathered {
  objects: K8sObject[];
  nodes: (K8sObject | NodeVersionRef)[];
  /** The API server's own version, from a live cluster. */
  serverVersion?: string;
  notices: Notice[];
  targets: string[];
}

/** The collectors' one-line errors (a cluster that refuses, a bad checksum file) as the CLI's own. */
async function asUserError<T>(code: ErrorCode, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isBulwarkError(e)) throw e;
    throw new BulwarkError(code, (e as Error).message, { cause: e });
  }
}

async function readFiles(paths: string[], into: Gathered): Promise<void> {
  for (const file of await readInputs(paths, (name) => /\.(ya?ml|json)$/i.test(name))) {
    const loaded = loadManifests(file.path, file.text);
    for (const o of loaded.objects) (o.kind === 'Node' ? into.nodes : into.objects).push(o);
    into.notices.push(...[...loaded.warnings, ...unknownKindWarnings(loaded.objects)].map((w) => notice('warning', w)));
  }
  into.targets.push(...paths);
}

async function readCluster(flags: K8sFlags, timeoutMs: number, into: Gathered): Promise<void> {
  const { collectClusterObjects } = await import('../k8s/live/index.js');
  const snap = await asUserError('E_INPUT', () =>
    collectClusterObjects({
      timeoutMs,
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.namespace?.length ? { namespaces: flags.namespace.flatMap((n) => n.split(',')).filter(Boolean) } : {}),
    }),
  );
  into.objects.push(...snap.objects);
  into.nodes.push(...snap.nodes.map((n) => ({ name: n.name, kubeletVersion: n.kubeletVersion })));
  if (snap.version) into.serverVersion = snap.version.gitVersion;
  into.notices.push(...snap.warnings.map((w) => notice('warning', w)));
  into.targets.push(`cluster ${snap.context}`);
}

async function run(paths: string[], flags: K8sFlags): Promise<void> {
  const gate = manifestGate(flags);
  const live = flags.cluster === true || flags.kubeconfig !== undefined || flags.context !== undefined;
  if (!live && flags.namespace?.length) throw new BulwarkError('E_USAGE', '--namespace needs --cluster');
  if (!live && paths.length === 0 && !flags.root && !flags.k8sVersion) {
    throw new BulwarkError('E_USAGE', 'bulwark k8s: name manifests (or -), --cluster, --root or --k8s-version');
  }
  const timeoutMs = parseDuration(flags.timeout, '--timeout');
  const warnDays = Number(flags.eolWarnDays);
  if (!Number.isInteger(warnDays) || warnDays < 0) throw new BulwarkError('E_USAGE', `--eol-warn-days ${flags.eolWarnDays}: expected a whole number of days`);
  const root = flags.root === undefined ? undefined : resolve(flags.root);
  if (root !== undefined && !(await stat(root).then((s) => s.isDirectory(), () => false))) throw new BulwarkError('E_USAGE', `--root ${flags.root}: no such directory`);
  const eolData = loadK8sEolData();

  const got: Gathered = { objects: [], nodes: [], notices: [], targets: [] };
  await readFiles(paths, got);
  if (live) await readCluster(flags, timeoutMs, got);
  if (root !== undefined) got.targets.push(`node ${root}`);
  const target = got.targets.join(' ') || `kubernetes ${flags.k8sVersion}`;

  const findings: Finding[] = [...checkPodSecurity(got.objects, target), ...checkWorkloads(got.objects, target), ...checkRbac(got.objects, target)];
  const version = flags.k8sVersion ?? got.serverVersion;
  if (version !== undefined || got.nodes.length > 0) {
    const judged = checkKubernetesVersion({ ...(version ? { version } : {}), nodes: got.nodes, now: new Date(), warnDays, data: eolData }, target);
    findings.push(...judged.findings);
    got.notices.push(...judged.warnings.map((w) => notice('warning', w)));
  }
  if (root !== undefined) {
    const plane = await readControlPlane(root);
    findings.push(...checkControlPlane(plane, target));
    got.notices.push(...plane.warnings.map((w) => notice('warning', w)), ...plane.notes.map((n) => notice('info', n)));
  }
  await finishManifestScan({ target, source: live ? 'kubernetes-cluster' : 'kubernetes', findings, notices: got.notices }, flags, gate);
}

type VerifyFlags = ManifestFlags & { checksums: string };

async function runVerify(dir: string, flags: VerifyFlags): Promise<void> {
  const gate = manifestGate(flags);
  const { verifyBinaries, verifyFindings } = await import('../k8s/verify-binaries/index.js');
  const report = await asUserError('E_INPUT', () => verifyBinaries(dir, flags.checksums));
  const verified = report.results.filter((r) => r.status === 'verified').map((r) => r.name);
  const notices = [notice('info', `${dir}: ${verified.length} of ${report.results.length} binaries match ${flags.checksums}${verified.length ? ` (${verified.join(', ')})` : ''}`)];
  await finishManifestScan({ target: dir, source: 'kubernetes', findings: verifyFindings(report, dir), notices }, flags, gate);
}

function verifyBinariesCommand(): Command {
  return addManifestFlags(
    new Command('verify-binaries')
      .description('check Kubernetes binaries against the release sha256/sha512 checksum files (dl.k8s.io)')
      .argument('<dir>', 'directory holding kubelet, kubectl, kube-apiserver, ...')
      .requiredOption('--checksums <file|dir>', 'a sha256sum/sha512sum list, or a directory of <binary>.sha256 / <binary>.sha512 files'),
  ).action((dir: string, flags: VerifyFlags) => runVerify(dir, flags));
}

export function k8sCommand(): Command {
  return addManifestFlags(
    new Command('k8s')
      .description('check Kubernetes: manifests, snapshots or a live cluster (Pod Security Standards, workload hygiene, RBAC), the version, and a node\'s control plane')
      .argument('[path...]', 'YAML or JSON manifests or `kubectl get -o yaml` snapshots, directories of them, or - for standard input')
      .option('--cluster', 'read the live cluster of the kubeconfig\'s current context (read-only list calls)')
      .option('--kubeconfig <file>', 'kubeconfig for --cluster (default KUBECONFIG or ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context for --cluster')
      .addOption(new Option('-n, --namespace <ns...>', 'with --cluster: read only these namespaces (cluster-scoped objects are still read)'))
      .option('--timeout <duration>', 'bound on every API call', '30s')
      .option('--root <dir>', 'a node\'s root filesystem: control-plane static pod manifests and kubelet configuration')
      .option('--k8s-version <version>', 'the cluster\'s version, e.g. v1.29.3, judged against the end-of-life data')
      .option('--eol-warn-days <days>', 'warn this many days before a release\'s end of life', String(DEFAULT_EOL_WARN_DAYS)),
  )
    .enablePositionalOptions()
    .addCommand(verifyBinariesCommand().exitOverride().configureOutput({ outputError: () => {} }))
    .action((paths: string[], flags: K8sFlags) => run(paths, flags));
}
