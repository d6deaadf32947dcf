import * as tf from '@tensorflow/tfjs-core';

/**
 * A float32 pair whose unevaluated sum hi + lo carries ~48 significant bits (|lo| <= ulp(hi)/2
 * after every step): the running value of a compensated sum. Where the value is not finite
 * (±inf, NaN), hi holds it and lo is 0, so inf stays inf and NaN propagates.
 */
export interface DoubleFloat {
  hi: tf.Tensor;
  lo: tf.Tensor;
}

/**
 * Knuth's branch-free TwoSum: s = fl(a + b) and e with a + b = s + e exactly (in float32).
 * Every step is a separate tfjs op whose result is stored in float32, so nothing re-associates
 * the compensation away; the fused kernels keep the same order of operations.
 */
export function twoSum(a: tf.Tensor, b: tf.Tensor): { s: tf.Tensor; e: tf.Tensor } {
  const s = tf.add(a, b);
  const bVirtual = tf.sub(s, a);
  const aVirtual = tf.sub(s, bVirtual);
  return { s, e: tf.add(tf.sub(a, aVirtual), tf.sub(b, bVirtual)) };
}

/**
 * s + t as a renormalized pair (Dekker's FastTwoSum: |t| is at most about ulp(s)), so the
 * compensation never grows and never needs summing itself. Where s or the new hi is not
 * finite (overflow, inf, inf - inf), hi is s (or the overflowed inf) and lo is 0.
 */
function renormalize(s: tf.Tensor, t: tf.Tensor): DoubleFloat {
  const h = tf.add(s, t);
  const l = tf.sub(t, tf.sub(h, s));
  const sFinite = tf.isFinite(s);
  return { hi: tf.where(sFinite, h, s), lo: tf.where(tf.logicalAnd(sFinite, tf.isFinite(h)), l, tf.zerosLike(l)) };
}

/** (hi, lo) + x: one step of a compensated running sum. */
export function dfAdd(a: DoubleFloat, x: tf.Tensor): DoubleFloat {
  const { s, e } = twoSum(a.hi, x);
  return renormalize(s, tf.add(a.lo, e));
}

/** (a.hi, a.lo) + (b.hi, b.lo): two compensated sums merged. */
export function dfAddPair(a: DoubleFloat, b: DoubleFloat): DoubleFloat {
  const { s, e } = twoSum(a.hi, b.hi);
  return renormalize(s, tf.add(tf.add(a.lo, b.lo), e));
}

/** A pair holding exactly x. */
export function dfFrom(x: tf.Tensor): DoubleFloat {
  return { hi: x, lo: tf.zerosLike(x) };
}

/** hi + lo, rounded to float32. */
export function dfValue(a: DoubleFloat): tf.Tensor {
  return tf.add(a.hi, a.lo);
}

/** The planes of an accumulator ([P, ...shape]) as P tensors of the item's shape. */
export function planes(acc: tf.Tensor): tf.Tensor[] {
  return tf.unstack(acc);
}

/** P tensors of one shape stacked into an accumulator [P, ...shape]. */
export function stackPlanes(...ps: tf.Tensor[]): tf.Tensor {
  return tf.stack(ps);
}
