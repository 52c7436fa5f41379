import { Transform, type TransformCallback } from 'node:stream';
import { BulwarkError } from '../core/errors.js';

export interface SizeLimits {
  /** Most uncompressed bytes one layer may expand to. */
  maxLayerBytes: number;
  /** Most uncompressed/compressed ratio tolerated once a layer is past ratioFloorBytes. */
  maxCompressionRatio: number;
  /** Ratio checks start only past this many uncompressed bytes, so small, very compressible layers pass. */
  ratioFloorBytes: number;
  /** Largest single file whose content a detector may ask to hold in memory. */
  maxCapturedFileBytes: number;
}

export const DEFAULT_LIMITS: SizeLimits = {
  maxLayerBytes: 16 * 1024 ** 3,
  maxCompressionRatio: 200,
  ratioFloorBytes: 256 * 1024 ** 2,
  maxCapturedFileBytes: 128 * 1024 ** 2,
};

/**
 * Counts decompressed bytes and aborts a layer that grows past the limits: a decompression bomb
 * fails fast instead of filling memory or disk. `storedBytes` reports how much compressed input has
 * been consumed so far.
 */
export class ExpansionGuard extends Transform {
  bytes = 0;
  constructor(
    private readonly limits: SizeLimits,
    private readonly storedBytes: () => number,
    private readonly label: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxLayerBytes) {
      done(
        new BulwarkError(
          'E_LIMIT',
          `${this.label}: expands past ${this.limits.maxLayerBytes} bytes (raise with --max-layer-size)`,
        ),
      );
      return;
    }
    const stored = Math.max(1, this.storedBytes());
    if (this.bytes > this.limits.ratioFloorBytes && this.bytes / stored > this.limits.maxCompressionRatio) {
      done(
        new BulwarkError(
          'E_LIMIT',
          `${this.label}: decompression ratio over ${this.limits.maxCompressionRatio}:1, likely a decompression bomb (raise with --max-compression-ratio)`,
        ),
      );
      return;
    }
    done(null, chunk);
  }
}
