/**
 * Host audit on a busy engine: 50 running containers (`sleep infinity`, --network none, labelled
 * bulwark-test=bench-host), then
 *
 *   in-process   fetchEngineFacts + the CIS section 4, 5 and 6 checks over the live "/" (best of BENCH_RUNS)
 *   CLI          `node dist/cli/main.js host --format json` (the whole audit, every section), when the
 *                build has the command; its report gives the Engine API call count
 *
 * and prints wall times and Engine API calls. Targets (the exit status follows them):
 *   - at most one inspect per running container: in-process, calls = 5 (ping, info, version, image
 *     list, container list) + running containers + 2 per image (inspect, history); the CLI's count
 *     must not exceed the same figure
 *   - no exec or top call: 5.7 (sshd) reads the containers' processes from /proc instead
 *
 * Run: npx tsx bench/host.bench.ts        (needs a Docker engine: bash scripts/start-dockerd.sh)
 * Exit status: 0 targets met, 1 missed, 2 the bench could not run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fetchEngineFacts } from '../src/host/engine.js';
import type { CheckResult, HostCheck } from '../src/host/types.js';
import { CHECKS as SECTION4 } from '../src/modules/rules/host/section4/index.js';
import { CHECKS as SECTION5 } from '../src/modules/rules/host/section5/index.js';
import { CHECKS as SECTION6 } from '../src/modules/rules/host/section6/index.js';
import { plainHostView, removeSuiteContainers, startContainers } from '../test/support/host-containers.js';
import { renderTable, seconds } from './support/table.js';

const exec = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const SUITE = 'bench-host';
const CONTAINERS = Math.max(1, Number(process.env['BENCH_HOST_CONTAINERS'] ?? 50) || 50);
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3) || 3);
const CHECKS: HostCheck[] = [...SECTION4, ...SECTION5, ...SECTION6];

async function inProcess(): Promise<{ ms: number; calls: number; running: number; inspects: number; images: number; results: CheckResult[] }> {
  const started = process.hrtime.bigint();
  const facts = await fetchEngineFacts({ timeoutMs: 60_000 });
  if (!facts) throw new Error('no Docker engine answers at /var/run/docker.sock');
  const view = plainHostView('/', { engine: facts });
  const results = await Promise.all(CHECKS.map((c) => c.run(view)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const running = facts.containers.filter((c) => c.State === 'running').length;
  return { ms, calls: facts.calls, running, inspects: facts.inspects.length, images: facts.images.length, results };
}

async function cliHasHost(): Promise<boolean> {
  if (!existsSync(CLI)) return false;
  try {
    await exec(process.execPath, [CLI, 'host', '--help'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function viaCli(): Promise<{ ms: number; calls: number; running: number }> {
  const started = process.hrtime.bigint();
  const { stdout } = await exec(process.execPath, [CLI, 'host', '--format', 'json'], { timeout: 600_000, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const report = JSON.parse(stdout) as { hostAudit?: { engine?: { calls: number; runningContainers: number } } };
  const engine = report.hostAudit?.engine;
  if (!engine) throw new Error('the CLI report has no hostAudit.engine (no daemon reached?)');
  return { ms, calls: engine.calls, running: engine.runningContainers };
}

async function main(): Promise<number> {
  await removeSuiteContainers(SUITE);
  const t0 = process.hrtime.bigint();
  await startContainers(
    SUITE,
    Array.from({ length: CONTAINERS }, (_, i) => ({ name: `bw-bench-host-${String(i).padStart(2, '0')}`, options: ['--network', 'none'] })),
  );
  console.log(`started ${CONTAINERS} containers in ${seconds(Number(process.hrtime.bigint() - t0) / 1e6)}`);
  try {
    const rows: string[][] = [];
    let ok = true;
    let best: Awaited<ReturnType<typeof inProcess>> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const r = await inProcess();
      if (!best || r.ms < best.ms) best = r;
    }
    const b = best!;
    const expected = 5 + b.running + 2 * b.images;
    const inspectOk = b.inspects === b.running && b.calls === expected && b.running >= CONTAINERS;
    ok &&= inspectOk;
    const warns = b.results.filter((r) => r.verdict === 'WARN').length;
    rows.push([
      `in-process: engine facts + ${CHECKS.length} checks (sections 4-6), best of ${RUNS}`,
      seconds(b.ms),
      `${b.calls} = 5 + ${b.inspects} inspects (${b.running} running) + 2 x ${b.images} images`,
      inspectOk ? 'PASS' : 'FAIL',
    ]);
    if (await cliHasHost()) {
      const c = await viaCli();
      const cliOk = c.calls <= 5 + c.running + 2 * b.images && c.running >= CONTAINERS;
      ok &&= cliOk;
      rows.push([`CLI: bulwark host --format json (every section)`, seconds(c.ms), `${c.calls} (${c.running} running; at most ${5 + c.running + 2 * b.images})`, cliOk ? 'PASS' : 'FAIL']);
    } else {
      rows.push(['CLI: bulwark host', '-', 'dist/cli/main.js has no host command (npm run build)', 'SKIP']);
    }
    console.log(renderTable(['run', 'wall', 'Engine API calls', 'target'], rows));
    console.log(`no exec/top calls: 5.7 reads container processes from /proc; ${warns} checks WARN on this engine`);
    return ok ? 0 : 1;
  } finally {
    await removeSuiteContainers(SUITE);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench/host: ${(e as Error).message}`);
    process.exit(2);
  },
);
