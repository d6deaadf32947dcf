import { type MonoTypeOperatorFunction, Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import { OptionError } from '../core/errors';

/**
 * A live preview of a running result: emits the latest value at most once per animation frame
 * (browsers; `requestAnimationFrame`, which also pauses while the tab is hidden) or, given `ms`
 * (or where there are no animation frames: every 16 ms), at most once per `ms` milliseconds,
 * the first value at once. Values that arrive between two previews replace each other: nothing
 * queues, so a dashboard never falls behind the stream, while the reduction upstream still sees
 * every item. The final value is emitted when the source completes (if it was not the last
 * preview). A negative or non-finite `ms` is an OptionError.
 *
 * @param ms The least time between two previews, in milliseconds; default: one animation frame.
 * @param scheduler Keeps the time of the `ms` periods (RxJS's asyncScheduler by default; a
 *   TestScheduler in marble tests), as RxJS's own time-based operators take one.
 * @returns An operator emitting some of the values it receives, as they are. A preview is the
 *   latest emission of the `scanX` upstream, which stays valid until that operator's next
 *   emission: read it in `next` (start `data()` there, or draw it with `drawTo`), or `.clone()`
 *   it to keep it, as any scan emission; the library disposes it, never the user.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { previewEvery, scanMean } from 'npstreams-rx';
 *
 * from([[1], [2], [3]])
 *   .pipe(scanMean(), previewEvery(100))
 *   .subscribe((mean) => console.log(mean.arraySync())); // [1] (the first at once), then [2] (the last)
 * ```
 */
export function previewEvery<T>(ms?: number, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
  if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) throw new OptionError(`previewEvery: ms must be a non-negative number of milliseconds; received ${String(ms)}`);
  const frames = ms === undefined && typeof requestAnimationFrame === 'function';
  const period = ms ?? 16;
  return (source) =>
    new Observable<T>((subscriber) => {
      let latest: { value: T } | null = null;
      let cancel: (() => void) | null = null;
      let last = -Infinity;
      const fire = (): void => {
        cancel = null;
        if (!latest) return;
        const { value } = latest;
        latest = null;
        last = scheduler.now();
        subscriber.next(value);
      };
      const schedule = (): void => {
        if (cancel) return;
        if (frames) {
          const id = requestAnimationFrame(fire);
          cancel = () => cancelAnimationFrame(id);
          return;
        }
        const wait = last + period - scheduler.now();
        if (wait <= 0) return fire();
        const action = scheduler.schedule(fire, wait);
        cancel = () => action.unsubscribe();
      };
      const subscription = source.subscribe({
        next: (value) => {
          latest = { value };
          schedule();
        },
        error: (err) => subscriber.error(err),
        complete: () => {
          cancel?.();
          fire();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        cancel?.();
        latest = null;
      };
    });
}
