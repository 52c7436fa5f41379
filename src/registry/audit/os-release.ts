import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { isBulwarkError } from '../../core/errors.js';
import type { OsInfo } from '../../core/package.js';
import { decompressor, detectCompression, peek } from '../../image/decompress.js';
import { entryComponents, WHITEOUT_PREFIX } from '../../image/entry-path.js';
import { loadEolData, type EolData } from '../../modules/eol/index.js';
import { DEFAULT_NEAR_DAYS, eolStatus } from '../../modules/eol/status.js';
import { osReleaseDetector } from '../../modules/detector/os-release/index.js';
import type { DetectContext } from '../../modules/detector/types.js';
import { supportEnd } from '../../modules/rules/image/support-end.js';
import type { ImageRuleInput, ImageRuleOptions } from '../../modules/rules/image/types.js';
import type { Descriptor } from '../../sources/oci-schema.js';
import type { OsEolFacts } from './facts.js';

/** Layers larger than this (compressed, as the manifest says and as streamed) are not read. */
export const DEFAULT_OS_LAYER_MAX_BYTES = 512 * 1024 * 1024;
/** At most this many distinct layers are read per audit. */
export const DEFAULT_OS_MAX_LAYERS = 200;
/** An os-release file larger than this is not one. */
const MAX_OS_RELEASE_BYTES = 64 * 1024;

const ETC = 'etc/os-release';
const USR_LIB = 'usr/lib/os-release';

/** The one RegistryApi method this module needs (a fake can stand in for it). */
export interface BlobOpener {
  openBlob(repo: string, digest: string): Promise<Readable>;
}

export interface OsReleaseOptions {
  /** Skip layers larger than this many compressed bytes (default 512 MiB). */
  maxLayerBytes?: number;
  /** At most this many distinct layers read per reader, i.e. per audit (default 200). */
  maxLayers?: number;
  /** The day the end-of-life verdict is for (default: now). */
  now?: Date;
  /** End-of-life tables (default loadEolData(): the shipped ones, overridden by $BULWARK_EOL_DATA). */
  eol?: EolData;
  /** A release whose support ends within this many days is 'near-eol' (default 90, as the image rules). */
  nearDays?: number;
}

/** What one layer says about the two os-release paths. */
export interface LayerOsRelease {
  /** etc/os-release: its text, a symlink target (relative to the image root, resolved), or deleted by a whiteout. */
  etc?: { text: string } | { link: string } | { whiteout: true };
  usrLib?: { text: string } | { whiteout: true };
}

export interface OsReleaseStats {
  /** Distinct layers streamed (each at most once per reader). */
  layersRead: number;
  /** Layers skipped: over the size bound, over the layer count, or failing. */
  layersSkipped: number;
}

/**
 * Finds images' base OS from /etc/os-release (or /usr/lib/os-release) by streaming their layers from the top down
 * through the registry's blob endpoint, stopping at the first layer that has the file, and judges its end of life
 * with the image rules' code (BW-IMG-013's supportEnd over the same end-of-life tables).
 *
 * Cheap by construction: each layer digest is read at most once per reader (shared bases are read once per
 * audit), a layer's stream is dropped as soon as the file is found in it, layers over `maxLayerBytes` are skipped
 * with a warning, and after `maxLayers` distinct layers no more are read (one warning). Whiteouts are honoured
 * only roughly: a `.wh.os-release` means "keep looking down"; opaque directories are ignored.
 * A layer read only partly is not digest-verified (its stream is dropped early); a layer read to the end is.
 */
export class OsReleaseReader {
  readonly warnings: string[] = [];
  readonly stats: OsReleaseStats = { layersRead: 0, layersSkipped: 0 };
  private readonly layers = new Map<string, Promise<LayerOsRelease | undefined>>();
  private readonly maxLayerBytes: number;
  private readonly maxLayers: number;
  private readonly now: Date;
  private readonly nearDays: number;
  private eol: EolData | undefined;
  private started = 0;
  private limitWarned = false;

