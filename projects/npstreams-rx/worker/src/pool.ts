import { type Remote, transfer, wrap } from 'comlink';
import type { Project } from 'npstreams-rx';
import { buffersOf } from './transfer';

/** The names of the functions among M's members. */
export type FunctionName<M> = { [K in keyof M]: M[K] extends (...args: never[]) => unknown ? K : never }[keyof M] & string;

/** The pmap project of a worker function `(item, index) => result`: its item, and its result awaited. */
export type ProjectOf<F> = F extends (item: infer T, ...rest: never[]) => infer R ? Project<T, Awaited<R>> : never;

/**
 * A pool's `fn`: a pmap project running `name(item, index)` in a thread. With the module's type
 * (`WorkerPool<M>`), the name must be one of its functions and the project has that function's
 * item and result types; untyped, the types are given (`fn<In, Out>(name)`) or unknown.
 */
export type PoolFn<M> = unknown extends M
  ? <T = unknown, R = unknown>(name: string, options?: { transfer?: boolean }) => Project<T, R>
  : <K extends FunctionName<M>>(name: K, options?: { transfer?: boolean }) => ProjectOf<M[K]>;

/** A pool's `exec`: `name(...args)` in a thread; typed by the module's functions where M is given. */
export type PoolExec<M> = unknown extends M
  ? <R = unknown>(name: string, args: unknown[], transfer?: ArrayBuffer[], signal?: AbortSignal) => Promise<R>
  : <K extends FunctionName<M>>(
      name: K,
      args: M[K] extends (...args: infer A) => unknown ? A : never,
      transfer?: ArrayBuffer[],
      signal?: AbortSignal,
    ) => Promise<M[K] extends (...args: never[]) => infer R ? Awaited<R> : never>;

/**
 * A pool of threads running the functions a module exposes (Web Workers here; worker_threads
 * with `workerPool` from npstreams-rx/node, which has the same shape). `M`, the module's
 * functions (`typeof` what the worker gives exposeFunctions, or a Node module's namespace), types
 * `fn` and `exec` by name, as comlink's `Remote<T>` does; without it they take the types given.
 */
export interface WorkerPool<M = unknown> {
  /** The number of threads: the concurrency to give pmap. */
  readonly size: number;
  /** A pmap project running `name(item, index)` in a thread; its AbortSignal cancels the call
   * (the thread is stopped and replaced). The item goes as a copy; `transfer: true` moves its
   * array buffers instead (faster for large items, unusable afterwards). Results are moved back. */
  readonly fn: PoolFn<M>;
  /** Runs `name(...args)` in a thread, moving the buffers of `transfer` there. */
  readonly exec: PoolExec<M>;
  /** Stops the threads (the work in flight is abandoned). */
  terminate(): Promise<void>;
}

interface Callable {
  call(name: string, args: unknown[]): Promise<unknown>;
}

interface Thread {
  worker: Worker;
  remote: Remote<Callable>;
  busy: number;
}

/** The size of a pool by default: one thread per core but one (the page's). */
const defaultSize = (): number => Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1);

/**
 * A pool of Web Workers (through comlink) running the functions their module exposes with
 * `exposeFunctions` (from this entry). Give a factory, so that your bundler sees the worker's
 * module: `workerPool(() => new Worker(new URL('./denoise.worker', import.meta.url), { type: 'module' }), { size: 4 })`.
 * A call goes to the least busy thread. Arguments are structured-cloned: `fn(name)` sends the
 * item as a copy unless `fn(name, { transfer: true })`, and `exec` moves only the buffers of its
 * `transfer` list; results come back with their array buffers moved, not copied. The pattern:
 * `frames$.pipe(pmap(pool.fn('denoise'), { concurrency: pool.size }))`. A call whose signal
 * aborts stops its thread and starts another in its place. A size that is not a positive
 * integer, or a factory that is not a function, throws an Error.
 *
 * @typeParam M The worker's functions (`typeof` what its module gives exposeFunctions), to type
 *   `fn` and `exec` by name; omitted, they take the types you give them.
 * @param factory Makes one Worker; called once per thread (and again for a thread replaced).
 * @param options `size`: the number of threads; default one per core but one (the page's).
 * @returns The pool, yours: `terminate()` it when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { pmap, reduceMean } from 'npstreams-rx';
 * import { workerPool } from 'npstreams-rx/worker';
 *
 * type Frame = { data: Float32Array; shape: number[] };
 * // the worker's functions, as its module gives them to exposeFunctions (see there)
 * type Denoise = { denoise: (frame: Frame) => Frame };
 * const pool = workerPool<Denoise>(() => new Worker(new URL('./denoise.worker.js', import.meta.url), { type: 'module' }), { size: 4 });
 * const frames$ = from<Frame[]>([
 *   { data: new Float32Array([1, -2]), shape: [2] },
 *   { data: new Float32Array([3, 4]), shape: [2] },
 * ]);
 * // pool.fn('denoise') is a Project<Frame, Frame>: pmap emits Frames
 * const mean = await lastValueFrom(frames$.pipe(pmap(pool.fn('denoise'), { concurrency: pool.size }), reduceMean()));
 * console.log(mean.arraySync()); // [2, 2], with exposeFunctions' denoise (negatives to 0)
 * mean.dispose();
 * await pool.terminate();
 * ```
 */
export function workerPool<M = unknown>(factory: () => Worker, options: { size?: number } = {}): WorkerPool<M> {
  const size = options.size ?? defaultSize();
  if (!Number.isInteger(size) || size < 1) throw new Error(`workerPool: size must be a positive integer; received ${String(size)}`);
  if (typeof factory !== 'function') throw new Error('workerPool: give a function that makes a Worker, e.g. () => new Worker(new URL(...), { type: "module" })');
  const start = (): Thread => {
    const worker = factory();
    return { worker, remote: wrap<Callable>(worker), busy: 0 };
  };
  const threads = Array.from({ length: size }, start);
  let terminated = false;

  const exec = async <R>(name: string, args: unknown[], buffers: ArrayBuffer[] = [], signal?: AbortSignal): Promise<R> => {
    if (terminated) throw new Error('workerPool: the pool was terminated');
    signal?.throwIfAborted();
    const thread = threads.reduce((a, b) => (b.busy < a.busy ? b : a));
    thread.busy++;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        // a Web Worker cannot be interrupted: stop it, and start another in its place
        thread.worker.terminate();
        threads[threads.indexOf(thread)] = start();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return (await Promise.race([thread.remote.call(name, transfer(args, buffers)), aborted])) as R;
    } finally {
      thread.busy--;
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  };

  const pool: WorkerPool = {
    size,
    exec,
    fn<T, R>(name: string, fnOptions: { transfer?: boolean } = {}): Project<T, R> {
      const move = fnOptions.transfer ?? false;
      return (item: T, index: number, signal: AbortSignal) => exec<R>(name, [item, index], move ? buffersOf(item) : [], signal);
    },
    terminate: async () => {
      terminated = true;
      for (const t of threads) t.worker.terminate();
    },
  };
  // the typed form is the same object: M only names what its functions take and give
  return pool as unknown as WorkerPool<M>;
}
