import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running elementwise logical AND of a stream of arrays (npstreams' `iall`), emitted after
 * every item as a bool tensor.
 *
 * The first item fixes the shape; every item after it must match. A value is true where it is not
 * 0; NaN counts as true, as NumPy's `bool(nan)`. With the default axis the final emission equals
 * NumPy's `np.stack(items, axis=-1).all(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `ignoreNaN` (NaNs are replaced by the identity,
 *   true).
 * @returns An operator emitting the running AND, a bool tensor (whose `arraySync()` gives 1 and
 *   0), after every item. Each emission stays valid until this operator's next emission or
 *   teardown: read it in `next`, or `.clone()` it to keep it longer. The library disposes it;
 *   never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanAll } from 'npstreams-rx';
 *
 * from([[1, 1], [1, 0], [2, NaN]])
 *   .pipe(scanAll())
 *   .subscribe((all) => console.log(all.arraySync())); // [1, 1], then [1, 0], then [1, 0]
 * ```
 */
export function scanAll(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanAll', 'logicalAnd', options, 'scan');
}

/**
 * The elementwise logical AND of a whole stream of arrays (the final value of npstreams' `iall`),
 * emitted once as a bool tensor when the stream completes; an empty stream errors with an
 * `EmptyStreamError`. NaN counts as true.
 *
 * @param options `axis` (npstreams' convention; `null` for one answer over every value),
 *   `ignoreNaN` (NaNs are replaced by the identity, true).
 * @returns An operator emitting the AND once, a bool tensor. The tensor belongs to the
 *   subscriber: dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceAll } from 'npstreams-rx';
 *
 * const all = await lastValueFrom(from([[1, 1], [1, 0], [2, 3]]).pipe(reduceAll()));
 * console.log(all.arraySync()); // [1, 0]
 * all.dispose();
 * ```
 */
export function reduceAll(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceAll', 'logicalAnd', options, 'reduce');
}
