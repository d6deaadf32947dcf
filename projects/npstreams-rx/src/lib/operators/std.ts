import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type VarOptions, momentsReduction } from '../reductions/moments';

/**
 * The running standard deviation of a stream of arrays (npstreams' `istd`), emitted after every
 * item.
 *
 * The square root of the variance `scanVar` computes, with the same one-pass update, options and
 * checks: frequency weights (a negative or NaN weight is a `StreamInputError` naming the item),
 * the divisor W - ddof, a float32 result. With the default axis the final emission equals NumPy's
 * `np.stack(items, axis=-1).std(axis=-1, ddof=ddof)`.
 *
 * @param options `axis` (npstreams' convention), `ddof` (default 0), `weights` (frequency
 *   weights; default all 1), `ignoreNaN` (nanstd: NaNs get zero weight).
 * @returns An operator emitting the running standard deviation after every item. Each emission
 *   stays valid until this operator's next emission or teardown: read it in `next`, or
 *   `.clone()` it to keep it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanStd } from 'npstreams-rx';
 *
 * from([[1, 0], [3, 6]])
 *   .pipe(scanStd())
 *   .subscribe((std) => console.log(std.arraySync())); // [0, 0], then [1, 3]
 * ```
 */
export function scanStd(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanStd', momentsReduction('scanStd', options, 'std'), options, 'scan');
}

/**
 * The standard deviation of a whole stream of arrays (npstreams' `std`), emitted once when the
 * stream completes; an empty stream errors with an `EmptyStreamError`. Computed and checked as
 * by `scanVar`.
 *
 * @param options `axis` (npstreams' convention), `ddof` (default 0), `weights` (frequency
 *   weights; default all 1), `ignoreNaN` (nanstd: NaNs get zero weight).
 * @returns An operator emitting the standard deviation once. The tensor belongs to the
 *   subscriber: dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceStd } from 'npstreams-rx';
 *
 * const std = await lastValueFrom(from([[1, 0], [3, 6], [5, 3]]).pipe(reduceStd({ ddof: 1 })));
 * console.log(std.arraySync()); // [2, 3]
 * std.dispose();
 * ```
 */
export function reduceStd(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceStd', momentsReduction('reduceStd', options, 'std'), options, 'reduce');
}
