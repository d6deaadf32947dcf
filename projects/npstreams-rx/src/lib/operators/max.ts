import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running elementwise maximum of a stream of arrays (npstreams' `imax`), emitted after every
 * item.
 *
 * The first item fixes the shape and dtype; every item after it must match, and the result keeps
 * the items' dtype. A NaN propagates, as NumPy's `maximum`; with `ignoreNaN` NaNs are skipped, as
 * NumPy's `fmax` (an element is NaN only where every value was NaN). With the default axis the
 * final emission equals NumPy's `np.stack(items, axis=-1).max(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN` (fmax).
 * @returns An operator emitting the running maximum after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanMax } from 'npstreams-rx';
 *
 * from([[1, 5], [3, 2], [NaN, 4]])
 *   .pipe(scanMax({ ignoreNaN: true }))
 *   .subscribe((max) => console.log(max.arraySync())); // [1, 5], then [3, 5], then [3, 5]
 * ```
 */
export function scanMax(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanMax', 'maximum', options, 'scan', true);
}

/**
 * The elementwise maximum of a whole stream of arrays (the final value of npstreams' `imax`),
 * emitted once when the stream completes; an empty stream errors with an `EmptyStreamError`. A
 * NaN propagates unless `ignoreNaN` (NumPy's `fmax`).
 *
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN` (fmax).
 * @returns An operator emitting the maximum once. The tensor belongs to the subscriber: dispose
 *   it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceMax } from 'npstreams-rx';
 *
 * const max = await lastValueFrom(from([[1, 5], [3, 2], [NaN, 4]]).pipe(reduceMax()));
 * console.log(max.arraySync()); // [NaN, 5]
 * max.dispose();
 * ```
 */
export function reduceMax(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceMax', 'maximum', options, 'reduce', true);
}
