import * as tf from '@tensorflow/tfjs-core';
import { defineKernel } from './registry';

/**
 * A running sum kept as an unevaluated pair (sum + compensation), Kahan/Neumaier style:
 * its error stays about 2u·Σ|x| however long the stream (u = 2^-24), where a plain float32
 * accumulator drifts by up to n·u·Σ|x|. Integer sums are exact and carry no compensation.
 */
export interface CompensatedSum {
  sum: tf.Tensor;
  /** The rounding errors of `sum`, accumulated; null for int32 sums (exact). */
  comp: tf.Tensor | null;
}

/**
 * Knuth's branch-free TwoSum: s = fl(a + b) and e with a + b = s + e exactly (in float32).
 * Every step is a separate tfjs op whose result is stored in float32, so no compiler can
 * re-associate the compensation away; a fused kernel must keep the same order of operations.
 */
function twoSum(a: tf.Tensor, b: tf.Tensor): { s: tf.Tensor; e: tf.Tensor } {
  const s = tf.add(a, b);
  const bVirtual = tf.sub(s, a);
  const aVirtual = tf.sub(s, bVirtual);
  const e = tf.add(tf.sub(a, aVirtual), tf.sub(b, bVirtual));
  return { s, e };
}

/** A compensated sum holding exactly `x` (already reduced by the caller if need be). */
export const compensatedInit = defineKernel('compensatedInit', (x: tf.Tensor): CompensatedSum => ({
  sum: tf.clone(x),
  comp: x.dtype === 'float32' ? tf.zerosLike(x) : null,
}));

/** acc + x, with the rounding error of the addition folded into the compensation. */
export const compensatedAdd = defineKernel('compensatedAdd', (acc: CompensatedSum, x: tf.Tensor): CompensatedSum => {
  if (acc.comp === null) return { sum: tf.add(acc.sum, x), comp: null };
  const { s, e } = twoSum(acc.sum, x);
  return { sum: s, comp: tf.add(acc.comp, e) };
});

/** a + b for two partial compensated sums (Neumaier's merge). */
export const compensatedMerge = defineKernel('compensatedMerge', (a: CompensatedSum, b: CompensatedSum): CompensatedSum => {
  if (a.comp === null || b.comp === null) return { sum: tf.add(a.sum, b.sum), comp: null };
  const { s, e } = twoSum(a.sum, b.sum);
  return { sum: s, comp: tf.add(tf.add(a.comp, b.comp), e) };
});

/** The value of a compensated sum, as one new tensor. */
export const compensatedValue = defineKernel('compensatedValue', (acc: CompensatedSum): tf.Tensor =>
  acc.comp === null ? tf.clone(acc.sum) : tf.add(acc.sum, acc.comp),
);
