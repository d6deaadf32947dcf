import type { OperatorFunction } from 'rxjs';
import { OptionError } from '../core/errors';
import { type PmapOptions, pmap } from './pmap';

/** One step of a pipeArrays chain: a function of the array (sync or async). */
export type ArrayFn = (array: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * npstreams' `ipipe(*funcs, arrays)`: every item through the functions, the last one first, as
 * npstreams applies them (`pipeArrays(f, g, h)` gives f(g(h(item)))), through `pmap` (at most
 * `concurrency` items in flight, in order unless `ordered: false`). A function may return a
 * Promise; the next one gets its value.
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
