import * as tf from '@tensorflow/tfjs-core';
import type { NumericDtype } from '../core/inputs';
import { validateDtype, validateFlag } from '../core/options';
import { type PreparedItem, type Reduction, frameByFrame } from '../core/reduction';
import { StreamInputError } from '../core/errors';
import { sumAdd, sumAddFrame, sumInit, sumMerge, sumValue } from '../kernels/accumulators';
import { sumAxes } from '../math/sum-axes';
import { ieeeDiv, notNaN, zeroNaNs } from '../math/nan';

/** Options of scanMean and reduceMean. */
export interface MeanOptions {
  /** npstreams' axis: omitted/-1 the stream axis, null all axes, k an axis of each item. */
  axis?: number | null;
  /** Result dtype, float32 by default. With int32 the sum runs in int32 and the mean is
   * truncated toward zero, as NumPy's `mean(dtype=np.int32)`. */
  dtype?: NumericDtype;
  /** Give NaNs zero weight (NumPy's nanmean); where every value was NaN the result is NaN. */
  ignoreNaN?: boolean;
}

/**
 * Running state of a weighted average: Σw·x as a sum accumulator (see sumInit: compensated in
 * float32) and Σw, a JS number while every weight is a scalar number (exact counts), else a
 * compensated sum accumulator of its own.
 */
export interface AverageState {
  /** Σw·x, a compensated sum accumulator. */
  weighted: tf.Tensor;
  /** Σw: a number (exact counts) or a compensated sum accumulator. */
  total: number | tf.Tensor;
}

/** The mean's frames path: each frame added into the compensated sum (sumAddFrame), counted. */
const countedFrames = frameByFrame<AverageState>((state, frame) => {
  const weighted = sumAddFrame(state.weighted, frame);
  return weighted && { weighted, total: (state.total as number) + 1 };
});

/** Σw·x / Σw with compensated sums; unit weights give the mean. */
export function averageReduction(
  operator: string,
  options: MeanOptions & { weights?: unknown },
  /** whether the user gave weights (else the total is a count, 0 only for empty items) */
  userWeights = options.weights !== undefined,
): Reduction<AverageState> {
  validateDtype(operator, options.dtype);
  validateFlag(operator, 'ignoreNaN', options.ignoreNaN);
  const intSum = options.dtype === 'int32';
  /** One item's contributions, reduced over `axes`: Σw·x and Σw (NaNs weigh nothing under ignoreNaN). */
  const contribution = ({ x, w }: PreparedItem, axes: number[]): { wx: tf.Tensor; w: number | tf.Tensor } => {
    let weight: number | tf.Tensor = w;
    let value = x;
    if (options.ignoreNaN && x.dtype === 'float32') {
      weight = tf.mul(notNaN(x), w);
      value = zeroNaNs(x);
    }
    const wx = weight === 1 ? value : tf.mul(tf.cast(value, 'float32'), weight);
    const reduce = (t: tf.Tensor): tf.Tensor => (axes.length ? sumAxes(t, axes) : t);
    if (typeof weight === 'number') return { wx: reduce(wx), w: weight * axes.reduce((n, a) => n * x.shape[a], 1) };
    return { wx: reduce(wx), w: reduce(weight.rank === x.rank ? weight : tf.mul(tf.onesLike(wx), weight)) };
  };
  /** A weight total as a sum accumulator of the item's shape. */
  const asSum = (total: number | tf.Tensor, shape: number[]): tf.Tensor => (typeof total === 'number' ? sumInit(tf.fill(shape, total, 'float32')) : total);
  const itemShape = (weighted: tf.Tensor): number[] => (weighted.dtype === 'float32' ? weighted.shape.slice(1) : weighted.shape);
  return {
    computeDtype: () => (intSum ? 'int32' : 'float32'),
    init: (item, axes) => {
      const { wx, w } = contribution(item, axes);
      return { weighted: sumInit(wx), total: typeof w === 'number' ? w : sumInit(w) };
    },
    update: (state, item) => {
      const { wx, w } = contribution(item, []);
      const total = typeof state.total === 'number' && typeof w === 'number' ? state.total + w : sumAdd(asSum(state.total, wx.shape), typeof w === 'number' ? tf.fill(wx.shape, w, 'float32') : w);
      return { weighted: sumAdd(state.weighted, wx), total };
    },
    // the mean's usual case: unit weights, a count, float32 frames
    updateFrames: (state, frames, w) => (w !== 1 || intSum || options.ignoreNaN || typeof state.total !== 'number' ? null : countedFrames(state, frames, w)),
    merge: (a, b) => ({
      weighted: sumMerge(a.weighted, b.weighted),
      total: typeof a.total === 'number' && typeof b.total === 'number' ? a.total + b.total : sumMerge(asSum(a.total, itemShape(a.weighted)), asSum(b.total, itemShape(a.weighted))),
    }),
    finalize: ({ weighted, total }) => {
      if (total === 0) {
        // np.average refuses weights summing to zero; np.mean of no values is NaN
        if (userWeights) throw new StreamInputError(`${operator}: the weights sum to zero, so the average is undefined`, -1);
        return tf.fill(weighted.dtype === 'float32' ? weighted.shape.slice(1) : weighted.shape, NaN);
      }
      // one pass for the usual case: a float32 sum divided by a non-zero count
      if (!intSum && typeof total === 'number') return sumValue(weighted, total);
      const num = tf.cast(sumValue(weighted), 'float32');
      // where no weight was seen the average is NaN, as NumPy's 0/0
      const mean = ieeeDiv(num, typeof total === 'number' ? total : sumValue(total));
      return intSum ? tf.cast(mean, 'int32') : mean;
    },
  };
}
