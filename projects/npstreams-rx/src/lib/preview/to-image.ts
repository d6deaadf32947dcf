import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import type { ColorRange } from '../kernels/accumulators';
import { COLORMAPS, type ColormapName, sharedTable } from './colormaps';

/** How values map to colors. */
export interface ImageOptions {
  /** The colormap, one of `COLORMAPS`; default viridis. */
  colormap?: ColormapName;
  /**
   * The values mapped to the colormap's ends (values beyond take the end colors):
   * `[lo, hi]`; `'auto'` (default): the finite minimum and maximum; `{ percentiles: [p, q] }`:
   * the p-th and q-th percentiles of the finite values (within 1/1024 of the finite range: a
   * 1024-bin histogram, on the device except on wasm).
   */
  range?:
    | readonly [number, number]
    | 'auto'
    | {
        /** `[p, q]`, percentages with 0 <= p < q <= 100, e.g. `[1, 99]`. */
        percentiles: readonly [number, number];
      };
}

function checkOptions(operator: string, options: ImageOptions): void {
  const { colormap = 'viridis', range = 'auto' } = options;
  if (!COLORMAPS.includes(colormap)) throw new OptionError(`${operator}: colormap must be one of ${COLORMAPS.join(', ')}; received ${String(colormap)}`);
  if (range === 'auto') return;
  if (Array.isArray(range)) {
    if (range.length !== 2 || !range.every(Number.isFinite) || !(range[1] > range[0])) throw new OptionError(`${operator}: range [lo, hi] needs finite lo < hi; received ${JSON.stringify(range)}`);
    return;
  }
  const p = (range as { percentiles?: unknown }).percentiles;
  if (!Array.isArray(p) || p.length !== 2 || !(p[0] >= 0 && p[1] <= 100 && p[0] < p[1])) {
    throw new OptionError(`${operator}: range must be [lo, hi], 'auto' or { percentiles: [p, q] } with 0 <= p < q <= 100; received ${JSON.stringify(range)}`);
  }
}

/** The finite values' [min, max] as scalars (+inf, -inf where there is none). */
function finiteRange(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const finite = tf.isFinite(x);
  return [tf.min(tf.where(finite, x, tf.fill(x.shape, Infinity))), tf.max(tf.where(finite, x, tf.fill(x.shape, -Infinity)))];
}

const BINS = 1024;

/**
 * The p-th and q-th fractions' values of the finite values, from a 1024-bin histogram over
 * [lo, hi]: the lower edge of the bin where the cumulative count reaches the fraction. On the
 * device where the backend has UnsortedSegmentSum (cpu, webgl, webgpu); on wasm, whose data
 * lives in this thread's memory anyway, the same histogram in JS.
 */
function percentiles(x: tf.Tensor, lo: tf.Tensor, hi: tf.Tensor, fractions: readonly [number, number]): [tf.Tensor, tf.Tensor] {
  const finite = tf.isFinite(x);
  const width = tf.maximum(tf.sub(hi, lo), 1e-30);
  const bin = tf.cast(tf.clipByValue(tf.floor(tf.mul(tf.div(tf.sub(x, lo), width), BINS)), 0, BINS - 1), 'int32');
  const at = (first: tf.Tensor) => tf.add(lo, tf.mul(tf.div(tf.cast(first, 'float32'), BINS), width));
  if (tf.getBackend() === 'wasm') {
    const b = bin.dataSync();
    const f = finite.dataSync();
    const counts = new Float64Array(BINS);
    let total = 0;
    for (let i = 0; i < b.length; i++) {
      if (f[i]) {
        counts[b[i]]++;
        total++;
      }
    }
    const firstReaching = (q: number) => {
      let c = 0;
      for (let k = 0; k < BINS; k++) if ((c += counts[k]) >= q * total) return k;
      return BINS - 1;
    };
    return [at(tf.scalar(firstReaching(fractions[0]))), at(tf.scalar(firstReaching(fractions[1])))];
  }
  // a sum per bin (not Bincount: tfjs's is missing or broken on some backends)
  const weights = tf.cast(finite, 'float32');
  const counts = tf.unsortedSegmentSum(tf.reshape(weights, [-1]), tf.reshape(tf.where(finite, bin, tf.zerosLike(bin)), [-1]), BINS);
  const cumulative = tf.cumsum(counts);
  const total = tf.sum(weights);
  // the first bin where the cumulative count reaches q: the number of bins before it (cumulative
  // counts only grow; argMax over ties is not the first on every backend)
  const firstReaching = (q: number) => tf.sum(tf.cast(tf.less(cumulative, tf.mul(total, q)), 'int32'));
  return [at(firstReaching(fractions[0])), at(firstReaching(fractions[1]))];
}

/** Checks the options and that `x` is [h, w] or [h, w, 1]. */
export function checkImageInput(operator: string, x: tf.Tensor, options: ImageOptions): void {
  checkOptions(operator, options);
  const rank2 = x.rank === 2 || (x.rank === 3 && x.shape[2] === 1);
  if (!rank2) throw new OptionError(`${operator}: a [h, w] or [h, w, 1] tensor is drawn; received shape [${x.shape.join(', ')}]`);
}

/** The colorize kernel's form of the range option. */
export function colorRange(options: ImageOptions): ColorRange {
  const { range = 'auto' } = options;
  if (range === 'auto' || Array.isArray(range)) return range as ColorRange;
  const [p, q] = (range as { percentiles: readonly [number, number] }).percentiles;
  return { fractions: [p / 100, q / 100] };
}

