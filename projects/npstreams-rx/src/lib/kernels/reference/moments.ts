import * as tf from '@tensorflow/tfjs-core';
import { ieeeDiv } from '../../math/nan';
import { own } from '../owned';
import { type DoubleFloat, dfAdd, dfAddPair, planes, stackPlanes, twoSum } from './double-float';

/**
 * A moments accumulator [P, ...shape], per element: the weighted mean (hi, lo) and
 * S = Σw(x - mean)² (hi, lo), plus, where weights differ between elements (array weights,
 * ignoreNaN), the weight total W (hi, lo): P = 4 or 6. With P = 4 the weight total is one JS
 * number kept by the caller (exact).
 *
 * Update (West's weighted Welford, both sums compensated, so the error does not grow with the
 * stream): W += w; d = x - mean; mean += d·w/W; S += w·d·(x - mean_new). Where x or the mean is
 * not finite the mean becomes mean + w·x (inf stays inf, inf - inf is NaN) and S is NaN, as
 * NumPy's var of data holding inf. With ignoreNaN a NaN value has weight 0.
 *
 * @param w the item's weight: a number, or a tensor of the item's shape (or a scalar tensor)
 * @param W with P = 4, the weight total including this item (a JS number)
 */
export function momentsUpdate(acc: tf.Tensor, x: tf.Tensor, w: number | tf.Tensor, W: number, ignoreNaN: boolean): tf.Tensor {
  const p = planes(acc);
  const mean: DoubleFloat = { hi: p[0], lo: p[1] };
  const S: DoubleFloat = { hi: p[2], lo: p[3] };
  let weight: number | tf.Tensor = w;
  let r: number | tf.Tensor;
  let total: DoubleFloat | null = null;
  if (p.length === 6) {
    let wt = tf.mul(tf.onesLike(x), w);
    if (ignoreNaN) {
      const nan = tf.isNaN(x);
      wt = tf.where(nan, tf.zerosLike(wt), wt);
      x = tf.where(nan, tf.zerosLike(x), x);
    }
    weight = wt;
    total = dfAdd({ hi: p[4], lo: p[5] }, wt);
    r = tf.where(tf.equal(total.hi, 0), tf.zerosLike(wt), tf.div(wt, total.hi));
  } else {
    r = W === 0 ? 0 : (w as number) / W;
  }
  const d = tf.sub(tf.sub(x, mean.hi), mean.lo);
  const m = dfAdd(mean, tf.mul(d, r));
  const e = tf.sub(tf.sub(x, m.hi), m.lo);
  const s = dfAdd(S, tf.mul(tf.mul(d, weight), e));
  const ok = tf.logicalAnd(tf.isFinite(x), tf.isFinite(mean.hi));
  const zero = tf.zerosLike(x);
  const out = [tf.where(ok, m.hi, tf.add(mean.hi, tf.mul(x, weight))), tf.where(ok, m.lo, zero), tf.where(ok, s.hi, tf.fill(x.shape, NaN)), tf.where(ok, s.lo, zero)];
  if (total) out.push(total.hi, total.lo);
  return stackPlanes(...out);
}

/** An empty moments accumulator (every plane 0) of an item's shape: a new buffer, so the fused
 * kernels update it in place from the first item on. */
export function momentsZero(shape: number[], perElementWeights: boolean): tf.Tensor {
  return own(tf.zeros([perElementWeights ? 6 : 4, ...shape]));
}

/** A moments accumulator from planes computed elsewhere: mean = shift + mean, S, and W. */
export function momentsFrom(shift: tf.Tensor, mean: tf.Tensor, S: tf.Tensor, W: tf.Tensor | null): tf.Tensor {
  const { s, e } = twoSum(shift, mean);
  const ok = tf.isFinite(s);
  const zero = tf.zerosLike(s);
  const ps = [s, tf.where(ok, e, zero), S, zero];
  if (W) ps.push(W, zero);
  return stackPlanes(...ps);
}

/** An accumulator with one JS weight total W widened to per-element W planes (P = 6). */
export function momentsWiden(acc: tf.Tensor, W: number): tf.Tensor {
  const p = planes(acc);
  return stackPlanes(...p, tf.fill(p[0].shape, W), tf.zerosLike(p[0]));
}

