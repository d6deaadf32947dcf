import { Observable, from } from 'rxjs';
import { OptionError } from '../core/errors';

function checkNum(name: string, num: number): void {
  if (!Number.isInteger(num) || num < 0) throw new OptionError(`${name}: num must be a non-negative integer; received ${num}`);
}

/** The i-th of `num` evenly spaced values, computed as np.linspace does (in float64). */
function linspaceValue(start: number, stop: number, num: number, endpoint: boolean, i: number): number {
  if (endpoint && i === num - 1 && num > 1) return stop;
  const div = endpoint ? num - 1 : num;
  return div > 0 ? start + i * ((stop - start) / div) : start;
}

/**
 * `num` evenly spaced numbers from `start` to `stop`, as an Observable (npstreams' `linspace`).
 *
 * Each value is computed from the endpoints in float64, as `np.linspace` does: value i is
 * `start + i * ((stop - start) / (num - 1))` (`/ num` without the endpoint), and the last one is
 * `stop` exactly. The Observable emits synchronously on subscribe, then completes. A `num` that
 * is not a non-negative integer throws an `OptionError` at once.
 *
 * @param start The first value.
 * @param stop The last value, or with `endpoint` false the bound the values stop short of.
 * @param num How many values.
 * @param endpoint Whether `stop` is the last value; default true.
 * @returns An Observable of the `num` numbers.
 *
 * @example
 * ```ts
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { linspace } from 'npstreams-rx';
 *
 * const values = await lastValueFrom(linspace(0, 1, 5).pipe(toArray()));
 * console.log(values); // [0, 0.25, 0.5, 0.75, 1]
 * const open = await lastValueFrom(linspace(0, 1, 4, false).pipe(toArray()));
 * console.log(open); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): Observable<number> {
  checkNum('linspace', num);
  return from(Array.from({ length: num }, (_, i) => linspaceValue(start, stop, num, endpoint, i)));
}

/**
 * `num` evenly spaced arrays from `starts` to `stops`, elementwise, as an Observable (npstreams'
 * `multilinspace`).
 *
 * Element k of the arrays runs as `linspace(starts[k], stops[k], num, endpoint)`, each value
 * computed from the endpoints as `np.linspace` does (npstreams accumulates the step instead). The
 * Observable emits a new array per value synchronously on subscribe, then completes. A `num`
 * that is not a non-negative integer, or `starts` and `stops` of different lengths, throws an
 * `OptionError` at once.
 *
 * @param starts The first array.
 * @param stops The last array, or with `endpoint` false the bound the arrays stop short of.
 * @param num How many arrays.
 * @param endpoint Whether `stops` is the last array; default true.
 * @returns An Observable of the `num` arrays.
 *
 * @example
 * ```ts
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { multilinspace } from 'npstreams-rx';
 *
 * const arrays = await lastValueFrom(multilinspace([0, 10], [1, 20], 3).pipe(toArray()));
 * console.log(arrays); // [[0, 10], [0.5, 15], [1, 20]]
 * ```
 */
export function multilinspace(starts: readonly number[], stops: readonly number[], num: number, endpoint = true): Observable<number[]> {
  checkNum('multilinspace', num);
  if (starts.length !== stops.length) {
    throw new OptionError(`multilinspace: starts and stops differ in length (${starts.length} and ${stops.length})`);
  }
  return from(Array.from({ length: num }, (_, i) => starts.map((s, k) => linspaceValue(s, stops[k], num, endpoint, i))));
}

/**
 * Every cyclic permutation of `items`, starting with `items` itself, as an Observable (npstreams'
 * `cyclic`): [1, 2, 3] gives [1, 2, 3], [2, 3, 1], [3, 1, 2].
 *
 * `items` is read once, when `cyclic` is called; each subscription emits new arrays
 * synchronously, then completes (at once for no items).
 *
 * @typeParam T The type of the items.
 * @param items The items to rotate, from any iterable.
 * @returns An Observable of the `items.length` rotations, each a new array.
 *
 * @example
 * ```ts
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { cyclic } from 'npstreams-rx';
 *
 * const rotations = await lastValueFrom(cyclic([1, 2, 3]).pipe(toArray()));
 * console.log(rotations); // [[1, 2, 3], [2, 3, 1], [3, 1, 2]]
 * ```
 */
export function cyclic<T>(items: Iterable<T>): Observable<T[]> {
  const arr = [...items];
  return new Observable<T[]>((subscriber) => {
    for (let i = 0; i < arr.length && !subscriber.closed; i++) subscriber.next([...arr.slice(i), ...arr.slice(0, i)]);
    subscriber.complete();
  });
}
