import * as tf from '@tensorflow/tfjs-core';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { EmptyStreamError } from '../core/errors';
import { disposeExcept, mapTensors } from '../core/tensors';

/**
 * The final value of a stream, typically of a `scanX` operator, given to the subscriber to own.
 * Every value is cloned as it arrives (tfjs shares the data, nothing is copied) and the previous
 * clone released, so the value kept is valid whatever happens upstream afterwards: behind a
 * `sampleTime` preview, which drops the final emission, `lastValue()` ends with the last sampled
 * value, which the scan has long since replaced. (To end with the final running value, preview
 * with `throttleTime(ms, asyncScheduler, { leading: true, trailing: true })`, which forwards it.)
 * Errors with an EmptyStreamError on an empty stream.
 *
 * Values may be tensors, arrays or plain objects holding tensors (`{ average, variance }`), or
 * anything else, which passes as it is. Only the clones are ever disposed here (every value's but
 * the last, or the last on an error or unsubscribe), never the source's own emissions.
 *
 * @typeParam T The type of the stream's values.
 * @returns An operator emitting the stream's last value once, when the stream completes. Its
 *   tensors belong to the subscriber: dispose them when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { lastValue, scanSum } from 'npstreams-rx';
 *
 * const sum = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(scanSum(), lastValue()));
 * console.log(sum.arraySync()); // [4, 6]
 * sum.dispose();
 * ```
 */
export function lastValue<T>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let kept: { value: T } | null = null;
      const subscription = source.subscribe({
        next: (value) => {
          let copy: T;
          try {
            copy = mapTensors(value, tf.clone);
          } catch (err) {
            return subscriber.error(err);
          }
          disposeExcept(new Set(), kept?.value);
          kept = { value: copy };
        },
        error: (err) => subscriber.error(err),
        complete: () => {
          if (!kept) return subscriber.error(new EmptyStreamError('lastValue'));
          const { value } = kept;
          kept = null; // the subscriber owns it now
          subscriber.next(value);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        disposeExcept(new Set(), kept?.value); // on error or unsubscribe
        kept = null;
      };
    });
}