/** The weight total of an accumulator, as a tensor (P = 6) or the caller's number (P = 4). */
export function momentsTotal(acc: tf.Tensor, W: number | null): tf.Tensor | number {
  if (W !== null) return W;
  const p = planes(acc);
  return tf.add(p[4], p[5]);
}

/**
 * Chan, Golub & LeVeque's merge of two moment accumulators with totals Wa and Wb (JS numbers,
 * or null where the accumulator holds its W planes): d = mean_b - mean_a,
 * mean = mean_a + d·Wb/W, S = S_a + S_b + d²·Wa·Wb/W. Returns an accumulator with P = 6 unless
 * both totals are numbers.
 */
export function momentsMerge(a: tf.Tensor, Wa: number | null, b: tf.Tensor, Wb: number | null): tf.Tensor {
  const pa = planes(a);
  const pb = planes(b);
  const wa = momentsTotal(a, Wa);
  const wb = momentsTotal(b, Wb);
  const scalar = typeof wa === 'number' && typeof wb === 'number';
  const W = scalar ? wa + wb : tf.add(wa, wb);
  const ratio = (num: number | tf.Tensor): tf.Tensor | number => {
    if (typeof W === 'number') return W === 0 ? 0 : (num as number) / W;
    const n = tf.mul(tf.onesLike(W), num);
    return tf.where(tf.equal(W, 0), tf.zerosLike(n), tf.div(n, W));
  };
  const d = tf.add(tf.sub(pb[0], pa[0]), tf.sub(pb[1], pa[1]));
  const m = dfAdd({ hi: pa[0], lo: pa[1] }, tf.mul(d, ratio(wb)));
  const cross = tf.mul(tf.square(d), ratio(scalar ? (wa as number) * (wb as number) : tf.mul(wa, wb)));
  const s = dfAdd(dfAddPair({ hi: pa[2], lo: pa[3] }, { hi: pb[2], lo: pb[3] }), cross);
  const ok = tf.logicalAnd(tf.isFinite(pa[0]), tf.isFinite(pb[0]));
  // a mean that is not finite: Σw·x / W carries the infinities (inf - inf is NaN)
  const infinite = tf.div(tf.add(tf.mul(pa[0], wa), tf.mul(pb[0], wb)), W);
  const zero = tf.zerosLike(d);
  const out = [tf.where(ok, m.hi, infinite), tf.where(ok, m.lo, zero), tf.where(ok, s.hi, tf.fill(d.shape, NaN)), tf.where(ok, s.lo, zero)];
  if (!scalar) {
    const total = dfAddPair(
      typeof wa === 'number' ? { hi: tf.fill(d.shape, wa), lo: zero } : { hi: pa[4], lo: pa[5] },
      typeof wb === 'number' ? { hi: tf.fill(d.shape, wb), lo: zero } : { hi: pb[4], lo: pb[5] },
    );
    out.push(total.hi, total.lo);
  }
  return stackPlanes(...out);
}

/** What momentsValue computes from an accumulator. */
export type MomentsValue = 'mean' | 'var' | 'std' | 'sem';

/**
 * A statistic of a moments accumulator with weight total W (a JS number, or null: the W planes),
 * as a new tensor of the item's shape: the mean (NaN where no weight was seen), the variance
 * S / (W - ddof) (inf, or NaN where S is 0, when W - ddof <= 0, as NumPy), its square root, or
 * the standard error sqrt(var / W).
 */
export function momentsValue(acc: tf.Tensor, W: number | null, ddof: number, what: MomentsValue): tf.Tensor {
  const p = planes(acc);
  const total = momentsTotal(acc, W);
  if (what === 'mean') {
    const mean = tf.add(p[0], p[1]);
    if (typeof total === 'number') return total === 0 ? tf.fill(mean.shape, NaN) : mean;
    return tf.where(tf.equal(total, 0), tf.fill(mean.shape, NaN), mean);
  }
  const den = typeof total === 'number' ? Math.max(total - ddof, 0) : tf.relu(tf.sub(total, ddof));
  const variance = ieeeDiv(tf.add(p[2], p[3]), den);
  if (what === 'var') return variance;
  return tf.sqrt(what === 'std' ? variance : ieeeDiv(variance, total));
}
