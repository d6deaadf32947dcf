import type * as tf from '@tensorflow/tfjs-core';
import { addBinCounts } from '../bin-counts';
import { values } from './buffers';
import { histogramCounts } from '../shared/loops';

/** histogramUpdate on the cpu backend: one pass over the item (a binary search per value),
 * the per-bin counts added into the accumulator (int32, checked, or a compensated sum). */
export function histogramUpdate(acc: tf.Tensor | null, x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean): tf.Tensor {
  const counts = new Float64Array(edges.length - 1);
  histogramCounts(values(x), edges, counts, weighted ? (typeof w === 'number' ? w : values(w)) : 1);
  return addBinCounts(acc, counts, weighted);
}
