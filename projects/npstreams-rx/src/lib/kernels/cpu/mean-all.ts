import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/mean-all';
import { sumAllLoop } from '../shared/loops';
import { values } from './buffers';

/** meanAll on the cpu backend: one JS pass in float64 over the backend's buffer. */
export function meanAll(x: tf.Tensor): tf.Scalar {
  if (x.dtype !== 'float32' || x.size === 0) return reference.meanAll(x);
  return tf.scalar(sumAllLoop(values(x) as Float32Array, 0, x.size) / x.size, 'float32');
}
