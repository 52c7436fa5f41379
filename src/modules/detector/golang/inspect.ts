import type { Readable } from 'node:stream';
import type { Inspector } from '../types.js';
import { BuildInfoScanner } from './buildinfo.js';
import { parseModinfo, stripSentinels, type GoBuildInfo } from './modinfo.js';

/** What the Go inspector keeps of one executable. */
export type GoInspection =
  | { kind: 'buildinfo'; info: GoBuildInfo }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'truncated'; reason: string };

/** Smaller files cannot be Go binaries (the runtime alone is over 1 MB); larger ones are skipped. */
export const MIN_BINARY_SIZE = 1024;
export const MAX_BINARY_SIZE = 512 * 1024 * 1024;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** Executable regular files of a plausible size are streamed through the build info search. */
export function inspectGoBinary(_relativePath: string, info: { size: number; mode: number }): Inspector | undefined {
  if ((info.mode & 0o111) === 0) return undefined;
  if (info.size < MIN_BINARY_SIZE || info.size > MAX_BINARY_SIZE) return undefined;
  return readGoBinary;
}

/**
 * Consumes the whole stream (the walker needs it drained) but looks at bytes only until the ELF
 * magic is refuted or the build info is complete.
 */
export async function readGoBinary(stream: Readable): Promise<GoInspection | undefined> {
  const scanner = new BuildInfoScanner();
  let head = Buffer.alloc(0);
  let elf: boolean | undefined;
  for await (const value of stream) {
    if (elf === false || scanner.done) continue;
    const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
    if (elf === undefined) {
      head = Buffer.concat([head, chunk.subarray(0, ELF_MAGIC.length)]);
      if (head.length >= ELF_MAGIC.length) {
        elf = head.subarray(0, ELF_MAGIC.length).equals(ELF_MAGIC);
        if (!elf) continue;
      }
    }
    scanner.push(chunk);
  }
  if (elf !== true) return undefined;
  return toInspection(scanner.result());
}

export function toInspection(result: ReturnType<BuildInfoScanner['result']>): GoInspection | undefined {
  if (result.truncated) return { kind: 'truncated', reason: 'the file ends inside its Go build info' };
  const raw = result.info;
  if (!raw) return undefined;
  if (raw.kind === 'pointer') {
    return { kind: 'unsupported', reason: 'Go build info in the pre-1.18 pointer format is not supported' };
  }
  return { kind: 'buildinfo', info: parseModinfo(raw.goVersion, stripSentinels(raw.modinfo)) };
}
