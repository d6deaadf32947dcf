import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/**
 * The running product of a stream of arrays (npstreams' `iprod`), emitted after every item.
 *
 * The first item fixes the shape and dtype; every item after it must match. The product is kept
 * in the items' dtype (float32, or int32 for integer and bool data). As the sum, an int32
 * product never wraps: past the int32 range (2^24 - 1 on WebGL; refused on webgpu) it is an
 * OverflowError, where NumPy would compute in int64; pass `dtype: 'float32'` for large integer
 * products. With the default axis the final emission
 * equals NumPy's `np.stack(items, axis=-1).prod(axis=-1)`.
 *
 * @param options `axis` (npstreams' convention), `dtype` of the product, `ignoreNaN` (nanprod:
 *   NaNs count as 1).
 * @returns An operator emitting the running product after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanProd } from 'npstreams-rx';
 *
 * from([[1, 2], [3, 4], [5, 6]])
 *   .pipe(scanProd())
 *   .subscribe((prod) => console.log(prod.arraySync())); // [1, 2], then [3, 8], then [15, 48]
 * ```
 */
export function scanProd(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanProd', 'multiply', options, 'scan');
}

/**
 * The product of a whole stream of arrays (npstreams' `prod`), emitted once when the stream
 * completes; an empty stream errors with an `EmptyStreamError`. An int32 product that leaves the
 * int32 range is an OverflowError (see `scanProd`).
 *
 * @param options `axis` (npstreams' convention), `dtype` of the product, `ignoreNaN` (nanprod:
 *   NaNs count as 1).
 * @returns An operator emitting the product once. The tensor belongs to the subscriber: dispose
 *   it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceProd } from 'npstreams-rx';
 *
 * const prod = await lastValueFrom(from([[1, 2], [3, 4], [5, 6]]).pipe(reduceProd()));
 * console.log(prod.arraySync()); // [15, 48]
 * prod.dispose();
 * ```
 */
export function reduceProd(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceProd', 'multiply', options, 'reduce');
}
