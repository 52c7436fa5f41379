/**
 * Kubernetes manifest benchmark: 10,000 generated workload objects (Deployments, StatefulSets,
 * DaemonSets, Jobs, CronJobs, bare Pods; 1-3 containers each, some with bad settings) as one
 * multi-document YAML text, checked by the k8s rule packs. Prints objects/s for each stage, the ratio
 * to the floor measured in the same run (the `yaml` library composing the same text one document at a
 * time and keeping nothing: the least any reader built on it can do), the heap the loaded objects keep,
 * and the peak RSS. Best of BENCH_RUNS (default 3) for each stage.
 *
 * Run: npm run bench:k8s   (BENCH_K8S_OBJECTS to change the count)
 * Takes ~1.5 minutes with 3 runs on a 2-core VM: the floor alone (the yaml parser over 21 MB) is ~10 s a
 * run. BENCH_RUNS=1 for a quick look. In-process, no CLI build needed; exits 2 if the
 * generated input does not load as 10,000 objects without warnings.
 */
import { Composer, Parser } from 'yaml';
import { loadManifests } from '../src/k8s/load.js';
import type { K8sObject } from '../src/k8s/types.js';
import { checkPodSecurity } from '../src/modules/rules/k8s/pss/index.js';
import { checkRbac } from '../src/modules/rules/k8s/rbac/index.js';
import { checkWorkloads } from '../src/modules/rules/k8s/workload/index.js';
import { seededRandom } from '../test/support/osv-generate.js';
import { megabytes, renderTable } from './support/table.js';

const OBJECTS = Number(process.env['BENCH_K8S_OBJECTS'] ?? 10_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const FILE = 'bench-manifests.yaml';

const rnd = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const chance = (p: number): boolean => rnd() < p;

const NAMESPACES = ['default', 'shop', 'payments', 'monitoring', 'ingress', 'batch', 'data', 'auth'];
const IMAGES = [
  'nginx:1.27.2',
  'nginx:latest',
  'ghcr.io/acme/api:2.14.0',
  'ghcr.io/acme/worker',
  'registry.example.com:5000/shop/cart:v3.1.4',
  'redis:7.2-alpine',
  'postgres:16.4@sha256:2f5cbf4bd5a1b5a8e3b7e4cbb58e1d1c0cba9be5f12cd03fd4e07d9d3d17a3c1',
  'quay.io/prometheus/node-exporter:v1.8.2',
  'busybox',
];
const KINDS = ['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'] as const;

function container(i: number, bad: boolean): string[] {
  const lines = [`- name: c${i}`, `  image: ${pick(IMAGES)}`];
  if (chance(0.5)) lines.push(`  imagePullPolicy: ${pick(['Always', 'IfNotPresent'])}`);
  lines.push('  ports:', `  - containerPort: ${pick([80, 443, 8080, 9090, 5432])}`);
  if (bad && chance(0.2)) lines.push(`    hostPort: ${pick([80, 8080])}`);
  lines.push('  env:', '  - name: LOG_LEVEL', '    value: info');
  if (bad && chance(0.3)) lines.push('  - name: DB_PASSWORD', '    value: hunter2');
  else lines.push('  - name: DB_PASSWORD', '    valueFrom: {secretKeyRef: {name: db, key: password}}');
  if (!bad || chance(0.5)) {
    lines.push('  resources:', '    requests: {cpu: 100m, memory: 128Mi}');
    if (!bad) lines.push('    limits: {cpu: 500m, memory: 256Mi}');
  }
  if (!bad) {
    lines.push('  livenessProbe:', '    httpGet: {path: /healthz, port: 8080}', '  readinessProbe:', '    httpGet: {path: /ready, port: 8080}');
  }
  lines.push('  securityContext:');
  if (bad) {
    if (chance(0.3)) lines.push('    privileged: true');
    lines.push(`    allowPrivilegeEscalation: ${chance(0.5)}`);
    if (chance(0.4)) lines.push('    capabilities:', '      add: ["NET_ADMIN", "SYS_TIME"]');
    if (chance(0.3)) lines.push('    runAsUser: 0');
  } else {
    lines.push('    allowPrivilegeEscalation: false', '    readOnlyRootFilesystem: true', '    runAsNonRoot: true', '    capabilities: {drop: ["ALL"]}', '    seccompProfile: {type: RuntimeDefault}');
  }
  lines.push('  volumeMounts:', '  - name: data', '    mountPath: /data');
  return lines;
}

function podSpec(bad: boolean, restartPolicy?: string): string[] {
  const lines: string[] = [];
  if (restartPolicy) lines.push(`restartPolicy: ${restartPolicy}`);
  if (bad && chance(0.2)) lines.push('hostNetwork: true');
  if (bad && chance(0.1)) lines.push('hostPID: true');
  if (chance(0.5)) lines.push(`automountServiceAccountToken: ${!bad}`);
  lines.push(`serviceAccountName: sa-${Math.floor(rnd() * 50)}`);
  if (!bad) lines.push('securityContext:', '  runAsNonRoot: true', '  seccompProfile:', '    type: RuntimeDefault');
  lines.push('containers:');
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) lines.push(...container(i, bad));
  if (chance(0.2)) lines.push('initContainers:', ...container(9, bad));
  lines.push('volumes:', '- name: data');
  if (bad && chance(0.15)) lines.push('  hostPath:', `    path: ${pick(['/var/run/docker.sock', '/', '/etc'])}`);
  else lines.push('  emptyDir: {}');
  return lines;
}