/** A colormap's 256 colors as packed RGBA int32s (r in the low byte, alpha 255). */
export function packedColormap(colormap: ColormapName): Int32Array {
  const table = sharedTable(colormap);
  const packed = new Int32Array(256);
  for (let k = 0; k < 256; k++) packed[k] = table[3 * k] | (table[3 * k + 1] << 8) | (table[3 * k + 2] << 16) | (255 << 24);
  return packed;
}

/** Each value's colormap entry (0..255, int32) and where it is NaN, for a [h, w] or [h, w, 1] tensor. */
function colorIndex(operator: string, x: tf.Tensor, options: ImageOptions): { index: tf.Tensor; nan: tf.Tensor; lo: tf.Tensor; hi: tf.Tensor } {
  checkImageInput(operator, x, options);
  const { range = 'auto' } = options;
  const v = tf.cast(x.rank === 3 ? tf.squeeze(x, [2]) : x, 'float32');
  let lo: tf.Tensor;
  let hi: tf.Tensor;
  if (Array.isArray(range)) {
    lo = tf.scalar(range[0]);
    hi = tf.scalar(range[1]);
  } else {
    [lo, hi] = finiteRange(v);
    if (range !== 'auto') {
      const [p, q] = (range as { percentiles: readonly [number, number] }).percentiles;
      [lo, hi] = percentiles(v, lo, hi, [p / 100, q / 100]);
    }
  }
  const span = tf.sub(hi, lo);
  const nan = tf.isNaN(v);
  const finite = tf.isFinite(v);
  // t in [0, 1] from the finite values (lo = hi, or no finite value: the middle); ±inf are the
  // ends, set apart (not every backend clamps an infinite quotient)
  const spread = tf.greater(span, 0);
  const scaled = tf.clipByValue(tf.div(tf.sub(tf.where(finite, v, tf.zerosLike(v)), lo), tf.where(spread, span, tf.onesLike(span))), 0, 1);
  const inRange = tf.where(spread, scaled, tf.fill(v.shape, 0.5));
  const t = tf.where(finite, inRange, tf.where(tf.greater(v, 0), tf.onesLike(v), tf.zerosLike(v)));
  return { index: tf.cast(tf.round(tf.mul(tf.where(nan, tf.zerosLike(t), t), 255)), 'int32'), nan, lo, hi };
}

/**
 * A 2-D tensor ([h, w], or [h, w, 1]) as an RGBA image through a colormap, made on the tensor's
 * own device (nothing is read back). Values map linearly from the range onto the colormap's 256
 * entries; NaN is transparent black (alpha 0), ±inf take the end colors. An 'auto' range with
 * lo = hi (every finite value the same) maps everything to the middle color. Another rank, or invalid options (an
 * unknown colormap, a range without lo < hi, percentiles outside [0, 100]), is an OptionError.
 *
 * @param x The tensor ([h, w] or [h, w, 1]); it is read, never disposed or modified (a scan's
 *   emission may be given in `next`).
 * @param options `colormap` (default viridis), `range`: `[lo, hi]`, `'auto'` (the finite min
 *   and max, the default) or `{ percentiles: [p, q] }`.
 * @returns A new int32 tensor [h, w, 4] of 0..255 (RGBA), yours to dispose (or to
 *   `tf.browser.draw`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { toImage, useBackend } from 'npstreams-rx';
 *
 * await useBackend();
 * const x = tf.tensor2d([[0, 1], [NaN, 3]]);
 * const image = toImage(x, { colormap: 'gray' });
 * console.log(image.shape, image.arraySync()[1]); // [2, 2, 4] [[0, 0, 0, 0], [255, 255, 255, 255]]
 * tf.dispose([x, image]);
 * ```
 */
export function toImage(x: tf.Tensor, options: ImageOptions = {}): tf.Tensor3D {
  return tf.tidy(() => {
    const { index, nan } = colorIndex('toImage', x, options);
    return rgbaOf(index, nan, options.colormap ?? 'viridis');
  });
}

/**
 * The same image with each pixel's RGBA packed in one int32 (r in the low byte): read back, its
 * buffer is an ImageData's bytes as they are (little-endian), with no conversion in JS. With it,
 * the range drawn (two scalars), all yours to dispose.
 */
export function toPackedImage(x: tf.Tensor, options: ImageOptions = {}): { image: tf.Tensor2D; lo: tf.Tensor; hi: tf.Tensor } {
  return tf.tidy(() => {
    const { index, nan, lo, hi } = colorIndex('drawImage', x, options);
    const packed = packedColormap(options.colormap ?? 'viridis');
    return { image: tf.where(nan, tf.zerosLike(index), tf.gather(tf.tensor1d(packed, 'int32'), index)) as tf.Tensor2D, lo, hi };
  });
}

/** toImage with the range drawn (two scalars), all yours to dispose. */
export function toImageAndRange(x: tf.Tensor, options: ImageOptions = {}): { image: tf.Tensor3D; lo: tf.Tensor; hi: tf.Tensor } {
  return tf.tidy(() => {
    const { index, nan, lo, hi } = colorIndex('drawImage', x, options);
    return { image: rgbaOf(index, nan, options.colormap ?? 'viridis'), lo, hi };
  });
}

/** The RGBA image [h, w, 4] of colormap entries; NaN transparent black. */
function rgbaOf(index: tf.Tensor, nan: tf.Tensor, colormap: ColormapName): tf.Tensor3D {
  const rgbTable = tf.tensor2d(sharedTable(colormap), [256, 3], 'int32');
  const opaque = tf.expandDims(tf.where(nan, tf.zerosLike(index), tf.fill(index.shape, 255, 'int32')), 2);
  const rgb = tf.mul(tf.gather(rgbTable, index), tf.div(opaque, 255)); // [h, w, 3]
  return tf.concat([tf.cast(rgb, 'int32'), opaque], 2) as tf.Tensor3D;
}
