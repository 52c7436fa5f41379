import { isAscii } from 'node:buffer';

/** A stretch of the text as a string; `offset` is where it starts in the whole. */
export interface TextPiece {
  text: string;
  offset: number;
}

/**
 * A file's text as the detector reads it: in pieces that each start at a line start (holding the
 * newline before it, so that `^` and one-character lookbehinds see what they would in the whole), and
 * each end after a newline or at the end. Offsets are the same in every piece and in the whole.
 */
export interface TextSource {
  readonly length: number;
  readonly pieces: readonly TextPiece[];
  /** A piece holding at least [start, end). */
  window(start: number, end: number): TextPiece;
  /** The whole text as one string; built on first use. */
  whole(): string;
  /** The 1-based line of each offset. */
  linesOf(offsets: readonly number[]): number[];
}

/** Pieces are cut at the first newline after this many bytes. */
export const PIECE_BYTES = 64 * 1024;

export function stringSource(text: string): TextSource {
  const piece = { text, offset: 0 };
  return {
    length: text.length,
    pieces: [piece],
    window: () => piece,
    whole: () => text,
    linesOf: (offsets) => linesIn(text, offsets),
  };
}

/**
 * The text of a file's bytes, decoded a piece at a time: V8 makes a string of some kilobytes many times
 * faster per byte than one of megabytes, and most of a large file is never looked at again once its
 * keywords are found. Pieces are cut after a newline byte, which is never inside a UTF-8 sequence, so
 * each decodes to its stretch of the whole text; offsets count UTF-16 units, as in the whole string.
 * ASCII pieces are decoded as latin1, which gives the same string without UTF-8 validation.
 */
export function bufferSource(buf: Buffer): TextSource {
  const decode = (from: number, to: number): string => {
    const bytes = buf.subarray(from, to);
    return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  };
  if (buf.length <= PIECE_BYTES) return stringSource(decode(0, buf.length));
  const pieces: TextPiece[] = [];
  let length = 0;
  for (let start = 0; start < buf.length; ) {
    const nl = buf.indexOf(10, Math.min(buf.length, start + PIECE_BYTES));
    const end = nl === -1 ? buf.length : nl + 1;
    // Each piece but the first starts with the newline that ends the one before.
    const text = decode(start === 0 ? 0 : start - 1, end);
    pieces.push({ text, offset: start === 0 ? 0 : length - 1 });
    length += start === 0 ? text.length : text.length - 1;
    start = end;
  }
  return piecesSource(pieces, length);
}

function piecesSource(pieces: TextPiece[], length: number): TextSource {
  /** The text of [start, end), from the pieces that hold it (each past the first without its leading newline). */
  const join = (start: number, end: number): string => {
    const parts: string[] = [];
    for (const { text, offset } of pieces) {
      const from = Math.max(start, offset + (offset === 0 ? 0 : 1));
      const to = Math.min(end, offset + text.length);
      if (from < to) parts.push(from === offset && to === offset + text.length ? text : text.slice(from - offset, to - offset));
      if (to >= end) break;
    }
    return parts.join('');
  };
  let whole: string | undefined;
  return {
    length,
    pieces,
    window(start, end) {
      const to = Math.min(end, length);
      for (const p of pieces) if (p.offset <= start && to <= p.offset + p.text.length) return p;
      return { text: join(start, to), offset: start };
    },
    whole: () => (whole ??= join(0, length)),
    linesOf(offsets) {
      const order = offsets.map((o, i) => [o, i] as const).sort((a, b) => a[0] - b[0]);
      const out = new Array<number>(offsets.length);
      let line = 1;
      let piece = 0;
      // The next character to count newlines from, as an offset in the whole.
      let at = 0;
      for (const [offset, i] of order) {
        while (at < offset) {
          while (pieces[piece]!.offset + pieces[piece]!.text.length <= at) piece++;
          const { text, offset: base } = pieces[piece]!;
          const stop = Math.min(offset, base + text.length);
          for (let nl = text.indexOf('\n', at - base); nl !== -1 && base + nl < stop; nl = text.indexOf('\n', nl + 1)) line++;
          at = stop;
        }
        out[i] = line;
      }
      return out;
    },
  };
}

function linesIn(text: string, offsets: readonly number[]): number[] {
  if (offsets.length === 0) return [];
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return offsets.map((offset) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}
