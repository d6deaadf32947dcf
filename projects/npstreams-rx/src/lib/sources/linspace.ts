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

/** `num` evenly spaced numbers from start to stop (npstreams' `linspace`, as np.linspace). */
export function linspace(start: number, stop: number, num: number, endpoint = true): Observable<number> {
  checkNum('linspace', num);
  return from(Array.from({ length: num }, (_, i) => linspaceValue(start, stop, num, endpoint, i)));
}

/** `num` evenly spaced arrays from `starts` to `stops`, elementwise (npstreams' `multilinspace`). */
export function multilinspace(starts: readonly number[], stops: readonly number[], num: number, endpoint = true): Observable<number[]> {
  checkNum('multilinspace', num);
  if (starts.length !== stops.length) {
    throw new OptionError(`multilinspace: starts and stops differ in length (${starts.length} and ${stops.length})`);
  }
  return from(Array.from({ length: num }, (_, i) => starts.map((s, k) => linspaceValue(s, stops[k], num, endpoint, i))));
}

/** Every cyclic permutation of `items`, starting with `items` itself (npstreams' `cyclic`):
 * [1, 2, 3] gives [1, 2, 3], [2, 3, 1], [3, 1, 2]. */
export function cyclic<T>(items: Iterable<T>): Observable<T[]> {
  const arr = [...items];
  return new Observable<T[]>((subscriber) => {
    for (let i = 0; i < arr.length && !subscriber.closed; i++) subscriber.next([...arr.slice(i), ...arr.slice(0, i)]);
    subscriber.complete();
  });
}
