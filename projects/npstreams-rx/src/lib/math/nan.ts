// tfjs ops with NumPy's answers where the backends differ (NaN, division by zero): helpers of the
// kernels' references, the reductions and the operators alike, depending on tfjs alone.
import * as tf from '@tensorflow/tfjs-core';

/** x with its NaNs replaced by `fill` (int32 and bool tensors have none and come back as they are). */
export function fillNaNs(x: tf.Tensor, fill: number): tf.Tensor {
  return x.dtype === 'float32' ? tf.where(tf.isNaN(x), tf.fill(x.shape, fill), x) : x;
}

/** x with its NaNs replaced by 0. */
export function zeroNaNs(x: tf.Tensor): tf.Tensor {
  return fillNaNs(x, 0);
}

/** 1 where x is a number, 0 where it is NaN, as float32. */
export function notNaN(x: tf.Tensor): tf.Tensor {
  return tf.cast(tf.logicalNot(tf.isNaN(x)), 'float32');
}

/**
 * a / b for b >= 0 (a count or a weight total), with NumPy's results where b is 0 (NaN for 0/0,
 * ±Infinity for a/0) on every backend: tfjs's WebGL division returns 1 whenever a == b, 0/0
 * included, and a zero from relu may be -0 there, which would flip the sign of the infinity.
 */
export function ieeeDiv(a: tf.Tensor, b: tf.Tensor | number): tf.Tensor {
  if (typeof b === 'number') return b === 0 ? divByZero(a) : tf.div(a, b);
  return tf.where(tf.equal(b, 0), divByZero(a), tf.div(a, b));
}

function divByZero(a: tf.Tensor): tf.Tensor {
  return tf.where(tf.equal(a, 0), tf.fill(a.shape, NaN), tf.mul(tf.sign(a), Infinity));
}