  constructor(
    private readonly api: BlobOpener,
    options: OsReleaseOptions = {},
  ) {
    this.maxLayerBytes = options.maxLayerBytes ?? DEFAULT_OS_LAYER_MAX_BYTES;
    this.maxLayers = options.maxLayers ?? DEFAULT_OS_MAX_LAYERS;
    this.now = options.now ?? new Date();
    this.nearDays = options.nearDays ?? DEFAULT_NEAR_DAYS;
    this.eol = options.eol;
  }

  /** The OS an image's layers (manifest order, base first) identify, or undefined when none says. */
  async osOf(repo: string, layers: readonly Descriptor[]): Promise<OsInfo | undefined> {
    let want: 'either' | 'usr-lib' = 'either';
    for (let i = layers.length - 1; i >= 0; i--) {
      const found = await this.layer(repo, layers[i]!);
      if (!found) continue;
      if (want === 'either' && found.etc && 'text' in found.etc) return identify(found.etc.text, `/${ETC}`);
      if (want === 'either' && found.etc && 'link' in found.etc) {
        // Debian & co.: etc/os-release -> ../usr/lib/os-release, the target possibly in this layer or a lower one.
        if (found.etc.link !== USR_LIB) return undefined;
        want = 'usr-lib';
      }
      if (found.usrLib && 'text' in found.usrLib) return identify(found.usrLib.text, want === 'usr-lib' ? `/${ETC}` : `/${USR_LIB}`);
    }
    return undefined;
  }

  /** osOf, judged: undefined when the image names no OS the detector recognises. */
  async osEolOf(repo: string, layers: readonly Descriptor[]): Promise<OsEolFacts | undefined> {
    const os = await this.osOf(repo, layers);
    return os ? judgeOsEol(os, { now: this.now, eol: (this.eol ??= loadEolData()), nearDays: this.nearDays }) : undefined;
  }

  /** One layer's verdict, read once per digest; undefined when skipped or unreadable (with a warning). */
  private layer(repo: string, layer: Descriptor): Promise<LayerOsRelease | undefined> {
    const known = this.layers.get(layer.digest);
    if (known) return known;
    const p = this.read(repo, layer);
    this.layers.set(layer.digest, p);
    return p;
  }

  private async read(repo: string, layer: Descriptor): Promise<LayerOsRelease | undefined> {
    const where = `${repo}@${layer.digest}`;
    if (layer.size > this.maxLayerBytes) {
      this.stats.layersSkipped++;
      this.warnings.push(`layer ${where}: ${layer.size} bytes, over the ${this.maxLayerBytes}-byte bound for the base OS lookup; not read`);
      return undefined;
    }
    if (this.started >= this.maxLayers) {
      this.stats.layersSkipped++;
      if (!this.limitWarned) {
        this.limitWarned = true;
        this.warnings.push(`base OS lookup: ${this.maxLayers} layers read, no more (the remaining images get no end-of-life verdict)`);
      }
      return undefined;
    }
    this.started++;
    this.stats.layersRead++;
    try {
      return await readLayerOsRelease(await this.api.openBlob(repo, layer.digest), `layer ${where}`, this.maxLayerBytes);
    } catch (e) {
      this.stats.layersSkipped++;
      const text = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
      this.warnings.push(text.includes(layer.digest) ? `base OS lookup: ${text}` : `layer ${where} (base OS lookup): ${text}`);
      return undefined;
    }
  }
}

/** The image rules' reading of an os-release text (the os-release detector, fed just that file). */
async function identify(text: string, path: string): Promise<OsInfo | undefined> {
  const fs = { read: (p: string) => (p === path ? Buffer.from(text) : undefined) };
  const result = await osReleaseDetector.detect({ fs } as unknown as DetectContext);
  return result.os;
}

