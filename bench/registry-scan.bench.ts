/**
 * Registry scan benchmark: 20 images sharing one base layer in a REAL local docker-registry (127.0.0.1),
 * scanned with the real pipeline (openRegistryImage + scanImage, no vulnerability DB). Prints bytes fetched
 * from the network vs the sum of unique layer sizes (goal: equal) and wall time with the layer cache vs
 * scanning the images one by one without it.
 *
 *   node --import tsx bench/registry-scan.bench.ts      (BENCH_BASE_MB, default 8)
 *
 * Exit status: 0 bytes fetched with the cache equal the unique layer bytes, 1 not, 2 the bench could not run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { RegistryApi } from '../src/registry/api/index.js';
import { LayerCache, registryImageScanner, scanRegistry, selectImages, type ScanRegistryResult } from '../src/registry/scan/index.js';
import { buildImage, pushOciImage, startRegistry, type LayerSpec } from '../test/support/registry.js';

const IMAGES = 20;
const REPOS = 5;
const BASE_MB = Number(process.env.BENCH_BASE_MB ?? '8');

function dpkgStatus(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    [`Package: pkg${i}`, 'Status: install ok installed', 'Architecture: amd64', `Version: 1.${i}-1`, 'Maintainer: b <b@example.org>', `Description: package ${i}`, ''].join('\n'),
  ).join('\n');
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

async function main(): Promise<number> {
  const reg = await startRegistry({ kind: 'open' }).catch((e: unknown) => {
    console.error(`cannot start docker-registry (bash scripts/install-deps.sh): ${String(e)}`);
    return undefined;
  });
  if (!reg) return 2;
  const work = await mkdtemp(join(tmpdir(), 'bulwark-bench-regscan-'));
  try {
    // Incompressible-ish base (base64 of random bytes) so the network share is real.
    const chunks = Math.max(1, Math.round(BASE_MB));
    const baseFiles: Record<string, string> = {
      'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
      'var/lib/dpkg/status': dpkgStatus(200),
    };
    for (let i = 0; i < chunks; i++) baseFiles[`usr/lib/blob${i}.bin`] = randomBytes(750_000).toString('base64');
    const base: LayerSpec = { files: baseFiles };

    const t0 = Date.now();
    const unique = new Map<string, number>();
    let allLayerBytes = 0;
    for (let i = 0; i < IMAGES; i++) {
      const repo = `bench/app${i % REPOS}`;
      const image = await buildImage({ label: `img${i}`, layers: [base, { files: { [`app/${i}.txt`]: randomBytes(20_000).toString('hex') } }] });
      const pushed = await pushOciImage(reg.url, repo, `v${Math.floor(i / REPOS)}`, image);
      image.layers.forEach((l, j) => {
        const size = gzipSync(l).length;
        unique.set(pushed.layerDigests[j]!, size);
        allLayerBytes += size;
      });
    }
    const uniqueBytes = [...unique.values()].reduce((a, b) => a + b, 0);
    console.log(`pushed ${IMAGES} images (${REPOS} repositories) sharing one ${mb(unique.values().next().value ?? 0)} base in ${Date.now() - t0} ms`);

    const api = new RegistryApi({ url: reg.host, timeoutMs: 30_000 });
    const refs = await selectImages(api);
    const source = { platform: { os: 'linux', architecture: 'amd64' }, insecure: false, timeoutMs: 30_000, tempDir: work };
    const scanOne = registryImageScanner({ source, scan: {} });

    const run = async (label: string, concurrency: number, cached: boolean): Promise<{ label: string; r: ScanRegistryResult }> => {
      const layerCache = cached ? await LayerCache.open({ dir: join(work, `cache-${label.replace(/\W+/g, '-')}`) }) : undefined;
      const r = await scanRegistry(api, refs, { concurrency, scanOne, ...(layerCache ? { layerCache } : {}) });
      if (r.failed) throw new Error(`${label}: ${r.failed} images failed: ${r.images.find((s) => s.status === 'failed')?.error}`);
      return { label, r };
    };
    const rows = [
      await run('one by one, no cache', 1, false),
      await run('one by one, cache', 1, true),
      await run('cache, concurrency 2', 2, true),
      await run('cache, concurrency 4', 4, true),
    ];
    await api.close();

    console.log(`\nunique layer bytes: ${mb(uniqueBytes)} (${unique.size} blobs); all layer bytes of ${IMAGES} images: ${mb(allLayerBytes)}\n`);
    console.log('| run | wall | bytes fetched | fetched / unique | cache hits/misses |');
    console.log('|-----|------|---------------|------------------|-------------------|');
    const baseline = rows[0]!.r.durationMs;
    for (const { label, r } of rows) {
      const fetched = r.cache ? r.cache.networkBytes : allLayerBytes;
      const hm = r.cache ? `${r.cache.hits}/${r.cache.misses}` : '-';
      console.log(`| ${label} | ${r.durationMs} ms (${(baseline / r.durationMs).toFixed(2)}x) | ${mb(fetched)}${r.cache ? '' : ' (every layer of every image)'} | ${(fetched / uniqueBytes).toFixed(3)} | ${hm} |`);
    }
    const ok = rows.slice(1).every(({ r }) => r.cache?.networkBytes === uniqueBytes);
    console.log(`\n${ok ? 'PASS' : 'FAIL'}: bytes fetched with the cache ${ok ? '=' : '!='} sum of unique layer sizes`);
    return ok ? 0 : 1;
  } finally {
    await reg.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
