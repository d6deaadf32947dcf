import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { checkBins, histogramReduction } from '../reductions/histogram';

/** The options of `scanHistogram` and `reduceHistogram`. */
export interface HistogramOptions {
  /** One weight per item, a number or an array that broadcasts to the item's shape
   * (np.histogram's weights), from an iterable or a function `(item, index) => weight`. */
  weights?: Weights;
}

/**
 * The running histogram of every value seen in a stream of arrays (npstreams' `ihistogram`),
 * emitted after every item.
 *
 * `bins` are the edges, as np.histogram's: bin i counts edges[i] <= x < edges[i + 1], the last
 * bin includes its right edge, and values outside the edges and NaNs are not counted. Items may
 * have any shape (each is flattened); the first fixes it for the rest. The edges are checked
 * when the operator is made (at least two numbers, increasing monotonically; else an
 * `OptionError`). Counts are int32 and exact (an `OverflowError` past 2^31 - 1); with `weights`,
 * each value adds its weight instead of 1, summed in compensated float32 (a NaN weight is a
 * `StreamInputError` naming the item).
 *
 * @param bins The bin edges, including the rightmost: `bins.length - 1` bins.
 * @param options `weights` (np.histogram's; default: every value counts 1).
 * @returns An operator emitting the running counts (shape `[bins.length - 1]`) after every item.
 *   Each emission stays valid until this operator's next emission or teardown: read it in `next`,
 *   or `.clone()` it to keep it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanHistogram } from 'npstreams-rx';
 *
 * from([[0.5, 1.5, 3], [2.5, 2.9, 7]])
 *   .pipe(scanHistogram([0, 1, 2, 3]))
 *   .subscribe((counts) => console.log(counts.arraySync())); // [1, 1, 1], then [1, 1, 3]
 * ```
 */
export function scanHistogram(bins: ArrayLike<number>, options: HistogramOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanHistogram', histogramReduction(checkBins('scanHistogram', bins), options.weights !== undefined), options, 'scan');
}

/**
 * The histogram of every value in a whole stream of arrays (the final value of npstreams'
 * `ihistogram`), emitted once when the stream completes; an empty stream errors with an
 * `EmptyStreamError`. Edges, counts and weights are as for `scanHistogram`.
 *
 * @param bins The bin edges, including the rightmost: `bins.length - 1` bins.
 * @param options `weights` (np.histogram's; default: every value counts 1).
 * @returns An operator emitting the counts (shape `[bins.length - 1]`) once. The tensor belongs
 *   to the subscriber: dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceHistogram } from 'npstreams-rx';
 *
 * // every value of the second item counts twice
 * const histogram = reduceHistogram([0, 1, 2, 3], { weights: [1, 2] });
 * const counts = await lastValueFrom(from([[0.5, 1.5], [0.5, 2.5]]).pipe(histogram));
 * console.log(counts.arraySync()); // [3, 1, 2]
 * counts.dispose();
 * ```
 */
export function reduceHistogram(bins: ArrayLike<number>, options: HistogramOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceHistogram', histogramReduction(checkBins('reduceHistogram', bins), options.weights !== undefined), options, 'reduce');
}
