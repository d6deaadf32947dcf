import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type MeanOptions, averageReduction } from '../reductions/average';

/** The options of `scanAverage` and `reduceAverage`: the mean's, plus the items' weights. */
export interface AverageOptions extends MeanOptions {
  /** One weight per item, a number or an array that broadcasts to the item's shape, from an
   * iterable or a function `(item, index) => weight`, consumed in lockstep with the stream;
   * weights that run out before the stream are an error. Default: all 1. */
  weights?: Weights;
}

/**
 * The running weighted average of a stream of arrays (npstreams' `iaverage`), emitted after every
 * item.
 *
 * The first item fixes the shape and dtype; every item after it must match. Each item's weight
 * is a number or an array that broadcasts to the item's shape (per-element weights), from an
 * iterable or a function `(item, index) => weight`; a NaN weight, weights that run out or do not
 * broadcast are a `StreamInputError` naming the item. Weights may be negative, as
 * `np.average`'s; scalar weights summing to zero are an error, and an element whose array weights
 * sum to zero is NaN. Σw·x and Σw are kept as compensated float32 sums. With the default axis
 * the final emission equals NumPy's `np.average(np.stack(items, axis=-1), axis=-1, weights=w)`
 * (w the weights, broadcast and stacked the same way).
 *
 * @param options `weights` (default: all 1, the mean), `axis` (npstreams' convention), `dtype` of
 *   the result, `ignoreNaN` (NaNs get zero weight).
 * @returns An operator emitting the running average after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself. The user's items and weights
 *   are never modified or disposed.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanAverage } from 'npstreams-rx';
 *
 * from([[1, 2], [3, 4]])
 *   .pipe(scanAverage({ weights: [1, 3] }))
 *   .subscribe((average) => console.log(average.arraySync())); // [1, 2], then [2.5, 3.5]
 * ```
 */
export function scanAverage(options: AverageOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanAverage', averageReduction('scanAverage', options), options, 'scan');
}

/**
 * The weighted average of a whole stream of arrays (npstreams' `average`), emitted once when the
 * stream completes; an empty stream errors with an `EmptyStreamError`. Weights are read and
 * checked as for `scanAverage`.
 *
 * @param options `weights` (default: all 1, the mean), `axis` (npstreams' convention), `dtype` of
 *   the result, `ignoreNaN` (NaNs get zero weight).
 * @returns An operator emitting the average once. The tensor belongs to the subscriber: dispose
 *   it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceAverage } from 'npstreams-rx';
 *
 * // per-element weights: the second element of the first item does not count
 * const weights = [[1, 0], [1, 1]];
 * const average = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(reduceAverage({ weights })));
 * console.log(average.arraySync()); // [2, 4]
 * average.dispose();
 * ```
 */
export function reduceAverage(options: AverageOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceAverage', averageReduction('reduceAverage', options), options, 'reduce');
}
