import * as tf from '@tensorflow/tfjs-core';
import { Observable, type OperatorFunction } from 'rxjs';
import { type ArrayInput, toTensor } from '../core/inputs';
import { emissionLease } from '../core/ownership';
import { untilBackendReady } from '../core/ready';
import { fillNaNs } from '../math/nan';

/** One array with its NaNs replaced by `fill` (npstreams' `nan_to_num`), as a new tensor the
 * caller owns. Infinities are kept. */
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
 * Every item with its NaNs replaced by `fill`, as an operator. Like a `scanX` emission, each
 * emitted tensor stays valid until the next one (or the teardown): reduce it downstream or
 * `.clone()` it.
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
