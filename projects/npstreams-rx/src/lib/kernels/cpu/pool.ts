import type * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/pool';
import { pool2dLoop } from '../shared/loops';
import { newTensor, values } from './buffers';

/** pool2d on the cpu backend: one JS pass over the backend's buffer (block sums in float64). */
export function pool2d(x: tf.Tensor, f: number, op: reference.PoolOp): tf.Tensor2D {
  if (x.dtype !== 'float32') return reference.pool2d(x, f, op);
  const [h, w] = x.shape;
  const out = newTensor([Math.floor(h / f), Math.floor(w / f)], 'float32');
  pool2dLoop(values(x) as Float32Array, values(out) as Float32Array, h, w, f, op === 'max');
  return out as tf.Tensor2D;
}
