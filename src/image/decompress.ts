import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(buf: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => buf[i] === b);
}

/** Compression is sniffed from the bytes, not trusted from a media type: archives often mislabel it. */
export function detectCompression(head: Buffer): Compression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

/** The first bytes of a stream, put back so the stream still yields everything (native read-ahead kept). */
export async function peek(stream: Readable): Promise<{ head: Buffer; stream: Readable }> {
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      stream.unshift(chunk);
      return { head: chunk, stream };
    }
    if (stream.readableEnded || stream.destroyed) return { head: Buffer.alloc(0), stream };
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('readable', done).off('end', done).off('error', fail);
        resolve();
      };
      const fail = (e: Error) => {
        stream.off('readable', done).off('end', done);
        reject(e);
      };
      stream.once('readable', done).once('end', done).once('error', fail);
    });
    if (stream.readableEnded) return { head: Buffer.alloc(0), stream };
  }
}

/** zstd through fzstd (pure JS: Node 20's zlib has no zstd), framed as a Transform. */
class ZstdStream extends Transform {
  private readonly decoder = new ZstdDecompress((data) => {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      done();
    } catch (e) {
      done(e as Error);
    }
  }
}

export function decompressor(kind: Compression): Transform | undefined {
  if (kind === 'gzip') return createGunzip({ chunkSize: 256 * 1024 });
  if (kind === 'zstd') return new ZstdStream();
  return undefined;
}
