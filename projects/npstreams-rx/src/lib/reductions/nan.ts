import * as tf from '@tensorflow/tfjs-core';

/** x with its NaNs replaced by 0 (int32 and bool tensors have none and come back as they are). */
export function zeroNaNs(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'float32' ? tf.where(tf.isNaN(x), tf.zerosLike(x), x) : x;
}

/** 1 where x is a number, 0 where it is NaN, as float32. */
export function notNaN(x: tf.Tensor): tf.Tensor {
  return tf.cast(tf.logicalNot(tf.isNaN(x)), 'float32');
}
