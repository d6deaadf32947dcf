import * as tf from '@tensorflow/tfjs-core';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { EmptyStreamError } from '../core/errors';
import { isTensor } from '../core/inputs';

/** A copy of `value` that the subscriber owns: tensors are cloned (tfjs shares the data),
 * plain objects and arrays are copied with their tensors cloned, anything else is returned. */
function ownedCopy<T>(value: T): T {
  if (isTensor(value)) return tf.clone(value) as T;
  if (Array.isArray(value)) return value.map(ownedCopy) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ownedCopy(v)])) as T;
  }
  return value;
}

/**
 * The final value of a stream, typically of a `scanX` operator, given to the subscriber to own:
 * tensors are cloned before the upstream operator releases its last emission, so
 * `frames$.pipe(scanMean(), tap(preview), lastValue())` ends with a tensor the subscriber disposes.
 * Errors with an EmptyStreamError on an empty stream.
 */
export function lastValue<T>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let last: { value: T } | null = null;
      return source.subscribe({
        next: (value) => (last = { value }),
        error: (err) => subscriber.error(err),
        complete: () => {
          if (!last) return subscriber.error(new EmptyStreamError('lastValue'));
          let copy: T;
          try {
            copy = ownedCopy(last.value);
          } catch (err) {
            return subscriber.error(err);
          }
          subscriber.next(copy);
          subscriber.complete();
        },
      });
    });
}
