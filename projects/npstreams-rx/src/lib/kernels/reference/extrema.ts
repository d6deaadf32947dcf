import * as tf from '@tensorflow/tfjs-core';

/** The running extrema: maximum and minimum propagate NaN, fmax and fmin skip it (NumPy's rules). */
export type ExtremumOp = 'max' | 'min' | 'fmax' | 'fmin';

/** a op b with NaN wherever a or b is NaN, whatever the backend's min/max do with NaN. */
export const nanPropagating =
  (op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
  (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
    a.dtype !== 'float32' ? op(a, b) : tf.where(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), tf.fill(a.shape, NaN), op(a, b));

/** a op b taking the number where one side is NaN (NumPy's fmax/fmin). */
export const nanIgnoring =
  (op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
  (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
    a.dtype !== 'float32' ? op(a, b) : tf.where(tf.isNaN(a), b, tf.where(tf.isNaN(b), a, op(a, b)));

export const EXTREMA: Record<ExtremumOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  max: nanPropagating(tf.maximum),
  min: nanPropagating(tf.minimum),
  fmax: nanIgnoring(tf.maximum),
  fmin: nanIgnoring(tf.minimum),
};

/** The running extremum acc op x (elementwise, the item's shape). */
export function extremaUpdate(acc: tf.Tensor, x: tf.Tensor, op: ExtremumOp): tf.Tensor {
  return EXTREMA[op](acc, x);
}
