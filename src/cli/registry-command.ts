import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import picomatch from 'picomatch';
import { BulwarkError } from '../core/errors.js';
import type { Notice } from '../core/package.js';
import { RegistryApi, type RegistryApiOptions } from '../registry/api/index.js';
import { auditRegistry, defaultAuditOptions, gatherAuditFacts } from '../registry/audit/index.js';
import { applyPrune, prunePlan, renderPrunePlan } from '../registry/prune/index.js';
import { loadRetentionPolicy } from '../registry/retention/index.js';
import { LayerCache, registryImageScanner, scanRegistry, selectImages, type ImageSummary, type ScanRegistryResult } from '../registry/scan/index.js';
import { compareFindings } from '../core/finding.js';
import { REPORT_SCHEMA_VERSION, type ImageScanResult } from '../core/scan-result.js';
import { toolVersion } from '../core/version.js';
import { applyPolicy } from '../policy/filter.js';
import { targetNamesOf } from '../policy/target.js';
import { renderRegistryScanTable } from '../report/table-registry-scan.js';
import { addVulnerabilities } from '../scan/vuln-scan.js';
import { parsePlatform } from '../sources/platform.js';
import { planScan, type ScanFlags } from './finish-scan.js';
import { addPolicyFlags } from './policy-flags.js';
import { addCheckFlags } from './check-flags.js';
import { addVulnFlags } from './vuln-flags.js';
import { terminalColor } from './report-flags.js';
import { addManifestFlags, finishManifestScan, manifestGate, type ManifestFlags } from './manifest-scan.js';
import { parseDuration } from './sizes.js';
import { writeOutput } from './write-output.js';

interface ConnectionFlags {
  insecure?: boolean;
  username?: string;
  password?: string;
  registryToken?: string;
  timeout: string;
  maxConcurrent: string;
  repos?: string;
}

function addConnectionFlags(command: Command): Command {
  return command
    .option('--insecure', 'allow plain HTTP and unverified TLS to a registry that is not on loopback')
    .option('--username <user>', 'registry user name (or BULWARK_USERNAME, or docker login)')
    .option('--password <password>', 'registry password (or BULWARK_PASSWORD)')
    .option('--registry-token <token>', 'registry bearer token (or BULWARK_REGISTRY_TOKEN)')
    .option('--repos <glob>', 'only repositories matching this glob (`*` within a path segment, `**` across)')
    .option('--timeout <duration>', 'bound on every registry request', '30s')
    .option('--max-concurrent <n>', 'never more than this many requests at once', '4');
}

function apiOptions(url: string, flags: ConnectionFlags): RegistryApiOptions {
  const maxConcurrent = Number(flags.maxConcurrent);
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new BulwarkError('E_USAGE', `--max-concurrent ${flags.maxConcurrent}: expected a whole number above 0`);
  const token = flags.registryToken ?? process.env.BULWARK_REGISTRY_TOKEN;
  return {
    url,
    timeoutMs: parseDuration(flags.timeout, '--timeout'),
    maxConcurrent,
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(flags.password ? { password: flags.password } : {}),
    ...(token ? { registryToken: token } : {}),
  };
}

function repoFilter(glob: string | undefined): ((name: string) => boolean) | undefined {
  return glob ? picomatch(glob) : undefined;
}

