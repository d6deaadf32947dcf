import * as tf from '@tensorflow/tfjs-core';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { EmptyStreamError } from '../core/errors';
import { mapTensors } from '../core/tensors';

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
            copy = mapTensors(last.value, tf.clone); // the subscriber owns the clones (tfjs shares the data)
          } catch (err) {
            return subscriber.error(err);
          }
          subscriber.next(copy);
          subscriber.complete();
        },
      });
    });
}
