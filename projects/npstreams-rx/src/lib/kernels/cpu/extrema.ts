import type * as tf from '@tensorflow/tfjs-core';
import type { ExtremumOp } from '../reference/extrema';
import { outputFor, values } from './buffers';
import { EXTREMUM_CODES, extremaUpdate as loop } from '../shared/loops';

/** extremaUpdate on the cpu backend: one loop over the frame, in place where allowed. */
export function extremaUpdate(acc: tf.Tensor, x: tf.Tensor, op: ExtremumOp): tf.Tensor {
  const out = outputFor(acc);
  loop(values(acc), values(x), values(out), EXTREMUM_CODES[op], 0, x.size);
  return out;
}
