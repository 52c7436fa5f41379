import { comparePackages, type Notice, type Package } from '../../../core/package.js';
import type { FileSystemView } from '../../../image/types.js';
import type { DetectContext, DetectorModule, DetectorResult } from '../types.js';
import { installLayers, recordKey } from './layers.js';
import { rpmdbCandidates, wantsRpmdb, type RpmdbCandidate } from './paths.js';
import { readRpmdbBlobs } from './read-db.js';
import { parseRecords } from './records.js';
import { toPackage } from './to-package.js';

const ID = 'rpm';
/** Header problems reported one by one before they are summarised. */
const MAX_HEADER_NOTICES = 20;

export const rpmDetector: DetectorModule = {
  id: ID,
  version: 1,
  kind: 'os-packages',
  wants: wantsRpmdb,
  detect(ctx: DetectContext): DetectorResult {
    const packages: Package[] = [];
    const notices: Notice[] = [];
    for (const db of findDatabases(ctx.fs, notices)) {
      detectOne(ctx, db, packages, notices);
    }
    return { packages: packages.sort(comparePackages), notices };
  },
};

interface FoundDb extends RpmdbCandidate {
  content: Buffer;
}

/** The preferred database of each rpm directory, skipping a directory that is a symlink to another. */
function findDatabases(fs: FileSystemView, notices: Notice[]): FoundDb[] {
  const found: FoundDb[] = [];
  const seen = new Set<string>();
  for (const dir of rpmdbCandidates()) {
    const present = dir.flatMap((c) => {
      const content = fs.read(c.path);
      const path = fs.stat(c.path, { follow: true })?.path ?? c.path;
      return content ? [{ ...c, path, content }] : [];
    });
    const [chosen, ...ignored] = present;
    if (!chosen || seen.has(chosen.path)) continue;
    seen.add(chosen.path);
    found.push(chosen);
    for (const other of ignored) {
      notices.push(notice('info', `ignored ${other.path}: ${chosen.path} (${chosen.format}) takes precedence`));
    }
  }
  return found;
}

function detectOne(ctx: DetectContext, db: FoundDb, packages: Package[], notices: Notice[]): void {
  let blobs;
  try {
    blobs = readRpmdbBlobs(db.content, db.path, db.format);
  } catch (e) {
    notices.push(notice('warning', `unsupported rpmdb format: ${e instanceof Error ? e.message : String(e)}`));
    return;
  }
  const { records, problems } = parseRecords(blobs, db.path);
  for (const problem of problems.slice(0, MAX_HEADER_NOTICES)) notices.push(notice('warning', `skipped ${problem}`));
  if (problems.length > MAX_HEADER_NOTICES) {
    notices.push(notice('warning', `skipped ${problems.length - MAX_HEADER_NOTICES} more malformed headers in ${db.path}`));
  }
  const layers = installLayers(ctx.fs, db.path, db.format, records.map(recordKey));
  for (const record of records) {
    const pkg = toPackage(record, db.path, ctx.os);
    const layer = layers.get(recordKey(record));
    if (layer) pkg.layer = layer;
    packages.push(pkg);
  }
}

function notice(level: Notice['level'], message: string): Notice {
  return { level, detector: ID, message };
}
