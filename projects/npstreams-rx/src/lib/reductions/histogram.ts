import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import type { Reduction } from '../core/reduction';
import { type CompensatedSum, compensatedAdd, compensatedInit, compensatedMerge, compensatedValue } from '../kernels/compensated-sum';

/** Checks histogram bin edges as NumPy does (at least two, monotonically increasing). */
export function checkBins(operator: string, bins: ArrayLike<number>): Float32Array {
  const edges = Float32Array.from(bins);
  if (edges.length < 2) throw new OptionError(`${operator}: bins must be at least 2 edges; received ${edges.length}`);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] >= edges[i - 1])) {
      throw new OptionError(`${operator}: bins must increase monotonically; edge ${i} (${bins[i]}) is below edge ${i - 1} (${bins[i - 1]})`);
    }
  }
  return edges;
}

/**
 * np.histogram of each item (flattened) with fixed edges, summed over the stream: bin i counts
 * edges[i] <= x < edges[i + 1], the last bin includes its right edge; values outside the edges
 * and NaNs are not counted. Counts are int32 (exact), weighted counts compensated float32.
 */
export function histogramReduction(edges: Float32Array, weighted: boolean): Reduction<CompensatedSum> {
  const nBins = edges.length - 1;
  // (tfjs-backend-wasm's Bincount returns shape [1, size]: the reshape makes every backend agree)
  const counts = (x: tf.Tensor, w: number | tf.Tensor): tf.Tensor => tf.reshape(binCounts(x, w), [nBins]);
  const binCounts = (x: tf.Tensor, w: number | tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const e = tf.tensor1d(edges, 'float32');
      const flat = tf.reshape(x, [-1]);
      const last = edges[nBins];
      const inRange = tf.logicalAnd(tf.greaterEqual(flat, edges[0]), tf.lessEqual(flat, last));
      let bin = tf.sub(tf.searchSorted(e, flat, 'right'), tf.scalar(1, 'int32'));
      bin = tf.minimum(bin, tf.scalar(nBins - 1, 'int32')); // x == the last edge: the last bin
      bin = tf.where(inRange, bin, tf.fill(bin.shape, nBins, 'int32')); // bincount ignores >= size
      if (!weighted) return tf.bincount(bin as tf.Tensor1D, tf.tensor1d([], 'int32'), nBins);
      const wFlat = typeof w === 'number' ? tf.fill(flat.shape, w) : tf.reshape(tf.mul(tf.onesLike(x), w), [-1]);
      return tf.bincount(bin as tf.Tensor1D, wFlat as tf.Tensor1D, nBins);
    });
  return {
    computeDtype: () => 'float32',
    init: ({ x, w }) => compensatedInit(counts(x, w)),
    update: (state, { x, w }) => compensatedAdd(state, counts(x, w)),
    merge: compensatedMerge,
    finalize: compensatedValue,
  };
}
