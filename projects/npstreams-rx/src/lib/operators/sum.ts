import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running sum of a stream of arrays (npstreams' `isum`), emitted after every item.
 *
 * The first item fixes the shape and dtype; every item after it must match. Float data is summed
 * in float32 with compensation, so the sum stays accurate over long streams; int32 data (and
 * bool) is summed exactly in int32, and a sum that leaves the int32 range errors with an
 * `OverflowError` (use `dtype: 'float32'` instead). With the default axis the final emission
 * equals NumPy's `np.stack(items, axis=-1).sum(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `dtype` of the sum and its accumulator,
 *   `ignoreNaN` (nansum: NaNs count as 0).
 * @returns An operator emitting the running sum after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanSum } from 'npstreams-rx';
 *
 * from([[1, 2], [3, 4], [5, 6]])
 *   .pipe(scanSum())
 *   .subscribe((sum) => console.log(sum.arraySync())); // [1, 2], then [4, 6], then [9, 12]
 * ```
 */
export function scanSum(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanSum', 'add', options, 'scan');
}

/**
 * The sum of a whole stream of arrays (npstreams' `sum`), emitted once when the stream
 * completes; an empty stream errors with an `EmptyStreamError`.
 *
 * Float data is summed in float32 with compensation; int32 data exactly in int32, an
 * `OverflowError` where the sum leaves the int32 range.
 *
 * @param options `axis` (npstreams' convention; `null` sums every value to a scalar), `dtype` of
 *   the sum and its accumulator, `ignoreNaN` (nansum: NaNs count as 0).
 * @returns An operator emitting the sum once. The tensor belongs to the subscriber: dispose it
 *   when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceSum } from 'npstreams-rx';
 *
 * const items = [[1, 2], [3, 4], [5, 6]];
 * const sum = await lastValueFrom(from(items).pipe(reduceSum()));
 * console.log(sum.arraySync()); // [9, 12]
 * const total = await lastValueFrom(from(items).pipe(reduceSum({ axis: null })));
 * console.log(total.arraySync()); // 21
 * sum.dispose();
 * total.dispose();
 * ```
 */
export function reduceSum(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceSum', 'add', options, 'reduce');
}
