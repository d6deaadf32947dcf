import * as tf from '@tensorflow/tfjs-core';
import { sumAdd, sumInit } from './accumulators';

/**
 * A histogram accumulator with one item's per-bin counts (float64, as a backend's loop counted
 * them) added, or a new one for null `acc`: int32 counts go through the checked int32 sum,
 * weighted counts through the compensated one (the active backend's sumAdd either way).
 */
export function addBinCounts(acc: tf.Tensor | null, counts: Float64Array, weighted: boolean): tf.Tensor {
  const c = weighted ? tf.tensor1d(Float32Array.from(counts)) : tf.tensor1d(Int32Array.from(counts), 'int32');
  return acc ? sumAdd(acc, c) : sumInit(c);
}
