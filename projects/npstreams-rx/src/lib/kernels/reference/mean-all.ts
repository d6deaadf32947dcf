import * as tf from '@tensorflow/tfjs-core';

/** The mean of all of a tensor's elements as a float32 scalar, on its device (frameStats' per
 * emission): tfjs's Mean. NaN where one is NaN (or +inf meets -inf). A new tensor. */
export function meanAll(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(x.dtype === 'float32' ? x : tf.cast(x, 'float32')) as tf.Scalar);
}
