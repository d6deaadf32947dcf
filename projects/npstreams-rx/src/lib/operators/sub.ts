import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running difference x0 - x1 - x2 - ... of a stream of arrays (npstreams' `isub`, NumPy's
 * `subtract.reduce`), emitted after every item.
 *
 * The first item fixes the shape and dtype; every item after it must match. Subtraction is not
 * associative, so `axis: null` (all axes) is an `OptionError`, as in NumPy, and so is
 * `ignoreNaN` (subtract has no identity to put in place of NaN). With the default axis the final
 * emission equals NumPy's `np.subtract.reduce(np.stack(items, axis=-1), axis=-1)`.
 *
 * @param options `axis` (npstreams' convention; not `null`), `dtype` of the result.
 * @returns An operator emitting the running difference after every item. Each emission stays
 *   valid until this operator's next emission or teardown: read it in `next`, or `.clone()` it
 *   to keep it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanSub } from 'npstreams-rx';
 *
 * from([[10, 20], [1, 2], [3, 4]])
 *   .pipe(scanSub())
 *   .subscribe((diff) => console.log(diff.arraySync())); // [10, 20], then [9, 18], then [6, 14]
 * ```
 */
export function scanSub(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanSub', 'subtract', options, 'scan');
}

/**
 * The difference x0 - x1 - x2 - ... of a whole stream of arrays (the final value of npstreams'
 * `isub`), emitted once when the stream completes; an empty stream errors with an
 * `EmptyStreamError`. `axis: null` and `ignoreNaN` are `OptionError`s, as for `scanSub`.
 *
 * @param options `axis` (npstreams' convention; not `null`), `dtype` of the result.
 * @returns An operator emitting the difference once. The tensor belongs to the subscriber:
 *   dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceSub } from 'npstreams-rx';
 *
 * const diff = await lastValueFrom(from([[10, 20], [1, 2], [3, 4]]).pipe(reduceSub()));
 * console.log(diff.arraySync()); // [6, 14]
 * diff.dispose();
 * ```
 */
export function reduceSub(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceSub', 'subtract', options, 'reduce');
}
