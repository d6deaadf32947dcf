import { type Remote, transfer, wrap } from 'comlink';
import type { Project } from 'npstreams-rx';
import { buffersOf } from './transfer';

/** A pool of threads running the functions a module exposes (Web Workers here; worker_threads
 * with `workerPool` from npstreams-rx/node, which has the same shape). */
export interface WorkerPool {
  /** The number of threads: the concurrency to give pmap. */
  readonly size: number;
  /** A pmap project running `name(item, index)` in a thread; its AbortSignal cancels the call
   * (the thread is stopped and replaced). The item goes as a copy; `transfer: true` moves its
   * array buffers instead (faster for large items, unusable afterwards). Results are moved back. */
  fn<T = unknown, R = unknown>(name: string, options?: { transfer?: boolean }): Project<T, R>;
  /** Runs `name(...args)` in a thread, moving the buffers of `transfer` there. */
  exec<R = unknown>(name: string, args: unknown[], transfer?: ArrayBuffer[], signal?: AbortSignal): Promise<R>;
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
 * const pool = workerPool(() => new Worker(new URL('./denoise.worker.js', import.meta.url), { type: 'module' }), { size: 4 });
 * const frames$ = from<Frame[]>([
 *   { data: new Float32Array([1, -2]), shape: [2] },
 *   { data: new Float32Array([3, 4]), shape: [2] },
 * ]);
 * const mean = await lastValueFrom(frames$.pipe(pmap(pool.fn<Frame, Frame>('denoise'), { concurrency: pool.size }), reduceMean()));
 * console.log(mean.arraySync()); // [2, 2], with exposeFunctions' denoise (negatives to 0)
 * mean.dispose();
 * await pool.terminate();
 * ```
 */
export function workerPool(factory: () => Worker, options: { size?: number } = {}): WorkerPool {
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

  return {
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
}
