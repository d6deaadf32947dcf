import { Observable, type ObservableInput, type OperatorFunction, from, isObservable } from 'rxjs';
import { OptionError, StreamInputError, describeThrown } from '../core/errors';

/** What a pmap project returns for an item: a value, a Promise or an Observable (of values). */
export type ProjectResult<R> = R | PromiseLike<R> | ObservableInput<R>;

/** `project(item, index, signal)`: `signal` aborts when the work is cancelled (an error elsewhere,
 * or the subscriber unsubscribed); a project that starts costly work should pass it on. */
export type Project<T, R> = (item: T, index: number, signal: AbortSignal) => ProjectResult<R>;

export interface PmapOptions {
  /** At most this many projects in flight (a positive integer or Infinity); default 1. */
  concurrency?: number;
  /** Emit in source order (default), holding finished results back in a buffer that counts
   * against `concurrency`; false: emit as results complete (pmapUnordered). */
  ordered?: boolean;
}

/**
 * npstreams' `pmap`, the library's scheduler: `project(item, index, signal)` for every item, at
 * most `concurrency` at once (mergeMap's bound). Ordered (the default): results come out in
 * source order, and a result that finished early waits in a reorder buffer that counts against
 * `concurrency`, so the buffer never holds more than `concurrency` results: a slow item holds
 * new work back (backpressure) instead of letting results pile up. Unordered: results as they
 * complete. With `concurrency: 1` it is `concatMap`.
 *
 * An error from a project (a StreamInputError naming the item, with the original as `cause`)
 * aborts the work in flight and reaches the subscriber; unsubscribing aborts it too. Source items
 * that arrive while every slot is busy wait in order, as mergeMap's do.
 */
export function pmap<T, R>(project: Project<T, R>, options: PmapOptions = {}): OperatorFunction<T, R> {
  const { concurrency = 1, ordered = true } = options;
  if (typeof project !== 'function') throw new OptionError(`pmap: project must be a function (item, index, signal) => value, Promise or Observable`);
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new OptionError(`pmap: concurrency must be a positive integer or Infinity; received ${String(concurrency)}`);
  }
  if (typeof ordered !== 'boolean') throw new OptionError(`pmap: ordered must be true or false; received ${String(ordered)}`);
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting: { item: T; index: number }[] = [];
      /** work in flight, by index */
      const running = new Map<number, { abort: AbortController; unsubscribe: () => void }>();
      /** finished results not yet emitted (ordered only), by index */
      const finished = new Map<number, R[]>();
      let nextIndex = 0; // the next source index
      let nextOut = 0; // the next index to emit (ordered)
      let sourceDone = false;
      let stopped = false;

      const cancelAll = (): void => {
        for (const work of running.values()) {
          work.abort.abort();
          work.unsubscribe();
        }
        running.clear();
        finished.clear();
        waiting.length = 0;
      };
      const fail = (err: unknown): void => {
        if (stopped) return;
        stopped = true;
        cancelAll();
        subscriber.error(err);
      };
      const maybeComplete = (): void => {
        if (!stopped && sourceDone && waiting.length === 0 && running.size === 0 && finished.size === 0) {
          stopped = true;
          subscriber.complete();
        }
      };
      const flush = (): void => {
        while (finished.has(nextOut)) {
          const values = finished.get(nextOut)!;
          finished.delete(nextOut++);
          for (const v of values) subscriber.next(v);
        }
      };
      const pump = (): void => {
        while (!stopped && waiting.length > 0 && running.size + finished.size < concurrency) start(waiting.shift()!);
        maybeComplete();
      };
      const start = ({ item, index }: { item: T; index: number }): void => {
        const abort = new AbortController();
        const values: R[] = [];
        let result: ObservableInput<R>;
        try {
          const r = project(item, index, abort.signal);
          // a Promise or an Observable is awaited; anything else, an array or a tensor included, is one value
          result = isObservable(r) || isPromiseLike(r) ? (r as ObservableInput<R>) : [r as R];
        } catch (err) {
          return fail(projectError(index, err));
        }
        let sync = true;
        let done = false;
        const subscription = from(result).subscribe({
          next: (v) => (ordered ? values.push(v) : subscriber.next(v)),
          error: (err) => {
            if (abort.signal.aborted) return; // our own cancellation
            running.delete(index); // it failed by itself: abort the others
            fail(projectError(index, err));
          },
          complete: () => {
            done = true;
            running.delete(index);
            if (ordered) {
              finished.set(index, values);
              flush();
            }
            if (!sync) pump();
          },
        });
        if (stopped) subscription.unsubscribe();
        else if (!done) running.set(index, { abort, unsubscribe: () => subscription.unsubscribe() });
        sync = false;
      };

      const sourceSubscription = source.subscribe({
        next: (item) => {
          waiting.push({ item, index: nextIndex++ });
          pump();
        },
        error: (err) => fail(err),
        complete: () => {
          sourceDone = true;
          pump();
        },
      });
      return () => {
        stopped = true;
        sourceSubscription.unsubscribe();
        cancelAll();
      };
    });
}

/** pmap with `ordered: false`: results as they complete (npstreams' `pmap_unordered`). */
export function pmapUnordered<T, R>(project: Project<T, R>, options: Omit<PmapOptions, 'ordered'> = {}): OperatorFunction<T, R> {
  return pmap(project, { ...options, ordered: false });
}

/** What a project threw or errored with, as a StreamInputError naming the item (original as cause). */
function projectError(index: number, err: unknown): StreamInputError {
  if (err instanceof StreamInputError) return err;
  return new StreamInputError(`pmap: item ${index}: ${describeThrown(err)}`, index, { cause: err });
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as PromiseLike<unknown> | null)?.then === 'function';
}

