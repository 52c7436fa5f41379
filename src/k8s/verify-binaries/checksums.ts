import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export type DigestAlgorithm = 'sha256' | 'sha512';

/** One expected digest: for which file, by which algorithm, and the "file:line" it was read from. */
export interface ExpectedDigest {
  name: string;
  algorithm: DigestAlgorithm;
  digest: string;
  source: string;
}

/** A checksum file over this size is not a checksum file (the official lists are a few KB). */
export const MAX_CHECKSUM_FILE_BYTES = 4 * 1024 * 1024;

/** Bad input (a missing directory; a missing, unreadable, malformed or empty checksum file): the message is one line, fit for the CLI. */
export class VerifyBinariesError extends Error {
  override name = 'VerifyBinariesError';
}

const ALGORITHM_BY_LENGTH: Record<number, DigestAlgorithm> = { 64: 'sha256', 128: 'sha512' };
// sha256sum/sha512sum lines: "<hex>  <name>" (text mode), "<hex> *<name>" (binary mode), or one space as in
// `echo "$(<kubectl.sha256) kubectl" | sha256sum --check` from the Kubernetes install docs.
const LIST_LINE = /^([0-9A-Fa-f]+) [ *]?(\S.*)$/;
// `sha256sum --tag` (BSD) lines: "SHA256 (name) = <hex>".
const TAG_LINE = /^(SHA256|SHA512) \((.+)\) = ([0-9A-Fa-f]+)$/;
const BARE_DIGEST = /^([0-9A-Fa-f]+)$/;

function shorten(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function algorithmOf(hex: string, where: string): DigestAlgorithm {
  const algorithm = ALGORITHM_BY_LENGTH[hex.length];
  if (!algorithm) throw new VerifyBinariesError(`${where}: digest of ${hex.length} hex digits is neither sha256 (64) nor sha512 (128)`);
  return algorithm;
}

/**
 * Parses one checksum file's text. `bareName` is the file a bare "<hex>" line is about (dl.k8s.io's
 * per-binary `kubectl.sha256` holds only the digest); without it a bare digest is malformed. Names with
 * directories (`bin/linux/amd64/kubelet`) are reduced to the file name.
 */
export function parseChecksums(file: string, text: string, bareName?: string): ExpectedDigest[] {
  const out: ExpectedDigest[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${file}:${i + 1}`;
    let hex: string;
    let name: string;
    let m: RegExpMatchArray | null;
    if ((m = TAG_LINE.exec(line))) {
      hex = m[3]!;
      name = m[2]!;
      if (algorithmOf(hex, where) !== m[1]!.toLowerCase()) throw new VerifyBinariesError(`${where}: ${m[1]} line holds a digest of ${hex.length} hex digits`);
    } else if ((m = LIST_LINE.exec(line))) {
      hex = m[1]!;
      name = m[2]!.trim();
    } else if (bareName !== undefined && (m = BARE_DIGEST.exec(line))) {
      hex = m[1]!;
      name = bareName;
    } else {
      throw new VerifyBinariesError(`${where}: not a checksum line ("<hex>  <name>"): ${shorten(line)}`);
    }
    const algorithm = algorithmOf(hex, where);
    const file_ = basename(name.replace(/\\/g, '/'));
    if (file_ === '' || file_ === '.' || file_ === '..') throw new VerifyBinariesError(`${where}: no file name in ${shorten(line)}`);
    out.push({ name: file_, algorithm, digest: hex.toLowerCase(), source: where });
  }
  return out;
}

async function readText(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new VerifyBinariesError(`cannot read checksums ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!info.isFile()) throw new VerifyBinariesError(`checksums ${path} is not a regular file`);
  if (info.size > MAX_CHECKSUM_FILE_BYTES) throw new VerifyBinariesError(`checksums ${path} is ${info.size} bytes, over the ${MAX_CHECKSUM_FILE_BYTES}-byte limit`);
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new VerifyBinariesError(`cannot read checksums ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const PER_BINARY = /^(.+)\.(sha256|sha512)$/;

/**
 * Reads the expected digests from a sha256sum/sha512sum list file, or from a directory of dl.k8s.io-style
 * `<binary>.sha256` / `<binary>.sha512` files. Throws VerifyBinariesError when nothing usable is found.
 */
export async function readChecksums(path: string): Promise<ExpectedDigest[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new VerifyBinariesError(`cannot read checksums ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let out: ExpectedDigest[];
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((n) => PER_BINARY.test(n)).sort();
    if (names.length === 0) throw new VerifyBinariesError(`checksums directory ${path} holds no <binary>.sha256 or <binary>.sha512 files`);
    out = [];
    for (const n of names) {
      const [, binary, ext] = PER_BINARY.exec(n)!;
      const file = join(path, n);
      const digests = parseChecksums(file, await readText(file), binary);
      if (digests.length === 0) throw new VerifyBinariesError(`${file}: empty checksum file`);
      for (const d of digests) {
        if (d.algorithm !== ext) throw new VerifyBinariesError(`${d.source}: ${d.algorithm} digest in a .${ext} file`);
      }
      out.push(...digests);
    }
  } else {
    // A single dl.k8s.io file (`kubectl.sha256`) names its binary only in its own file name.
    out = parseChecksums(path, await readText(path), PER_BINARY.exec(basename(path))?.[1]);
  }
  if (out.length === 0) throw new VerifyBinariesError(`checksums ${path}: no checksums listed`);
  return out;
}
