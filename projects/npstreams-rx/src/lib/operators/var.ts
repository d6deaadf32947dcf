import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type VarOptions, momentsReduction } from '../reductions/moments';

/**
 * The running variance of a stream of arrays (npstreams' `ivar`), emitted after every item.
 *
 * The first item fixes the shape; every item after it must match. The variance is computed in
 * one pass with a shifted, weighted Welford update (West), its sums compensated in float32, so it
 * stays accurate over long streams and for data far from zero; the result is float32. Weights are
 * frequency weights (as `np.cov`'s fweights): a number or an array that broadcasts to the item's
 * shape, per item, from an iterable or a function `(item, index) => weight`; a negative or NaN
 * weight is a `StreamInputError` naming the item. The divisor is W - ddof, W the count or the sum
 * of the weights; while W - ddof <= 0 the variance is inf, or NaN where the values all agree, as
 * NumPy's. With the default axis the final emission equals NumPy's
 * `np.stack(items, axis=-1).var(axis=-1, ddof=ddof)`.
 *
 * @param options `axis` (npstreams' convention), `ddof` (default 0), `weights` (frequency
 *   weights; default all 1), `ignoreNaN` (nanvar: NaNs get zero weight).
 * @returns An operator emitting the running variance after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanVar } from 'npstreams-rx';
 *
 * from([[1, 0], [1, 6], [4, 3]])
 *   .pipe(scanVar())
 *   .subscribe((v) => console.log(v.arraySync())); // [0, 0], then [0, 9], then [2, 6]
 * ```
 */
export function scanVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanVar', momentsReduction('scanVar', options, 'var'), options, 'scan');
}

/**
 * The variance of a whole stream of arrays (npstreams' `var`), emitted once when the stream
 * completes; an empty stream errors with an `EmptyStreamError`. Computed and checked as by
 * `scanVar`.
 *
 * @param options `axis` (npstreams' convention), `ddof` (default 0), `weights` (frequency
 *   weights; default all 1), `ignoreNaN` (nanvar: NaNs get zero weight).
 * @returns An operator emitting the variance once. The tensor belongs to the subscriber: dispose
 *   it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceVar } from 'npstreams-rx';
 *
 * const items = [[1, 0], [1, 6], [4, 3]];
 * const variance = await lastValueFrom(from(items).pipe(reduceVar({ ddof: 1 })));
 * console.log(variance.arraySync()); // [3, 9]
 * variance.dispose();
 * ```
 */
export function reduceVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceVar', momentsReduction('reduceVar', options, 'var'), options, 'reduce');
}
