import * as tf from '@tensorflow/tfjs-core';
import { checkedIntAdd, intLimit, sumAdd, sumInit } from './sum';

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
    if (tf.getBackend() === 'webgpu') return countsByComparison(flat, weighted ? wFlat : null, edges);
    // (tfjs-backend-wasm's Bincount returns shape [1, size]: the reshape makes every backend agree)
    return tf.reshape(tf.bincount(bin as tf.Tensor1D, wFlat as tf.Tensor1D, nBins), [nBins]);
  });
}

/**
 * The histogram accumulator (a sum of counts, see sumInit) with one more item counted; null
 * `acc` starts one. `seen`: how many values were counted before this item, which bounds every
 * int32 count, so that the overflow check (a read back) runs only once a count could overflow.
 */
export function histogramUpdate(acc: tf.Tensor | null, x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean, seen: number): tf.Tensor {
  const counts = histogramCounts(x, w, edges, weighted);
  if (acc === null) return sumInit(counts);
  return weighted ? sumAdd(acc, counts) : addCounts(acc, counts, seen + x.size);
}

/** int32 counts added, checked only where `bound` (the values counted so far) passes the
 * backend's exact int range. */
export function addCounts(acc: tf.Tensor, counts: tf.Tensor, bound: number): tf.Tensor {
  return bound <= intLimit() ? tf.add(acc, counts) : checkedIntAdd(acc, counts);
}

/**
 * The same counts without tfjs's Bincount, whose webgpu program the WGSL compilers reject:
 * ge[j] = Σ w·[x >= edges[j]], bin j = ge[j] - ge[j + 1], the last bin ge[n - 1] - Σ w·[x > last].
 * Memory ~ values × edges (a comparison matrix): the reference, not the fast path.
 */
function countsByComparison(flat: tf.Tensor, w: tf.Tensor | null, edges: Float32Array): tf.Tensor {
  const nBins = edges.length - 1;
  const e = tf.reshape(tf.tensor1d(edges, 'float32'), [-1, 1]);
  const row = tf.reshape(flat, [1, -1]);
  const dtype = w ? 'float32' : 'int32';
  const weigh = (mask: tf.Tensor): tf.Tensor => tf.sum(w ? tf.mul(tf.cast(mask, 'float32'), tf.reshape(w, [1, -1])) : tf.cast(mask, 'int32'), 1);
  const ge = weigh(tf.greaterEqual(row, e)); // [edges]
  const aboveLast = weigh(tf.greater(row, tf.scalar(edges[nBins])));
  const upper = tf.concat([tf.slice(ge, [1], [nBins - 1]), aboveLast]);
  return tf.cast(tf.sub(tf.slice(ge, [0], [nBins]), upper), dtype);
}
