/** Just enough ELF to find a named section's bytes in a whole file held in memory (32/64-bit, either endianness). */
export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const SHT_NOBITS = 8;

export class ElfError extends Error {}

export function isElf(head: Buffer): boolean {
  return head.length >= 4 && head.subarray(0, 4).equals(ELF_MAGIC);
}

interface Reader {
  u16(at: number): number;
  u32(at: number): number;
  word(at: number): number;
}

function reader(file: Buffer, is64: boolean, little: boolean): Reader {
  const check = (at: number, n: number) => {
    if (at < 0 || at + n > file.length) throw new ElfError(`truncated ELF (needs bytes ${at}..${at + n}, file has ${file.length})`);
  };
  const u16 = (at: number) => (check(at, 2), little ? file.readUInt16LE(at) : file.readUInt16BE(at));
  const u32 = (at: number) => (check(at, 4), little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const u64 = (at: number) => {
    check(at, 8);
    const value = little ? file.readBigUInt64LE(at) : file.readBigUInt64BE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('ELF offset out of range');
    return Number(value);
  };
  return { u16, u32, word: is64 ? u64 : u32 };
}

/** The contents of section `name`, undefined when the file has no such section; throws ElfError on a malformed file. */
export function findSection(file: Buffer, name: string): Buffer | undefined {
  if (!isElf(file)) throw new ElfError('not an ELF file');
  if (file.length < 0x34) throw new ElfError('truncated ELF header');
  const cls = file[4];
  const data = file[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) throw new ElfError('unknown ELF class or byte order');
  const is64 = cls === 2;
  const r = reader(file, is64, data === 1);
  const shoff = r.word(is64 ? 0x28 : 0x20);
  const shentsize = r.u16(is64 ? 0x3a : 0x2e);
  const shnum = r.u16(is64 ? 0x3c : 0x30);
  const shstrndx = r.u16(is64 ? 0x3e : 0x32);
  if (shoff === 0 || shnum === 0) return undefined; // stripped of section headers
  if (shentsize < (is64 ? 64 : 40)) throw new ElfError(`bad section header size ${shentsize}`);
  if (shoff + shnum * shentsize > file.length) throw new ElfError(`truncated ELF: section headers end at ${shoff + shnum * shentsize}, file has ${file.length} bytes`);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: r.u32(at),
      type: r.u32(at + 4),
      offset: r.word(at + (is64 ? 24 : 16)),
      size: r.word(at + (is64 ? 32 : 20)),
    };
  };
  if (shstrndx >= shnum) throw new ElfError('bad section name table index');
  const strtab = header(shstrndx);
  if (strtab.offset + strtab.size > file.length) throw new ElfError('truncated ELF: section name table past the end');
  const names = file.subarray(strtab.offset, strtab.offset + strtab.size);
  const wanted = Buffer.from(`${name}\0`);
  for (let i = 0; i < shnum; i++) {
    const section = header(i);
    if (!names.subarray(section.name, section.name + wanted.length).equals(wanted)) continue;
    if (section.type === SHT_NOBITS) return Buffer.alloc(0);
    if (section.offset + section.size > file.length) throw new ElfError(`truncated ELF: section ${name} past the end`);
    return file.subarray(section.offset, section.offset + section.size);
  }
  return undefined;
}
