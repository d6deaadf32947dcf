import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running elementwise minimum of a stream of arrays (npstreams' `imin`), emitted after every
 * item.
 *
 * The first item fixes the shape and dtype; every item after it must match, and the result keeps
 * the items' dtype. A NaN propagates, as NumPy's `minimum`; with `ignoreNaN` NaNs are skipped, as
 * NumPy's `fmin` (an element is NaN only where every value was NaN). With the default axis the
 * final emission equals NumPy's `np.stack(items, axis=-1).min(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN` (fmin).
 * @returns An operator emitting the running minimum after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanMin } from 'npstreams-rx';
 *
 * from([[1, 5], [3, 2], [NaN, 4]])
 *   .pipe(scanMin())
 *   .subscribe((min) => console.log(min.arraySync())); // [1, 5], then [1, 2], then [NaN, 2]
 * ```
 */
export function scanMin(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanMin', 'minimum', options, 'scan', true);
}

/**
 * The elementwise minimum of a whole stream of arrays (the final value of npstreams' `imin`),
 * emitted once when the stream completes; an empty stream errors with an `EmptyStreamError`. A
 * NaN propagates unless `ignoreNaN` (NumPy's `fmin`).
 *
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN` (fmin).
 * @returns An operator emitting the minimum once. The tensor belongs to the subscriber: dispose
 *   it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceMin } from 'npstreams-rx';
 *
 * const items = [[1, 5], [3, 2], [NaN, 4]];
 * const min = await lastValueFrom(from(items).pipe(reduceMin({ ignoreNaN: true })));
 * console.log(min.arraySync()); // [1, 2]
 * min.dispose();
 * ```
 */
export function reduceMin(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceMin', 'minimum', options, 'reduce', true);
}
