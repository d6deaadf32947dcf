import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { stackReduction } from '../reductions/stack';

/**
 * The dense stack of a finite stream of arrays (npstreams' `stack`), emitted once when the stream
 * completes; an empty stream errors with an `EmptyStreamError`.
 *
 * `axis` -1 (the default), or the items' rank, stacks the items along a new last axis, as
 * `np.stack(items, axis=-1)`; an existing axis k (negative values count from the end of an item)
 * concatenates them along it, as `np.concatenate(items, axis=k)`, so the items may then differ in
 * size along k. Every item is kept until the end: the stream must fit in memory. The result has
 * the first item's dtype. An axis that is not an integer is an `OptionError` at once, one out of
 * range for the items' rank an `OptionError` at the first item; an item that does not fit is a
 * `StreamInputError` naming it.
 *
 * @param options `axis`: -1 (default) stacks along a new last axis, an existing axis
 *   concatenates.
 * @returns An operator emitting the stacked tensor once. The tensor belongs to the subscriber:
 *   dispose it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { stack } from 'npstreams-rx';
 *
 * const stacked = await lastValueFrom(from([[1, 2], [3, 4], [5, 6]]).pipe(stack()));
 * console.log(stacked.arraySync()); // [[1, 3, 5], [2, 4, 6]]
 * const joined = await lastValueFrom(from([[1, 2], [3, 4], [5, 6]]).pipe(stack({ axis: 0 })));
 * console.log(joined.arraySync()); // [1, 2, 3, 4, 5, 6]
 * stacked.dispose();
 * joined.dispose();
 * ```
 */
export function stack(options: { axis?: number } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('stack', stackReduction('stack', options.axis ?? -1), {}, 'reduce');
}
