import * as tf from '@tensorflow/tfjs-core';
import { validateDdof, validateFlag } from '../core/options';
import { type PreparedItem, type Reduction, frameByFrame } from '../core/reduction';
import { momentsFrom, momentsMerge, momentsUpdate, momentsUpdateFrame, momentsUpdateFrames, momentsValue, momentsWiden, momentsZero } from '../kernels/accumulators';
import { notNaN, zeroNaNs } from '../math/nan';
import { sumAxes } from '../math/sum-axes';

/** Options of the variance, standard deviation, standard error and averageAndVar operators. */
export interface VarOptions {
  /** npstreams' axis: omitted/-1 the stream axis, null all axes, k an axis of each item. */
  axis?: number | null;
  /** Delta degrees of freedom: the divisor is W - ddof (W = the count, or the sum of the
   * weights, taken as frequency weights). Default 0 (1 for the standard error). */
  ddof?: number;
  /** Give NaNs zero weight (NumPy's nanvar); where every value was NaN the result is NaN. */
  ignoreNaN?: boolean;
}

/**
 * A mergeable moment state: the moments accumulator (see momentsUpdate: per element the
 * weighted mean and S = Σw(x - mean)², both compensated, and the weight total where it differs
 * between elements) and W, the weight total as a JS number while every weight is a scalar number
 * (exact), or null when the accumulator holds per-element totals.
 */
export interface MomentState {
  /** The moments accumulator. */
  acc: tf.Tensor;
  /** The weight total while it is one number for every element, else null. */
  W: number | null;
}

/** What scanAverageAndVar emits: both statistics from one pass. */
export interface AverageAndVar {
  [key: string]: tf.Tensor;
  /** The (weighted) average. */
  average: tf.Tensor;
  /** The (weighted) variance, with the options' ddof. */
  variance: tf.Tensor;
}

/** What a moments operator emits, from a finished state. */
export type MomentsOutput = 'var' | 'std' | 'sem' | 'averageAndVar';

/** The state of one item reduced over `axes` (not empty): a two-pass mean and S, computed
 * relative to one value of the item so that data far from zero keeps its digits. */
function itemMoments({ x, w }: PreparedItem, axes: number[], ignoreNaN: boolean): MomentState {
  let weight: number | tf.Tensor = w;
  let values = x;
  if (ignoreNaN) {
    weight = tf.mul(notNaN(x), w);
    values = zeroNaNs(x);
  }
  // shift by one value of the item (its first element along the axes): exact differences
  const shift = tf.slice(
    values,
    values.shape.map(() => 0),
    values.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
  const d = tf.sub(values, shift);
  const wFull = typeof weight === 'number' ? weight : tf.mul(tf.onesLike(d), weight);
  const W = typeof wFull === 'number' ? wFull * axes.reduce((n, a) => n * x.shape[a], 1) : sumAxes(wFull, axes);
  const mean = ieeeZeroDiv(sumAxes(tf.mul(d, wFull), axes), W);
  const dev = tf.sub(d, tf.reshape(mean, shift.shape));
  const S = sumAxes(tf.mul(wFull, tf.square(dev)), axes);
  return { acc: momentsFrom(tf.reshape(shift, mean.shape), mean, S, typeof W === 'number' ? null : W), W: typeof W === 'number' ? W : null };
}

/** a / W with 0 where W is 0 (no weight seen yet: the mean and S stay 0). */
function ieeeZeroDiv(a: tf.Tensor, W: number | tf.Tensor): tf.Tensor {
  if (typeof W === 'number') return W === 0 ? tf.zerosLike(a) : tf.div(a, W);
  return tf.where(tf.equal(W, 0), tf.zerosLike(a), tf.div(a, W));
}

/** One more item (the stream axis): the fused momentsUpdate kernel; the JS weight total goes
 * per-element (P = 6) once a weight is an array or ignoreNaN may drop values. */
function updateMoments(s: MomentState | null, { x, w }: PreparedItem, ignoreNaN: boolean): MomentState {
  const perElement = ignoreNaN || typeof w !== 'number' || (s !== null && s.W === null);
  if (!perElement) {
    const W = (s?.W ?? 0) + (w as number);
    return { acc: momentsUpdate(s?.acc ?? momentsZero(x.shape, false), x, w, W, false), W };
  }
  const acc = s === null ? momentsZero(x.shape, true) : s.W === null ? s.acc : momentsWiden(s.acc, s.W);
  return { acc: momentsUpdate(acc, x, w, 0, ignoreNaN), W: null };
}

/** Chan et al.'s merge of two moment states (see momentsMerge). */
export function mergeMoments(a: MomentState, b: MomentState): MomentState {
  return { acc: momentsMerge(a.acc, a.W, b.acc, b.W), W: a.W !== null && b.W !== null ? a.W + b.W : null };
}

/** The moments' frames path one frame at a time (momentsUpdateFrame: P = 4, W the total with the frame). */
const oneFrameAtATime = frameByFrame<MomentState>((state, frame, w) => {
  const W = (state.W as number) + w;
  const acc = momentsUpdateFrame(state.acc, frame, w, W);
  return acc && { acc, W };
});

/** Variance and mean of a weighted stream; with options as VarOptions, plus the core's weights. */
export function momentsReduction<O extends tf.Tensor | AverageAndVar>(operator: string, options: VarOptions, output: MomentsOutput): Reduction<MomentState, O> {
  validateDdof(operator, options.ddof);
  validateFlag(operator, 'ignoreNaN', options.ignoreNaN);
  const ignoreNaN = options.ignoreNaN ?? false;
  const ddof = options.ddof ?? (output === 'sem' ? 1 : 0);
  return {
    weightKind: 'frequency',
    computeDtype: () => 'float32',
    init: (item, axes) => (axes.length ? itemMoments(item, axes, ignoreNaN) : updateMoments(null, item, ignoreNaN)),
    update: (state, item) => updateMoments(state, item, ignoreNaN),
    updateFrames: (state, frames, w) => {
      if (ignoreNaN || state.W === null) return null;
      // several float32 frames: the batch kernel, reading the state once (cpu, wasm)
      if (frames.length > 1 && frames.every((f) => f instanceof Float32Array)) {
        const acc = momentsUpdateFrames(state.acc, frames as readonly Float32Array[], w, state.W);
        if (acc) return { acc, W: state.W + frames.length * w };
      }
      return oneFrameAtATime(state, frames, w);
    },
    merge: mergeMoments,
    finalize: ({ acc, W }) => {
      if (output !== 'averageAndVar') return momentsValue(acc, W, ddof, output) as O;
      return { average: momentsValue(acc, W, ddof, 'mean'), variance: momentsValue(acc, W, ddof, 'var') } as O;
    },
  };
}
