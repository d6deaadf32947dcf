import * as tf from '@tensorflow/tfjs-core';
import type { PreparedItem, Reduction } from '../core/reduction';
import { ieeeDiv, notNaN, zeroNaNs } from './nan';

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
 * A mergeable moment state, per element: W = Σw (a JS number while every weight is a scalar
 * number, exact; else a float32 tensor), the weighted mean and S = Σw(x - mean)², both kept
 * relative to `shift` (the first values seen), so that data far from zero (1e4 + N(0,1)) keeps
 * its digits in float32.
 */
export interface MomentState {
  shift: tf.Tensor;
  W: number | tf.Tensor;
  mean: tf.Tensor;
  S: tf.Tensor;
}

/** What scanAverageAndVar emits: both statistics from one pass. */
export interface AverageAndVar {
  [key: string]: tf.Tensor;
  average: tf.Tensor;
  variance: tf.Tensor;
}

/** What a moments operator emits, from a finished state. */
export type MomentsOutput = 'var' | 'std' | 'sem' | 'averageAndVar';

/** The state of one item reduced over `axes`: a two-pass mean and S in shifted coordinates. */
function itemMoments({ x, w }: PreparedItem, axes: number[], ignoreNaN: boolean): MomentState {
  let weight: number | tf.Tensor = w;
  let values = x;
  if (ignoreNaN) {
    weight = tf.mul(notNaN(x), w);
    values = zeroNaNs(x);
  }
  if (axes.length === 0) {
    // one value per element: the shift is the value itself, so mean and S are 0 (NaN for a NaN
    // or infinite value, as NumPy's var of [nan] or [inf])
    const zero = tf.sub(values, values);
    return { shift: values, W: weight, mean: zero, S: zero };
  }
  // shift by one value of the item (its first element along the axes): exact differences
  const shift = tf.slice(values, values.shape.map(() => 0), values.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  const d = tf.sub(values, shift);
  const wFull = typeof weight === 'number' ? weight : tf.mul(tf.onesLike(d), weight);
  const W = typeof wFull === 'number' ? wFull * axes.reduce((n, a) => n * x.shape[a], 1) : tf.sum(wFull, axes);
  const mean = ieeeZeroDiv(tf.sum(tf.mul(d, wFull), axes), W);
  const dev = tf.sub(d, tf.reshape(mean, shift.shape));
  return { shift: tf.reshape(shift, mean.shape), W, mean, S: tf.sum(tf.mul(wFull, tf.square(dev)), axes) };
}

/** a / W with 0 where W is 0 (no weight seen yet: the mean and S stay 0). */
function ieeeZeroDiv(a: tf.Tensor, W: number | tf.Tensor): tf.Tensor {
  if (typeof W === 'number') return W === 0 ? tf.zerosLike(a) : tf.div(a, W);
  return tf.where(tf.equal(W, 0), tf.zerosLike(a), tf.div(a, W));
}

const addW = (a: number | tf.Tensor, b: number | tf.Tensor): number | tf.Tensor =>
  typeof a === 'number' && typeof b === 'number' ? a + b : tf.add(a, b);
const mulW = (a: number | tf.Tensor, b: number | tf.Tensor): number | tf.Tensor =>
  typeof a === 'number' && typeof b === 'number' ? a * b : tf.mul(a, b);

/**
 * Chan, Golub & LeVeque's merge of two moment states, in a's shifted coordinates:
 * d = mean_b - mean_a, mean = mean_a + d·W_b/W, S = S_a + S_b + d²·W_a·W_b/W.
 */
export function mergeMoments(a: MomentState, b: MomentState): MomentState {
  const W = addW(a.W, b.W);
  const bMean = tf.add(b.mean, tf.sub(b.shift, a.shift)); // b's mean seen from a's shift
  const d = tf.sub(bMean, a.mean);
  const mean = tf.add(a.mean, tf.mul(d, tf.mul(ieeeZeroDiv(tf.onesLike(d), W), b.W)));
  const S = tf.add(tf.add(a.S, b.S), tf.mul(tf.square(d), tf.mul(ieeeZeroDiv(tf.onesLike(d), W), mulW(a.W, b.W))));
  return { shift: a.shift, W, mean, S };
}

/**
 * West's weighted Welford update with one more item, in shifted coordinates:
 * W += w; d = x - mean; mean += (w/W)·d; S += w·d·(x - mean_new).
 */
function updateMoments(s: MomentState, item: PreparedItem, ignoreNaN: boolean): MomentState {
  let w: number | tf.Tensor = item.w;
  let x = item.x;
  if (ignoreNaN) {
    w = tf.mul(notNaN(x), w);
    x = zeroNaNs(x);
  }
  const W = addW(s.W, w);
  const d = tf.sub(tf.sub(x, s.shift), s.mean);
  const mean = tf.add(s.mean, tf.mul(d, tf.mul(ieeeZeroDiv(tf.onesLike(d), W), w)));
  const S = tf.add(s.S, tf.mul(tf.mul(d, tf.sub(tf.sub(x, s.shift), mean)), w));
  return { shift: s.shift, W, mean, S };
}

/** Variance and mean of a weighted stream; with options as VarOptions, plus the core's weights. */
export function momentsReduction<O extends tf.Tensor | AverageAndVar>(options: VarOptions, output: MomentsOutput): Reduction<MomentState, O> {
  const ignoreNaN = options.ignoreNaN ?? false;
  const ddof = options.ddof ?? (output === 'sem' ? 1 : 0);
  return {
    computeDtype: () => 'float32',
    init: (item, axes) => itemMoments(item, axes, ignoreNaN),
    update: (state, item) => updateMoments(state, item, ignoreNaN),
    merge: mergeMoments,
    finalize: ({ shift, W, mean, S }) => {
      const den = typeof W === 'number' ? Math.max(W - ddof, 0) : tf.relu(tf.sub(W, ddof));
      // W - ddof <= 0 gives inf (or NaN where S is 0), as NumPy
      const variance = ieeeDiv(S, den);
      if (output === 'var') return variance as O;
      if (output === 'std') return tf.sqrt(variance) as O;
      if (output === 'sem') return tf.sqrt(ieeeDiv(variance, W)) as O;
      const average = typeof W === 'number' && W === 0 ? tf.fill(mean.shape, NaN) : tf.add(shift, ieeeNaNWhereNoWeight(mean, W));
      return { average, variance } as O;
    },
  };
}

/** The mean, NaN where no weight was seen. */
function ieeeNaNWhereNoWeight(mean: tf.Tensor, W: number | tf.Tensor): tf.Tensor {
  return typeof W === 'number' ? mean : tf.where(tf.equal(W, 0), tf.fill(mean.shape, NaN), mean);
}
