import * as tf from '@tensorflow/tfjs-core';

/** tf.sum along `axes`, with the sum of no values (0) for an empty tensor: tfjs's webgl Sum
 * divides by the reduced size and fails (and leaves the context broken) when that is 0. */
export function sumAxes(t: tf.Tensor, axes: number[]): tf.Tensor {
  if (t.size > 0) return tf.sum(t, axes);
  return tf.zeros(
    t.shape.filter((_, i) => !axes.includes(i)),
    t.dtype === 'bool' ? 'int32' : t.dtype,
  );
}
