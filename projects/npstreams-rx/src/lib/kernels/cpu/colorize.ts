import * as tf from '@tensorflow/tfjs-core';
import type { ColorRange, Colorized } from '../reference/colorize';
import { values } from './buffers';

const BINS = 1024;

/**
 * The colormap image of values (float32 or int32) in JS, two passes: the finite range (and, for
 * percentiles, a 1024-bin histogram), then each pixel's packed color from `lut` (256 entries),
 * NaN transparent black, ±inf the end colors. The same mapping as toImage's tfjs ops, in float64.
 */
export function colorizeLoop(x: ArrayLike<number>, lut: Int32Array, range: ColorRange): Colorized {
  const n = x.length;
  let lo: number;
  let hi: number;
  if (Array.isArray(range)) {
    [lo, hi] = range as [number, number];
  } else {
    [lo, hi] = [Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v - v === 0) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (range !== 'auto') {
      const width = Math.max(hi - lo, 1e-30);
      const counts = new Float64Array(BINS);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v - v !== 0) continue;
        counts[Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / width) * BINS)))]++;
        total++;
      }
      const at = (q: number) => {
        let c = 0;
        let k = 0;
        while (k < BINS - 1 && (c += counts[k]) < q * total) k++;
        return lo + (k / BINS) * width;
      };
      const { fractions } = range as { fractions: readonly [number, number] };
      [lo, hi] = [at(fractions[0]), at(fractions[1])];
    }
  }
  const pixels = new Int32Array(n);
  const span = hi - lo;
  const scale = span > 0 ? 255 / span : 0;
  const middle = lut[128];
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) continue; // NaN: transparent black (0)
    if (v === Infinity) pixels[i] = lut[255];
    else if (v === -Infinity) pixels[i] = lut[0];
    else if (!(span > 0)) pixels[i] = middle;
    else pixels[i] = lut[Math.round(Math.min(255, Math.max(0, (v - lo) * scale)))];
  }
  return { pixels, lo, hi };
}

/** colorize on the cpu backend: over the tensor's own buffer. */
export function colorize(x: tf.Tensor, lut: Int32Array, range: ColorRange): Colorized | null {
  const data = values(x);
  return x.dtype === 'bool' ? null : colorizeLoop(data, lut, range);
}
