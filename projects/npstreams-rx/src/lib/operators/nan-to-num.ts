import * as tf from '@tensorflow/tfjs-core';
import { Observable, type OperatorFunction } from 'rxjs';
import { type ArrayInput, toTensor } from '../core/inputs';
import { emissionLease } from '../core/ownership';
import { untilBackendReady } from '../core/ready';
import { fillNaNs } from '../math/nan';

/**
 * One array with its NaNs replaced by `fill` (npstreams' `nan_to_num`), as a new tensor.
 *
 * Only NaNs are replaced, as npstreams does: infinities are kept (NumPy's `np.nan_to_num` would
 * also replace them). The array is any item an operator takes (a tensor, numbers, nested arrays,
 * a typed array, `{ data, shape }`); a bad one is a `StreamInputError`. It runs at once, on the
 * current backend, which must be ready: `await useBackend()` first (the operators wait for it
 * themselves).
 *
 * @param array The array, which is never modified or disposed.
 * @param fill The value in place of NaN; default 0.
 * @returns A new tensor of the array's shape and dtype as coerced (float32 for JS numbers; int32
 *   and bool data have no NaN and come back copied), which belongs to the caller: dispose it when
 *   done.
 *
 * @example
 * ```ts
 * import { nanToNumArray, useBackend } from 'npstreams-rx';
 *
 * await useBackend();
 * const clean = nanToNumArray([1, NaN, Infinity], -1);
 * console.log(clean.arraySync()); // [1, -1, Infinity]
 * clean.dispose();
 * ```
 */
export function nanToNumArray(array: ArrayInput, fill = 0): tf.Tensor {
  return replaced(array, fill, 'nanToNumArray: the array', 0);
}

/** A new tensor: the input, coerced, with NaNs replaced. */
function replaced(value: unknown, fill: number, where: string, index: number): tf.Tensor {
  const x = toTensor(value, where, index);
  const out = tf.tidy(() => tf.clone(fillNaNs(x, fill)));
  x.dispose();
  return out;
}

/**
 * Every item of a stream of arrays with its NaNs replaced by `fill` (npstreams' `nan_to_num`,
 * mapped over the stream), emitted as a tensor after every item.
 *
 * Only NaNs are replaced: infinities are kept. Items need not share a shape; a bad item is a
 * `StreamInputError` naming it. The user's items are never modified or disposed.
 *
 * @param fill The value in place of NaN; default 0.
 * @returns An operator emitting each cleaned item. Like a `scanX` emission, each tensor stays
 *   valid until this operator's next emission or teardown: reduce it downstream, read it in
 *   `next`, or `.clone()` it to keep it longer. The library disposes it; never dispose it
 *   yourself.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { nanToNum, reduceSum } from 'npstreams-rx';
 *
 * const sum = await lastValueFrom(from([[1, NaN], [NaN, 4]]).pipe(nanToNum(), reduceSum()));
 * console.log(sum.arraySync()); // [1, 4]
 * sum.dispose();
 * ```
 */
export function nanToNum(fill = 0): OperatorFunction<ArrayInput, tf.Tensor> {
  return (source) =>
    new Observable<tf.Tensor>((subscriber) => {
      const lease = emissionLease(subscriber);
      let index = 0;
      const subscription = untilBackendReady(source).subscribe({
        next(item) {
          if (subscriber.closed) return;
          let out: tf.Tensor;
          try {
            out = replaced(item, fill, `nanToNum: item ${index}`, index);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          index++;
          lease.emit(out);
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        lease.teardown();
      };
    });
}