const indent = (lines: string[], by: number): string[] => lines.map((l) => ' '.repeat(by) + l);

function template(bad: boolean, app: string, restartPolicy?: string): string[] {
  return ['metadata:', '  labels:', `    app: ${app}`, '  annotations:', `    checksum/config: "${Math.floor(rnd() * 1e12).toString(16)}"`, 'spec:', ...indent(podSpec(bad, restartPolicy), 2)];
}

function workload(i: number): string {
  const kind = pick(KINDS);
  const bad = chance(0.35);
  const app = `app-${i}`;
  const namespace = pick(NAMESPACES);
  const head = [`metadata:`, `  name: ${app}`, `  namespace: ${namespace}`, '  labels:', `    app: ${app}`, '    app.kubernetes.io/managed-by: Helm'];
  const selector = ['selector:', '  matchLabels:', `    app: ${app}`];
  let body: string[];
  switch (kind) {
    case 'Deployment':
      body = ['apiVersion: apps/v1', 'kind: Deployment', ...head, 'spec:', `  replicas: ${1 + Math.floor(rnd() * 5)}`, ...indent(selector, 2), '  template:', ...indent(template(bad, app), 4)];
      break;
    case 'StatefulSet':
      body = ['apiVersion: apps/v1', 'kind: StatefulSet', ...head, 'spec:', `  serviceName: ${app}`, '  replicas: 3', ...indent(selector, 2), '  template:', ...indent(template(bad, app), 4)];
      break;
    case 'DaemonSet':
      body = ['apiVersion: apps/v1', 'kind: DaemonSet', ...head, 'spec:', ...indent(selector, 2), '  template:', ...indent(template(bad, app), 4)];
      break;
    case 'Job':
      body = ['apiVersion: batch/v1', 'kind: Job', ...head, 'spec:', '  backoffLimit: 3', '  template:', ...indent(template(bad, app, 'Never'), 4)];
      break;
    case 'CronJob':
      body = ['apiVersion: batch/v1', 'kind: CronJob', ...head, 'spec:', '  schedule: "*/15 * * * *"', '  jobTemplate:', '    spec:', '      template:', ...indent(template(bad, app, 'OnFailure'), 8)];
      break;
    case 'Pod':
      body = ['apiVersion: v1', 'kind: Pod', ...head, 'spec:', ...indent(podSpec(bad), 2)];
      break;
  }
  return body.join('\n');
}

