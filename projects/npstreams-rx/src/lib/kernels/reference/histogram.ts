import * as tf from '@tensorflow/tfjs-core';
import { sumAdd, sumInit } from './sum';

/**
 * np.histogram of one item (flattened) with fixed edges: bin i counts edges[i] <= x <
 * edges[i + 1], the last bin includes its right edge; values outside the edges and NaNs are
 * not counted. Counts are int32, weighted counts float32; shape [edges.length - 1].
 */
export function histogramCounts(x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean): tf.Tensor {
  const nBins = edges.length - 1;
  return tf.tidy(() => {
    const e = tf.tensor1d(edges, 'float32');
    const flat = tf.reshape(x, [-1]);
    const inRange = tf.logicalAnd(tf.greaterEqual(flat, edges[0]), tf.lessEqual(flat, edges[nBins]));
    let bin = tf.sub(tf.searchSorted(e, flat, 'right'), tf.scalar(1, 'int32'));
    bin = tf.minimum(bin, tf.scalar(nBins - 1, 'int32')); // x == the last edge: the last bin
    bin = tf.where(inRange, bin, tf.fill(bin.shape, nBins, 'int32')); // bincount ignores >= size
    const wFlat = !weighted ? tf.tensor1d([], 'int32') : typeof w === 'number' ? tf.fill(flat.shape, w) : tf.reshape(tf.mul(tf.onesLike(x), w), [-1]);
    // (tfjs-backend-wasm's Bincount returns shape [1, size]: the reshape makes every backend agree)
    return tf.reshape(tf.bincount(bin as tf.Tensor1D, wFlat as tf.Tensor1D, nBins), [nBins]);
  });
}

/** The histogram accumulator (a sum of counts, see sumInit) with one more item counted; null
 * `acc` starts one. */
export function histogramUpdate(acc: tf.Tensor | null, x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean): tf.Tensor {
  const counts = histogramCounts(x, w, edges, weighted);
  return acc === null ? sumInit(counts) : sumAdd(acc, counts);
}
