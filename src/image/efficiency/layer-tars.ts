import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import { decompressor, detectCompression, peek } from '../decompress.js';
import { entryComponents, OPAQUE_MARKER, WHITEOUT_PREFIX } from '../entry-path.js';
import { TYPE_OF } from '../walker.js';
import { createEfficiencyCollector, type EfficiencyCollector } from './collector.js';
import type { EfficiencyLimits, EfficiencyReport } from './report.js';

/**
 * The report of layer tars read straight from disk, in order (plain, gzip or zstd; sniffed from the
 * bytes). A reference for the walker-fed collector, and a way to get the report without an image source.
 */
export async function efficiencyFromLayerTars(tarPaths: string[], limits?: Partial<EfficiencyLimits>): Promise<EfficiencyReport> {
  const collector = createEfficiencyCollector();
  for (const [index, path] of tarPaths.entries()) {
    collector.addLayer(index);
    await feedLayer(createReadStream(path), collector, `${path} (layer ${index + 1}/${tarPaths.length})`);
  }
  return collector.result(limits);
}

/** Streams one layer tar into the collector; the current layer must already be added. */
export async function feedLayer(raw: Readable, collector: EfficiencyCollector, label: string): Promise<void> {
  const tar = extract();
  tar.on('entry', (header, body, next) => {
    body.on('error', () => {});
    try {
      feedEntry(header, collector, label);
    } catch (e) {
      body.resume();
      next(e as Error);
      return;
    }
    body.on('end', () => next()).resume();
  });
  try {
    const { head, stream } = await peek(raw);
    const inflate = decompressor(detectCompression(head));
    await pipeline(inflate ? [stream, inflate, tar] : [stream, tar]);
  } catch (e) {
    if (isBulwarkError(e)) throw e;
    throw new BulwarkError('E_FORMAT', `${label}: cannot read layer tar (${(e as Error)?.message ?? String(e)})`);
  }
}

function feedEntry(header: Header, collector: EfficiencyCollector, label: string): void {
  const parts = entryComponents(header.name, label);
  const base = parts[parts.length - 1] ?? '';
  if (base === OPAQUE_MARKER) return collector.addOpaque(`/${parts.slice(0, -1).join('/')}`);
  if (base.startsWith(WHITEOUT_PREFIX)) {
    // Other `.wh..wh.` names are aufs bookkeeping (hard link dirs), not deletions.
    if (!base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
      collector.addWhiteout(`/${[...parts.slice(0, -1), base.slice(WHITEOUT_PREFIX.length)].join('/')}`);
    }
    return;
  }
  const type = TYPE_OF[header.type ?? 'file'];
  if (!type) return;
  const linkTarget = type === 'hardlink' ? `/${entryComponents(header.linkname ?? '', `${label}: hard link ${header.name}`).join('/')}` : undefined;
  collector.addEntry({ path: `/${parts.join('/')}`, type, size: header.size ?? 0, linkTarget });
}