function generate(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) docs.push(`# Source: chart/templates/workload-${i}.yaml\n${workload(i)}\n`);
  return `---\n${docs.join('---\n')}`;
}

function checkAll(objects: readonly K8sObject[]): number {
  return checkPodSecurity(objects, FILE).length + checkWorkloads(objects, FILE).length + checkRbac(objects, FILE).length;
}

const benchStart = performance.now();
const text = generate(OBJECTS);
const bytes = Buffer.byteLength(text);
// The CLI reads at most 16 MiB a file; a raised BENCH_K8S_OBJECTS may go over it, so the limit follows the input.
const loadOptions = { maxBytes: Math.max(bytes, 16 * 1024 * 1024) };

/**
 * Each run: the floor, then loadManifests, then the checks over what it loaded. The whole pipeline is
 * the run's load + checks (the same work as timing them together, without parsing the text a fourth
 * time: at ~1-2 MB/s for the yaml parser here, that would double the bench's wall time).
 */
/** Every document composed and dropped at once, as the loader reads them, without positions or values. */
function floorParse(): number {
  let n = 0;
  for (const _doc of new Composer({ version: '1.1' }).compose(new Parser().parse(text))) n++;
  return n;
}

/** Heap in use after a full collection (needs node --expose-gc; undefined without it). */
function settledHeap(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return process.memoryUsage().heapUsed;
}

const best = { floor: Infinity, load: Infinity, check: Infinity, pipeline: Infinity };
let documents = 0;
let loaded = 0;
let findings = 0;
let retained: number | undefined;
const kinds = new Map<string, number>();
for (let run = 0; run < RUNS; run++) {
  let t = performance.now();
  documents = floorParse();
  best.floor = Math.min(best.floor, performance.now() - t);
  const heapBefore = settledHeap();
  t = performance.now();
  const { objects, warnings } = loadManifests(FILE, text, loadOptions);
  const loadMs = performance.now() - t;
  const heapAfter = settledHeap();
  // The first run only: later runs start with the previous run's objects still referenced.
  if (run === 0 && heapBefore !== undefined && heapAfter !== undefined) retained = heapAfter - heapBefore;
  if (objects.length !== OBJECTS || warnings.length > 0) {
    console.error(`bench input broken: ${objects.length} objects, warnings: ${warnings.slice(0, 3).join('; ')}`);
    process.exit(2);
  }
  t = performance.now();
  findings = checkAll(objects);
  const checkMs = performance.now() - t;
  best.load = Math.min(best.load, loadMs);
  best.check = Math.min(best.check, checkMs);
  best.pipeline = Math.min(best.pipeline, loadMs + checkMs);
  loaded = objects.length;
  kinds.clear();
  for (const o of objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
}

const perSecond = (ms: number): string => Math.round((OBJECTS / ms) * 1000).toLocaleString('en-US');
const rows = [
  ['floor: yaml compose, one document at a time', best.floor, `${documents} documents`],
  ['loadManifests (parse, positions, toJS)', best.load, `${loaded} objects`],
  ['checkPodSecurity + checkWorkloads + checkRbac', best.check, `${findings} findings`],
  ['whole pipeline (load + all checks)', best.pipeline, `${findings} findings`],
] as const;
console.log(
  renderTable(
    ['stage', 'best', 'objects/s', 'vs floor', 'output'],
    rows.map(([what, ms, output]) => [what, `${(ms / 1000).toFixed(2)} s`, perSecond(ms), `${(ms / best.floor).toFixed(2)}x`, output]),
  ),
);
console.log(`input: ${OBJECTS} objects (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${(bytes / 1e6).toFixed(1)} MB of YAML (${Math.round(bytes / OBJECTS)} bytes an object); best of ${RUNS}, bench wall time ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
console.log(
  `peak RSS: ${megabytes(process.resourceUsage().maxRSS * 1024)}; heap kept by the loaded objects (values and line index): ${
    retained === undefined ? 'run with node --expose-gc' : `${megabytes(retained)} (${(retained / bytes).toFixed(1)} bytes per byte of YAML)`
  }`,
);
