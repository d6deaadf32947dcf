import * as tf from '@tensorflow/tfjs-core';
import { IntegerOverflow } from '../../core/errors';
import { INT32_MAX } from '../reference/sum';
import { outputFor, values } from './buffers';
import { sumAddF32, sumAddI32, sumValueF32 } from '../shared/loops';

/** sumAdd on the cpu backend: one loop over the frame, in place where the accumulator allows. */
export function sumAdd(acc: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const out = outputFor(acc);
  if (acc.dtype === 'float32') {
    sumAddF32(values(acc) as Float32Array, values(x), values(out) as Float32Array, x.size);
    return out;
  }
  if (!sumAddI32(values(acc) as Int32Array, values(x), values(out) as Int32Array, INT32_MAX, 0, x.size)) {
    if (out !== acc) out.dispose();
    throw new IntegerOverflow(INT32_MAX);
  }
  return out;
}

/** sumValue on the cpu backend: (hi + lo) / divisor in one loop. */
export function sumValue(acc: tf.Tensor, divisor = 1): tf.Tensor {
  if (acc.dtype !== 'float32') return divisor === 1 ? tf.clone(acc) : tf.div(tf.cast(acc, 'float32'), divisor);
  const n = acc.size / 2;
  const out = new Float32Array(n);
  sumValueF32(values(acc) as Float32Array, out, n, divisor);
  return tf.tensor(out, acc.shape.slice(1), 'float32');
}
