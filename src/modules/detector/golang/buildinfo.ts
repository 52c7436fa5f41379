/**
 * Go build information (`go version -m`) read from a binary as it streams past.
 *
 * The linker writes a 32-byte header into the `.go.buildinfo` section, aligned to 16 bytes:
 * the magic "\xff Go buildinf:" (14 bytes), the pointer size (1 byte) and flags (1 byte). Since
 * Go 1.18 (flags & 2) the Go version and the module info follow the header inline, each as a
 * uvarint length and the bytes; older binaries hold pointers to them instead, which a stream cannot
 * follow. Memory stays bounded: a 13-byte tail window carries a magic split across chunks, and once
 * the header is found only the bytes of the two strings are kept (at most MAX_STRINGS_BYTES each).
 */

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const ALIGN = 16;
const FLAG_VERSION_INLINE = 2;
/** Module info of the largest real binaries is tens of KB; anything beyond this is not build info. */
export const MAX_STRINGS_BYTES = 1024 * 1024;

export type RawBuildInfo =
  | { kind: 'inline'; goVersion: string; /** Raw bytes, sentinels included. */ modinfo: Buffer; ptrSize: number }
  | { kind: 'pointer'; ptrSize: number; bigEndian: boolean };

interface Varint {
  value: number;
  length: number;
}

/** Go's binary.Uvarint: undefined when more bytes are needed, null when it is no valid varint. */
export function readUvarint(buf: Buffer, offset: number): Varint | undefined | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const byte = buf[offset + i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (!Number.isSafeInteger(value)) return null;
      return { value, length: i + 1 };
    }
    scale *= 128;
  }
  return null;
}

type State =
  | { phase: 'search' }
  | { phase: 'collect'; offset: number; parts: Buffer[]; size: number }
  | { phase: 'done'; result: RawBuildInfo };

/**
 * Feed chunks in file order; `result()` says what was found. A candidate magic must sit at a
 * 16-byte aligned file offset and be followed by a plausible header (pointer size 4 or 8, a Go
 * version string), else the search goes on: the magic string also appears as a literal in tools
 * that read build info.
 */
export class BuildInfoScanner {
  private state: State = { phase: 'search' };
  /** Last bytes of the data seen so far (fewer than the magic's length), and its file offset. */
  private tail: Buffer = Buffer.alloc(0);
  private tailOffset = 0;

  get done(): boolean {
    return this.state.phase === 'done';
  }

  push(chunk: Buffer): void {
    if (this.state.phase === 'done') return;
    if (this.state.phase === 'collect') this.collect(chunk);
    else this.search(chunk);
  }

  /** The build info, or undefined when the stream held none; `truncated` when it ended inside it. */
  result(): { info?: RawBuildInfo; truncated: boolean } {
    if (this.state.phase === 'done') return { info: this.state.result, truncated: false };
    return { truncated: this.state.phase === 'collect' };
  }

  private search(chunk: Buffer): void {
    const data = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const base = this.tailOffset;
    let from = 0;
    for (;;) {
      const i = data.indexOf(BUILDINFO_MAGIC, from);
      if (i < 0) break;
      if ((base + i) % ALIGN === 0) {
        this.tail = Buffer.alloc(0);
        this.state = { phase: 'collect', offset: base + i, parts: [], size: 0 };
        this.collect(data.subarray(i));
        return;
      }
      from = i + 1;
    }
    const keep = Math.min(BUILDINFO_MAGIC.length - 1, data.length);
    this.tail = Buffer.from(data.subarray(data.length - keep));
    this.tailOffset = base + data.length - keep;
  }

  private collect(chunk: Buffer): void {
    const state = this.state;
    if (state.phase !== 'collect') return;
    state.parts.push(chunk);
    state.size += chunk.length;
    if (state.size < HEADER_SIZE) return;
    const data = state.parts.length === 1 ? state.parts[0]! : Buffer.concat(state.parts);
    state.parts = [data];
    const parsed = parseAt(data);
    if (parsed === 'more') return;
    if (parsed) {
      this.state = { phase: 'done', result: parsed };
      return;
    }
    // Not a real header: search again from the byte after this candidate.
    this.state = { phase: 'search' };
    this.tail = Buffer.alloc(0);
    this.tailOffset = state.offset + 1;
    this.search(data.subarray(1));
  }
}

/** Parses a header at data[0]; 'more' when the strings are not complete yet, undefined when implausible. */
function parseAt(data: Buffer): RawBuildInfo | undefined | 'more' {
  const ptrSize = data[14]!;
  const flags = data[15]!;
  if (ptrSize !== 4 && ptrSize !== 8) return undefined;
  if ((flags & FLAG_VERSION_INLINE) === 0) return { kind: 'pointer', ptrSize, bigEndian: (flags & 1) !== 0 };
  const version = readString(data, HEADER_SIZE);
  if (version === 'more' || version === undefined) return version;
  const goVersion = version.bytes.toString('latin1');
  if (!/^(go|devel )[\x21-\x7e][\x20-\x7e]*$/.test(goVersion)) return undefined;
  const modinfo = readString(data, version.end);
  if (modinfo === 'more' || modinfo === undefined) return modinfo;
  return { kind: 'inline', goVersion, modinfo: Buffer.from(modinfo.bytes), ptrSize };
}

function readString(data: Buffer, offset: number): { bytes: Buffer; end: number } | undefined | 'more' {
  const length = readUvarint(data, offset);
  if (length === undefined) return 'more';
  if (length === null) return undefined;
  if (length.value > MAX_STRINGS_BYTES) return undefined;
  const start = offset + length.length;
  const end = start + length.value;
  if (data.length < end) return 'more';
  return { bytes: data.subarray(start, end), end };
}
