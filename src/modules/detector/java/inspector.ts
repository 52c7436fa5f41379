import type { Readable } from 'node:stream';
import type { Inspector } from '../types.js';
import { analyzeArchive, type ArchiveFindings } from './archive.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';

/**
 * Buffers an archive as it streams (a zip's central directory is at its end) up to
 * limits.maxArchiveBytes, then analyzes it. Larger archives are drained and reported, not read.
 */
export function archiveInspector(limits: ArchiveLimits = DEFAULT_LIMITS): Inspector {
  return async (stream, info): Promise<ArchiveFindings> => {
    const buffer = await collect(stream, limits.maxArchiveBytes);
    if (!buffer) {
      const size = Math.max(info.size, limits.maxArchiveBytes + 1);
      return { artifacts: [], warnings: [{ inner: [], message: `archive of ${size} bytes is over the ${limits.maxArchiveBytes} byte limit; not read` }] };
    }
    return analyzeArchive(buffer, info.path, limits);
  };
}

/** The whole stream, or undefined (the rest drained) once it passes `cap` bytes. */
async function collect(stream: Readable, cap: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  let over = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > cap) over = true;
    if (over) {
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  return over ? undefined : Buffer.concat(chunks, total);
}