/**
 * The facts model's verdict for one OS, from the code BW-IMG-013/014 use: supportEnd (Debian LTS counts, as for
 * images) when the tables give a date, else eolStatus's 'supported' (no announced end) or 'unknown'.
 */
export function judgeOsEol(os: OsInfo, options: { now: Date; eol: EolData; nearDays?: number }): OsEolFacts {
  const nearDays = options.nearDays ?? DEFAULT_NEAR_DAYS;
  const end = supportEnd({ os } as ImageRuleInput, { now: options.now, eol: options.eol, eolNearDays: nearDays } as ImageRuleOptions);
  if (end) {
    const status = end.daysLeft <= 0 ? 'eol' : end.daysLeft <= nearDays ? 'near-eol' : 'supported';
    return { release: end.release, status, eolDate: end.date };
  }
  const status = eolStatus(os, options.now, { data: options.eol, nearDays });
  const release = `${os.family} ${status.release ?? os.version ?? os.codename ?? ''}`.trim();
  return { release, status: status.status === 'unknown' ? 'unknown' : 'supported' };
}

/**
 * Streams one layer (plain, gzip or zstd, sniffed) and records what it holds at etc/os-release and
 * usr/lib/os-release, stopping as soon as the answer cannot change: etc/os-release is a file, or both paths are
 * known. More than `maxBytes` compressed bytes fails.
 */
export async function readLayerOsRelease(raw: Readable, label: string, maxBytes = Number.POSITIVE_INFINITY): Promise<LayerOsRelease> {
  const out: LayerOsRelease = {};
  const done = (): boolean => (out.etc !== undefined && 'text' in out.etc) || (out.etc !== undefined && out.usrLib !== undefined);
  let seen = 0;
  let stopped = false;
  // The manifest's size may lie: the bound holds on the bytes as they come.
  const bound = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      cb(seen > maxBytes ? new Error(`more than ${maxBytes} bytes, over the bound for the base OS lookup`) : null, chunk);
    },
  });
  const tar = extract();
  tar.on('entry', (header, body, next) => {
    body.on('error', () => {});
    let path: string;
    try {
      path = entryComponents(header.name, label).join('/');
    } catch (e) {
      body.resume();
      next(e as Error);
      return;
    }
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash + 1);
    const base = path.slice(slash + 1);
    const whiteout = base.startsWith(WHITEOUT_PREFIX) ? `${dir}${base.slice(WHITEOUT_PREFIX.length)}` : undefined;
    const finish = (): void => {
      if (done()) {
        stopped = true;
        tar.destroy();
        return;
      }
      next();
    };
    if (whiteout === ETC) out.etc ??= { whiteout: true };
    if (whiteout === USR_LIB) out.usrLib ??= { whiteout: true };
    const type = header.type ?? 'file';
    if ((path === ETC || path === USR_LIB) && (type === 'file' || type === 'contiguous-file') && (header.size ?? 0) <= MAX_OS_RELEASE_BYTES) {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => void chunks.push(c as Buffer));
      body.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (path === ETC) out.etc = { text };
        else out.usrLib = { text };
        finish();
      });
      return;
    }
    if (path === ETC && type === 'symlink' && header.linkname) {
      const target = header.linkname.startsWith('/') ? header.linkname.slice(1) : `etc/${header.linkname}`;
      out.etc = { link: normalize(target) };
    }
    body.on('end', finish).resume();
  });
  try {
    const { head, stream } = await peek(raw);
    const inflate = decompressor(detectCompression(head));
    await pipeline(inflate ? [stream, bound, inflate, tar] : [stream, bound, tar]);
  } catch (e) {
    if (!stopped) {
      if (isBulwarkError(e)) throw e;
      throw new Error(`${label}: cannot read layer tar (${(e as Error)?.message ?? String(e)})`);
    }
  } finally {
    if (!raw.destroyed) raw.destroy();
  }
  return out;
}

/** "etc/../usr/lib/os-release" -> "usr/lib/os-release" (".." above the root stays at the root). */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}
