import type { ColorRange, Colorized } from '../reference/colorize';

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
    [lo, hi] = finiteRange(x);
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
  if (span > 0) {
    // the common case in one comparison: t in [0, 255] (NaN, ±inf and values out of the range
    // fail it and take the careful path)
    const scale = 255 / span;
    for (let i = 0; i < n; i++) {
      const t = (x[i] - lo) * scale;
      pixels[i] = t >= 0 && t <= 255 ? lut[(t + 0.5) | 0] : outside(x[i], lo, lut);
    }
  } else {
    const middle = lut[128];
    for (let i = 0; i < n; i++) {
      const v = x[i];
      pixels[i] = v !== v ? 0 : v === Infinity ? lut[255] : v === -Infinity ? lut[0] : middle;
    }
  }
  return { pixels, lo, hi };
}

/** A value outside [lo, hi] (or NaN, or ±inf): the end colors, NaN transparent black (0). */
function outside(v: number, lo: number, lut: Int32Array): number {
  if (v !== v) return 0;
  return v < lo ? lut[0] : lut[255];
}

/** The finite min and max (NaN and ±inf left out; [inf, -inf] when no value is finite). */
function finiteRange(x: ArrayLike<number>): [number, number] {
  const n = x.length;
  // first without looking at each value's class: NaN fails both comparisons
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo - lo === 0 && hi - hi === 0) return [lo, hi];
  // an infinity was seen (or nothing finite): again, finite values only
  [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v - v === 0) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}
