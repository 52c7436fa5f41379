import type { Entry, ZipFile } from 'yauzl';
import { identifyArchive, coordinatesFromPomProperties, type IdentifiedArtifact } from './identify.js';
import { ARCHIVE_NAME, DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
import { parseManifest, type Coordinates } from './manifest.js';
import { parseProperties } from './properties.js';
import { EntryTooLarge, entryName, openZip, readEntry } from './zip.js';

/** An artifact found in an archive; `inner` is the chain of nested archive paths below the outer file. */
export interface FoundArtifact extends IdentifiedArtifact {
  inner: string[];
}

export interface ArchiveWarning {
  inner: string[];
  message: string;
}

export interface ArchiveFindings {
  artifacts: FoundArtifact[];
  warnings: ArchiveWarning[];
}

const POM_PROPERTIES = /(?:^|\/)META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = /^META-INF\/MANIFEST\.MF$/i;

interface Walk {
  limits: ArchiveLimits;
  /** Bytes inflated so far across the outer archive and everything nested in it. */
  inflated: number;
  out: ArchiveFindings;
}

/**
 * Every artifact a Java archive holds: its own identity and, recursively (up to limits.maxDepth),
 * those of the archives nested in it (BOOT-INF/lib, WEB-INF/lib, EAR modules...). Never throws for
 * bad content: a broken zip, an oversized or corrupt entry becomes a warning and the rest goes on.
 */
export async function analyzeArchive(buffer: Buffer, path: string, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ArchiveFindings> {
  const walk: Walk = { limits, inflated: 0, out: { artifacts: [], warnings: [] } };
  await visit(walk, buffer, path, []);
  return walk.out;
}

async function visit(walk: Walk, buffer: Buffer, name: string, inner: string[]): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(buffer);
  } catch (error) {
    walk.out.warnings.push({ inner, message: `not a readable zip archive (${describe(error)})` });
    return;
  }
  try {
    const poms: Coordinates[] = [];
    let manifest: Map<string, string> | undefined;
    const nested: Array<{ entry: Entry; path: string }> = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const path = entryName(entry);
        if (path.endsWith('/')) continue;
        if (POM_PROPERTIES.test(path)) {
          const data = await readBounded(walk, zip, entry, walk.limits.maxMetadataBytes, [...inner, path]);
          const coordinates = data && coordinatesFromPomProperties(parseProperties(data.toString('utf8')));
          if (coordinates) poms.push(coordinates);
        } else if (MANIFEST.test(path)) {
          const data = await readBounded(walk, zip, entry, walk.limits.maxMetadataBytes, [...inner, path]);
          if (data) manifest = parseManifest(data.toString('utf8'));
        } else if (ARCHIVE_NAME.test(path)) {
          nested.push({ entry, path });
        }
      }
    } catch (error) {
      walk.out.warnings.push({ inner, message: `zip directory unreadable past some entries (${describe(error)})` });
    }
    for (const artifact of identifyArchive(name, poms, manifest)) walk.out.artifacts.push({ ...artifact, inner });
    for (const { entry, path } of nested) {
      const chain = [...inner, path];
      if (chain.length > walk.limits.maxDepth) {
        walk.out.warnings.push({ inner: chain, message: `nested deeper than ${walk.limits.maxDepth} archives; not read` });
        continue;
      }
      const data = await readBounded(walk, zip, entry, walk.limits.maxNestedBytes, chain);
      if (data) await visit(walk, data, path, chain);
    }
  } finally {
    zip.close();
  }
}

/** Inflates an entry within its own cap and what is left of the outer archive's budget; else a warning. */
async function readBounded(walk: Walk, zip: ZipFile, entry: Entry, cap: number, chain: string[]): Promise<Buffer | undefined> {
  const left = walk.limits.maxTotalInflated - walk.inflated;
  const limit = Math.min(cap, left);
  try {
    const data = await readEntry(zip, entry, limit);
    walk.inflated += data.length;
    return data;
  } catch (error) {
    if (error instanceof EntryTooLarge) {
      walk.inflated += Math.min(limit, entry.uncompressedSize);
      const why = limit < cap ? `${error.message} (what is left of the ${walk.limits.maxTotalInflated} bytes allowed per archive): possible zip bomb` : `${error.message}: possible zip bomb`;
      walk.out.warnings.push({ inner: chain, message: why });
    } else {
      walk.out.warnings.push({ inner: chain, message: `entry unreadable (${describe(error)})` });
    }
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
