import { expose, transfer } from 'comlink';
import { buffersOf } from './transfer';

/**
 * In a Web Worker's module: makes `functions` callable by a `workerPool` (from this entry), each
 * result moved back with its array buffers transferred. A function that throws rejects the
 * call, and the pool's caller gets the error (as pmap gives it: naming the item); a name the
 * worker does not expose rejects the call with an Error listing the names it has.
 *
 * @typeParam F The functions' type, which the returned object keeps (for `workerPool<F>`).
 * @param functions The functions by name; a pool's `fn(name)` calls `name(item, index)`, its
 *   `exec(name, args)` calls `name(...args)`. A function may return a promise. Its result's
 *   array buffers are moved to the page: the worker must not use them afterwards.
 * @returns `functions` itself, so that the module can export them for their type: the page's
 *   `workerPool<typeof import('./denoise.worker').functions>(...)` then types `fn` and `exec`.
 *
 * @example
 * ```ts
 * // denoise.worker.ts, the worker's module
 * import { exposeFunctions } from 'npstreams-rx/worker';
 *
 * export const functions = exposeFunctions({
 *   denoise: (frame: { data: Float32Array; shape: number[] }) => ({ data: frame.data.map((v) => Math.max(v, 0)), shape: frame.shape }),
 * });
 * ```
 */
export function exposeFunctions<F extends Record<string, (...args: never[]) => unknown>>(functions: F): F {
  expose({
    call: async (name: string, args: unknown[]) => {
      const fn = functions[name];
      if (typeof fn !== 'function') throw new Error(`workerPool: this worker exposes no function named '${name}'; it has ${Object.keys(functions).join(', ') || 'none'}`);
      const result = await (fn as (...a: unknown[]) => unknown)(...args);
      const buffers = buffersOf(result);
      // (comlink keeps transfer lists in a WeakMap: a number or a string cannot carry one)
      return buffers.length ? transfer(result, buffers) : result;
    },
  });
  return functions;
}
