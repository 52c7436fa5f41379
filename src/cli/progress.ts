import { SingleBar, Presets } from 'cli-progress';
import type { ImageSource } from '../sources/types.js';

/**
 * A bar of stored bytes read across all layers, on stderr and only when stderr is a terminal, so
 * stdout stays clean for machines.
 */
export function layerProgress(source: ImageSource, enabled: boolean): { update: (layer: number, bytes: number) => void; stop: () => void } {
  const total = source.layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
  if (!enabled || !process.stderr.isTTY || total === 0) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    { stream: process.stderr, format: 'layers {layer}/{layers} [{bar}] {percentage}% {value}/{total} bytes', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  const done = new Array<number>(source.layers.length).fill(0);
  bar.start(total, 0, { layer: 1, layers: source.layers.length });
  return {
    update: (layer, bytes) => {
      done[layer] = bytes;
      bar.update(done.reduce((a, b) => a + b, 0), { layer: layer + 1 });
    },
    stop: () => bar.stop(),
  };
}
