import { SingleBar, Presets } from 'cli-progress';
import type { ImageSource } from '../sources/types.js';

const megabytes = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/**
 * A bar of stored bytes read across all layers, on stderr and only when stderr is a terminal, so
 * stdout stays clean for machines.
 */
export function layerProgress(source: ImageSource, enabled: boolean): { update: (layer: number, bytes: number) => void; stop: () => void } {
  const total = source.layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
  if (!enabled || !process.stderr.isTTY || total === 0) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    { stream: process.stderr, format: 'reading layer {layer}/{layers} [{bar}] {percentage}% {done} of {size}', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  const done = new Array<number>(source.layers.length).fill(0);
  bar.start(total, 0, { layer: 1, layers: source.layers.length, done: megabytes(0), size: megabytes(total) });
  return {
    update: (layer, bytes) => {
      done[layer] = bytes;
      const sum = done.reduce((a, b) => a + b, 0);
      bar.update(sum, { layer: layer + 1, done: megabytes(sum) });
    },
    stop: () => bar.stop(),
  };
}
