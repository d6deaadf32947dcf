import * as tf from '@tensorflow/tfjs-core';
import { IntegerOverflow } from '../../core/errors';
import { newTensor, outputFor, values } from './buffers';
import { histogramCounts, sumAddF32, sumAddI32 } from './loops';

const INT32_MAX = 2 ** 31 - 1;

/** histogramUpdate on the cpu backend: one pass over the item (a binary search per value),
 * the per-bin counts added into the accumulator (int32, checked, or a compensated sum). */
export function histogramUpdate(acc: tf.Tensor | null, x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean, seen: number): tf.Tensor {
  const nBins = edges.length - 1;
  const counts = new Float64Array(nBins);
  histogramCounts(values(x), edges, counts, weighted ? (typeof w === 'number' ? w : values(w)) : 1);
  const target = acc ?? tf.zeros(weighted ? [2, nBins] : [nBins], weighted ? 'float32' : 'int32');
  const out = acc ? outputFor(acc) : newTensor(target.shape, target.dtype as 'float32' | 'int32');
  if (weighted) sumAddF32(values(target) as Float32Array, counts, values(out) as Float32Array, nBins);
  else if (!sumAddI32(values(target) as Int32Array, counts, values(out) as Int32Array, INT32_MAX, 0, nBins)) {
    if (out !== acc) out.dispose();
    if (!acc) target.dispose();
    throw new IntegerOverflow(INT32_MAX);
  }
  if (!acc) target.dispose();
  return out;
}
