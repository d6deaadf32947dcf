import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { type MeanOptions, averageReduction } from '../reductions/average';

/**
 * The running mean of a stream of arrays (npstreams' `imean`), emitted after every item.
 *
 * The first item fixes the shape and dtype; every item after it must match. The mean is kept as
 * a compensated float32 sum and a count, so it stays accurate over long streams. With the
 * default axis the final emission equals NumPy's `np.stack(items, axis=-1).mean(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN` (nanmean).
 * @returns An operator emitting the running mean after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanMean } from 'npstreams-rx';
 *
 * from([[1, 2], [3, 4], [5, 6]])
 *   .pipe(scanMean())
 *   .subscribe((mean) => console.log(mean.arraySync())); // [1, 2], then [2, 3], then [3, 4]
 * ```
 */
export function scanMean(options: MeanOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanMean', averageReduction('scanMean', options), { axis: options.axis }, 'scan');
}

/**
 * The mean of a whole stream of arrays (npstreams' `mean`), emitted once when the stream
 * completes; an empty stream errors with an `EmptyStreamError`.
 *
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN` (nanmean).
 * @returns An operator emitting the mean once. The tensor belongs to the subscriber: dispose it
 *   when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceMean } from 'npstreams-rx';
 *
 * const mean = await lastValueFrom(from([[1, 2], [3, 4], [5, 6]]).pipe(reduceMean()));
 * console.log(mean.arraySync()); // [3, 4]
 * mean.dispose();
 * ```
 */
export function reduceMean(options: MeanOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceMean', averageReduction('reduceMean', options), { axis: options.axis }, 'reduce');
}
