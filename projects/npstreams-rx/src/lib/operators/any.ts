import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running elementwise logical OR of a stream of arrays (npstreams' `iany`), emitted after
 * every item as a bool tensor.
 *
 * The first item fixes the shape; every item after it must match. A value is true where it is not
 * 0; NaN counts as true, as NumPy's `bool(nan)`, unless `ignoreNaN`. With the default axis the
 * final emission equals NumPy's `np.stack(items, axis=-1).any(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `ignoreNaN` (NaNs are replaced by the identity,
 *   false).
 * @returns An operator emitting the running OR, a bool tensor (whose `arraySync()` gives 1 and
 *   0), after every item. Each emission stays valid until this operator's next emission or
 *   teardown: read it in `next`, or `.clone()` it to keep it longer. The library disposes it;
 *   never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanAny } from 'npstreams-rx';
 *
 * from([[0, 0], [0, 2], [NaN, 0]])
 *   .pipe(scanAny())
 *   .subscribe((any) => console.log(any.arraySync())); // [0, 0], then [0, 1], then [1, 1]
 * ```
 */
export function scanAny(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanAny', 'logicalOr', options, 'scan');
}

/**
 * The elementwise logical OR of a whole stream of arrays (the final value of npstreams' `iany`),
 * emitted once as a bool tensor when the stream completes; an empty stream errors with an
 * `EmptyStreamError`. NaN counts as true unless `ignoreNaN`.
 *
 * @param options `axis` (npstreams' convention; `null` for one answer over every value),
 *   `ignoreNaN` (NaNs are replaced by the identity, false).
 * @returns An operator emitting the OR once, a bool tensor. The tensor belongs to the subscriber:
 *   dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceAny } from 'npstreams-rx';
 *
 * const items = [[0, 0], [0, 2], [NaN, 0]];
 * const any = await lastValueFrom(from(items).pipe(reduceAny({ ignoreNaN: true })));
 * console.log(any.arraySync()); // [0, 1]
 * any.dispose();
 * ```
 */
export function reduceAny(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceAny', 'logicalOr', options, 'reduce');
}