const progress = (message: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${message.slice(0, (process.stderr.columns ?? 80) - 1)}`);
};
const endProgress = (): void => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
};

type AuditFlags = ManifestFlags & ConnectionFlags & { public?: boolean; staleDays: string; baseOs: boolean };

async function runAudit(url: string, flags: AuditFlags): Promise<void> {
  const gate = manifestGate(flags);
  const staleDays = Number(flags.staleDays);
  if (!Number.isInteger(staleDays) || staleDays < 0) throw new BulwarkError('E_USAGE', `--stale-days ${flags.staleDays}: expected a whole number of days`);
  const options = apiOptions(url, flags);
  const api = new RegistryApi(options);
  // The anonymous client must not find credentials anywhere: no flags, no environment, no docker config.
  const anonymous = new RegistryApi({ url, timeoutMs: options.timeoutMs, maxConcurrent: options.maxConcurrent ?? 4, insecure: options.insecure ?? false, env: {}, dockerConfigPath: '/nonexistent/bulwark-anonymous' });
  try {
    const repos = repoFilter(flags.repos);
    const gathered = await gatherAuditFacts(api, { url, staleDays, public: flags.public === true, anonymous, osEol: flags.baseOs, onProgress: progress, ...(repos ? { repos } : {}) });
    endProgress();
    const target = `registry ${api.host}`;
    const findings = auditRegistry({ ...gathered.facts, options: defaultAuditOptions({ staleDays, public: flags.public === true }) }, target);
    const notices: Notice[] = gathered.warnings.map((message) => ({ level: 'warning', detector: 'registry', message }));
    await finishManifestScan({ target, source: 'registry-audit', findings, notices }, flags, gate);
  } finally {
    await Promise.all([api.close(), anonymous.close()]);
  }
}

type PruneFlags = ConnectionFlags & { policy: string; dryRun?: boolean; apply?: boolean; output?: string; now?: string };

async function runPrune(url: string, flags: PruneFlags): Promise<void> {
  if (flags.apply && flags.dryRun) throw new BulwarkError('E_USAGE', '--apply and --dry-run exclude each other');
  const policy = await loadRetentionPolicy(flags.policy);
  const now = flags.now ? new Date(flags.now) : new Date();
  if (!Number.isFinite(now.getTime())) throw new BulwarkError('E_USAGE', `--now ${flags.now}: expected an ISO 8601 date`);
  const api = new RegistryApi(apiOptions(url, flags));
  try {
    const repos = repoFilter(flags.repos);
    const plan = await prunePlan(api, { policy, now, ...(repos ? { repos } : {}), onProgress: (p) => progress(`planning: ${p.phase} ${p.done}/${p.total}`) });
    endProgress();
    let text = renderPrunePlan(plan, { apply: flags.apply === true });
    if (flags.apply) {
      const applied = await applyPrune(api, plan, { onProgress: (p) => progress(`deleting: ${JSON.stringify(p)}`) });
      endProgress();
      const lines = [
        '',
        `Deleted ${applied.deleted.length} manifest(s); ${applied.failed.length} failed.`,
        ...applied.failed.map((f) => `  FAILED ${f.repo}@${f.digest}: ${f.error}`),
        ...applied.warnings.map((w) => `  warning: ${w}`),
        applied.reclaim,
      ];
      text += `${lines.join('\n')}\n`;
      if (applied.failed.length > 0) process.exitCode = 1;
    }
    await writeOutput(text, flags.output);
  } finally {
    await api.close();
  }
}

type RegistryScanFlags = ScanFlags &
  ConnectionFlags & { tags?: string; concurrency: string; state?: string; layerCache?: string; platform: string; format: string; output?: string };

/** The combined report of `bulwark registry scan -f json` (docs/registry.md). */
export interface RegistryScanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'bulwark'; version: string };
  createdAt: string;
  registry: string;
  summary: { images: number; ok: number; failed: number; resumed: number; durationMs: number; layerCache?: ScanRegistryResult['cache'] };
  images: (ImageSummary & { report?: ImageScanResult })[];
}

async function runScan(url: string, flags: RegistryScanFlags): Promise<void> {
  if (!['table', 'json'].includes(flags.format)) throw new BulwarkError('E_USAGE', `--format "${flags.format}": expected table or json`);
  const plan = planScan(flags);
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new BulwarkError('E_USAGE', `--concurrency ${flags.concurrency}: expected a whole number above 0`);
  const options = apiOptions(url, flags);
  const api = new RegistryApi(options);
  const scratch = await mkdtemp(join(tmpdir(), 'bulwark-registry-scan-'));
  try {
    const refs = await selectImages(api, { ...(flags.repos ? { repos: flags.repos } : {}), ...(flags.tags ? { tags: flags.tags } : {}) });
    const layerCache = await LayerCache.open({ dir: flags.layerCache ?? join(scratch, 'layers') });
    const reports = new Map<string, ImageScanResult>();
    const scanOne = registryImageScanner({
      source: {
        platform: parsePlatform(flags.platform),
        insecure: options.insecure ?? false,
        username: options.username,
        password: options.password,
        registryToken: options.registryToken,
        timeoutMs: options.timeoutMs,
        tempDir: scratch,
      },
      scan: { checks: plan.checks },
      enrich: async (inventory) => {
        const result = plan.scanners.includes('vuln') ? await addVulnerabilities(inventory, plan.vuln) : inventory;
        const outcome = applyPolicy(result.findings, { ...plan.policy, targetNames: targetNamesOf(result.artifact) });
        return { ...result, findings: [...outcome.findings].sort(compareFindings) };
      },
    });
    const run = await scanRegistry(api, refs, {
      concurrency,
      layerCache,
      ...(flags.state ? { stateFile: flags.state } : {}),
      scanOne,
      onResult: (ref, result) => {
        reports.set(ref, result);
      },
      onProgress: (e) => progress(e.kind === 'start' ? `scanning ${e.index + 1}/${e.total} ${e.reference}` : `${e.finished}/${e.total} done`),
    });
    endProgress();
    const images: RegistryScanReport['images'] = await Promise.all(
      run.images.map(async (summary) => {
        const report = reports.get(summary.reference) ?? (summary.resultFile ? (JSON.parse(await readFile(summary.resultFile, 'utf8')) as ImageScanResult) : undefined);
        return report ? { ...summary, report } : summary;
      }),
    );
    const combined: RegistryScanReport = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'bulwark', version: toolVersion() },
      createdAt: new Date().toISOString(),
      registry: api.host,
      summary: { images: run.images.length, ok: run.ok, failed: run.failed, resumed: run.resumed, durationMs: run.durationMs, ...(run.cache ? { layerCache: run.cache } : {}) },
      images,
    };
    const text = flags.format === 'json' ? `${JSON.stringify(combined, null, 2)}\n` : renderRegistryScanTable(combined, { color: terminalColor(flags.output) });
    await writeOutput(text, flags.output);
    const found = images.some((i) => (i.report?.findings.length ?? 0) > 0);
    process.exitCode = run.failed > 0 ? 1 : found ? plan.exitCode : 0;
  } finally {
    await api.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

function scanCommand(): Command {
  return addConnectionFlags(addCheckFlags(addPolicyFlags(addVulnFlags(new Command('scan')))))
    .description('scan every selected image of a registry (inventory, vulnerabilities, image rules, secrets) with a shared layer cache')
    .argument('<url>', 'registry address: host[:port] or http(s)://host[:port]')
    .option('--tags <glob>', 'only tags matching this glob')
    .option('--concurrency <n>', 'images scanned at once', '2')
    .option('--state <file>', 'resume file: finished images are recorded here and skipped on a rerun while their digest is unchanged')
    .option('--layer-cache <dir>', 'keep fetched layers here between runs (default: a scratch directory for this run)')
    .option('--platform <os/arch[/variant]>', 'platform to pick from multi-platform images', 'linux/amd64')
    .addOption(new Option('-f, --format <format>', 'report format: a summary table, or the combined JSON report').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .action((url: string, flags: RegistryScanFlags) => runScan(url, flags));
}

function auditCommand(): Command {
  return addConnectionFlags(
    addManifestFlags(
      new Command('audit')
        .description('audit a registry: anonymous access, TLS, server version, artifacts that are not images, unsigned, stale and untagged images')
        .argument('<url>', 'registry address: host[:port] or http(s)://host[:port]'),
    ),
  )
    .option('--public', 'the registry is meant to be public: anonymous access findings drop to LOW')
    .addOption(new Option('--stale-days <days>', 'images whose config was created longer ago than this are stale').default('90'))
    .option('--no-base-os', 'do not read images\' os-release from their layers (base OS end of life; each distinct layer is read at most once)')
    .action((url: string, flags: AuditFlags) => runAudit(url, flags));
}

function pruneCommand(): Command {
  return addConnectionFlags(
    new Command('prune')
      .description('apply a retention policy (ECR lifecycle-policy JSON, plus bulwarkProtectedTags): plan by default, delete with --apply')
      .argument('<url>', 'registry address: host[:port] or http(s)://host[:port]')
      .requiredOption('--policy <file>', 'retention policy in the ECR lifecycle-policy format')
      .option('--dry-run', 'print the plan and delete nothing (the default)')
      .option('--apply', 'delete the expired manifests by digest')
      .option('--now <date>', 'judge ages as of this ISO 8601 time instead of now')
      .option('-o, --output <file>', 'write the plan to a file instead of stdout'),
  ).action((url: string, flags: PruneFlags) => runPrune(url, flags));
}

export function registryCommand(): Command {
  return new Command('registry')
    .description('audit, scan and prune container registries')
    .addCommand(auditCommand().exitOverride().configureOutput({ outputError: () => {} }))
    .addCommand(scanCommand().exitOverride().configureOutput({ outputError: () => {} }))
    .addCommand(pruneCommand().exitOverride().configureOutput({ outputError: () => {} }));
}
