import type { OperatorFunction } from 'rxjs';
import { OptionError } from '../core/errors';
import { type PmapOptions, pmap } from './pmap';

/** One step of a pipeArrays chain: a function of the array (sync or async). */
export type ArrayFn = (array: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * npstreams' `ipipe(*funcs, arrays)`: every item through the functions, the last one first, as
 * npstreams applies them (`pipeArrays(f, g, h)` gives f(g(h(item)))), through `pmap` (at most
 * `concurrency` items in flight, in order unless `ordered: false`). A function may return a
 * Promise; the next one gets its value. A function that throws errors the stream with a
 * StreamInputError naming the item. With no function, or an argument that is not one, it is an
 * OptionError when the operator is made.
 *
 * @param args The functions, then optionally pmap's options (`concurrency`, `ordered`).
 * @returns An operator emitting each item's result; the library neither keeps nor disposes the
 *   items or the results (a tensor a function makes is the subscriber's).
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { pipeArrays } from 'npstreams-rx';
 *
 * const addOne = (a: number[]) => a.map((v) => v + 1);
 * const timesTen = (a: number[]) => a.map((v) => v * 10);
 * from([[1, 2], [3, 4]])
 *   .pipe(pipeArrays(addOne, timesTen, { concurrency: 2 })) // addOne(timesTen(item))
 *   .subscribe((a) => console.log(a)); // [11, 21], then [31, 41]
 * ```
 */
export function pipeArrays<T = unknown, R = unknown>(...args: [...ArrayFn[], PmapOptions] | ArrayFn[]): OperatorFunction<T, R> {
  const last = args[args.length - 1];
  const options: PmapOptions = typeof last === 'function' || last === undefined ? {} : (args.pop() as PmapOptions);
  const fns = args as ArrayFn[];
  if (fns.length === 0) throw new OptionError('pipeArrays: give at least one function');
  fns.forEach((f, i) => {
    if (typeof f !== 'function') throw new OptionError(`pipeArrays: argument ${i} is not a function`);
  });
  return pmap(async (item: T) => {
    let value: unknown = item;
    for (let i = fns.length - 1; i >= 0; i--) value = await fns[i](value);
    return value as R;
  }, options);
}
