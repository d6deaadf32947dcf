import { Observable, type ObservableInput, type OperatorFunction, defer, from, isObservable, mergeMap } from 'rxjs';
import { OptionError, StreamInputError, describeThrown } from '../core/errors';

/** What a pmap project returns for an item: a value, a Promise or an Observable (of values). */
export type ProjectResult<R> = R | PromiseLike<R> | ObservableInput<R>;

/** `project(item, index, signal)`: `signal` aborts when the work is cancelled (an error elsewhere,
 * or the subscriber unsubscribed); a project that starts costly work should pass it on. */
export type Project<T, R> = (item: T, index: number, signal: AbortSignal) => ProjectResult<R>;

/** Options of `pmap`, `pmapUnordered` and `pipeArrays`. */
export interface PmapOptions {
  /** At most this many projects in flight (a positive integer or Infinity); default 1. */
  concurrency?: number;
  /** Emit in source order (default), holding finished results back in a buffer that counts
   * against `concurrency`; false: emit as results complete (pmapUnordered). */
  ordered?: boolean;
}

/**
 * npstreams' `pmap`, the library's scheduler, built on `mergeMap`: `project(item, index, signal)`
 * for every item, at most `concurrency` at once (mergeMap's bound). Ordered (the default): results come out in
 * source order, and a result that finished early waits in a reorder buffer that counts against
 * `concurrency`, so the buffer never holds more than `concurrency` results: a slow item holds
 * new work back (backpressure) instead of letting results pile up. Unordered: results as they
 * complete. With `concurrency: 1` it is `concatMap`.
 *
 * A project may return a value, a Promise or an Observable (each of its values is emitted); an
 * array or a tensor is one value. An error from a project (a StreamInputError naming the item,
 * with the original as `cause`) aborts the work in flight and reaches the subscriber;
 * unsubscribing aborts it too. Source items that arrive while every slot is busy wait in order,
 * as mergeMap's do. `concurrency` (a positive integer or Infinity) and `ordered` are checked
 * when the operator is made (an OptionError).
 *
 * @param project `(item, index, signal)`: the work for one item; `signal` aborts when the work
 *   is cancelled, pass it on to what you start (fetch, a worker's call).
 * @param options `concurrency` (default 1), `ordered` (default true).
 * @returns An operator emitting the projects' results. They are what the project returned: the
 *   library neither keeps nor disposes them (a tensor a project makes is the subscriber's).
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { pmap } from 'npstreams-rx';
 *
 * const slowDouble = async (x: number): Promise<number> => {
 *   await new Promise((resolve) => setTimeout(resolve, 10 * (4 - x)));
 *   return 2 * x;
 * };
 * from([1, 2, 3])
 *   .pipe(pmap(slowDouble, { concurrency: 3 }))
 *   .subscribe((y) => console.log(y)); // 2, then 4, then 6 (source order)
 * ```
 */
export function pmap<T, R>(project: Project<T, R>, options: PmapOptions = {}): OperatorFunction<T, R> {
  const { concurrency = 1, ordered = true } = options;
  if (typeof project !== 'function') throw new OptionError(`pmap: project must be a function (item, index, signal) => value, Promise or Observable`);
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new OptionError(`pmap: concurrency must be a positive integer or Infinity; received ${String(concurrency)}`);
  }
  if (typeof ordered !== 'boolean') throw new OptionError(`pmap: ordered must be true or false; received ${String(ordered)}`);
  return (source) =>
    defer(() => {
      // ordered: a finished project waits here, holding its mergeMap slot, until every earlier
      // one has been emitted; its release emits its values and completes it (freeing the slot)
      const ready = new Map<number, () => void>();
      let nextOut = 0;
      const flush = (): void => {
        while (ready.has(nextOut)) {
          const release = ready.get(nextOut)!;
          ready.delete(nextOut++);
          release();
        }
      };
      const run = (item: T, index: number): Observable<R> =>
        new Observable<R>((inner) => {
          const abort = new AbortController();
          let settled = false;
          let result: ObservableInput<R>;
          try {
            const r = project(item, index, abort.signal);
            // a Promise or an Observable is awaited; anything else, an array or a tensor included, is one value
            result = isObservable(r) || isPromiseLike(r) ? (r as ObservableInput<R>) : [r as R];
          } catch (err) {
            settled = true;
            inner.error(projectError(index, err));
            return;
          }
          const values: R[] = [];
          const subscription = from(result).subscribe({
            next: (v) => (ordered ? values.push(v) : inner.next(v)),
            error: (err) => {
              settled = true;
              inner.error(projectError(index, err));
            },
            complete: () => {
              settled = true;
              if (!ordered) return inner.complete();
              ready.set(index, () => {
                for (const v of values) inner.next(v);
                inner.complete();
              });
              flush();
            },
          });
          return () => {
            // torn down before it finished: an error elsewhere, or the subscriber left
            if (!settled) abort.abort();
            subscription.unsubscribe();
          };
        });
      return source.pipe(mergeMap(run, concurrency));
    });
}

/**
 * `pmap` with `ordered: false` (npstreams' `pmap_unordered`): each result as soon as its project
 * completes, at most `concurrency` projects at once.
 *
 * @param project `(item, index, signal)`, as pmap's; `index` tells which item a result is of.
 * @param options `concurrency` (default 1).
 * @returns An operator emitting the projects' results as they complete; the library neither
 *   keeps nor disposes them.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { pmapUnordered } from 'npstreams-rx';
 *
 * const slowDouble = async (x: number): Promise<number> => {
 *   await new Promise((resolve) => setTimeout(resolve, 20 * (4 - x)));
 *   return 2 * x;
 * };
 * from([1, 2, 3])
 *   .pipe(pmapUnordered(slowDouble, { concurrency: 3 }))
 *   .subscribe((y) => console.log(y)); // 6, then 4, then 2 (the fastest first)
 * ```
 */
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
