/// <reference types="node" />
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, OptionError, type Project, ɵtoFrame as toFrame } from 'npstreams-rx';
import workerpool from 'workerpool';
import { threadPool } from './thread-pool';
import { type WorkerPool as BasePool, buffersOf } from 'npstreams-rx/worker';

/** Where the pool's threads start: the script shipped beside this entry (dist/npstreams-rx/node/
 * worker.mjs; scripts/bundle-specs.mjs puts a bundle at the same place relative to the specs). */
let workerScript: URL = new URL('../node/worker.mjs', import.meta.url);

/**
 * Points the pools (`workerPool`, `parallelPool`, `parallelReduce`, `reduceFilesPartial`) at
 * another copy of their threads' script, the package's `node/worker.mjs`: for applications that
 * bundle npstreams-rx/node into one file, which then no longer finds the script beside it (copy
 * node/worker.mjs of the package beside the bundle, or bundle it). Pools started afterwards use it.
 *
 * @param url The script's file URL, or a path. A relative path is resolved against
 *   npstreams-rx/node's own module, not the working directory: give a URL (built from your
 *   bundle's `import.meta.url`) or an absolute path.
 *
 * @example
 * ```ts
 * import { setWorkerScript, workerPool } from 'npstreams-rx/node';
 *
 * // the bundle's folder holds a copy of the package's node/worker.mjs
 * setWorkerScript(new URL('./worker.mjs', import.meta.url));
 * const pool = workerPool(new URL('./denoise.mjs', import.meta.url)); // its threads run that copy
 * await pool.terminate();
 * ```
 */
export function setWorkerScript(url: URL | string): void {
  workerScript = new URL(url, import.meta.url);
}

/** What starts each thread of a pool (read by the worker script). */
export interface WorkerSetup {
  /** The module whose exported functions the pool runs (a file URL or a path). */
  module?: string;
  /** The tfjs backend each thread uses for the library's own work (parallelReduce). */
  backend?: BackendName;
}

/** workerPool's options: the number of threads and their tfjs backend. */
export interface WorkerPoolOptions {
  /** Threads in the pool (a positive integer); default: the number of CPUs minus one, at least 1
   * (defaultPoolSize). */
  size?: number;
  /** The tfjs backend recorded in each thread's setup, for the library's own work in the thread
   * (parallelReduce's shards, default cpu). The module's functions run on the backend they set
   * up themselves: call useBackend in the module where they use tfjs. */
  backend?: BackendName;
}

/** The options of a Node pool's `fn`: whether the item's buffers move to the thread. */
export interface PoolFunctionOptions {
  /** Move the item's array buffers to the worker instead of copying them (default false, as
   * parallelReduce: what you give stays yours and usable). True: faster for large items, whose
   * typed arrays are unusable afterwards (detached); never for memory you reuse (load's reuse). */
  transfer?: boolean;
}

/** A pool of worker threads running the functions a module exports: the shape of the Web
 * Worker pool of npstreams-rx/worker, plus `run` (the library's own methods). Tensors given to
 * `fn` go as frames read into copies. `M`, the module's type (`typeof import('./denoise.mjs')`),
 * types `fn` and `exec` by name. */
export interface WorkerPool<M = unknown> extends BasePool<M> {
  /** Runs one of the worker script's own methods (the library's use). */
  run<R = unknown>(method: string, args: unknown[], transfer?: ArrayBuffer[], signal?: AbortSignal): Promise<R>;
}

/**
 * The size of a pool by default: one thread per CPU but one (the main thread's), at least 1.
 *
 * @returns The number of CPUs Node reports (`os.cpus().length`) minus one, at least 1.
 *
 * @example
 * ```ts
 * import { defaultPoolSize } from 'npstreams-rx/node';
 *
 * console.log(defaultPoolSize()); // 7 on a machine of 8 CPUs, 1 on a machine of 1 or 2
 * ```
 */
export function defaultPoolSize(): number {
  return Math.max(1, workerpool.cpus - 1);
}

/**
 * A pool of Node worker threads (through workerpool) running the functions exported by a module:
 * the Node counterpart of npstreams-rx/worker's `workerPool`, with the same shape.
 *
 * Each thread imports the module at its first call; `pool.fn(name)` is a pmap project calling
 * `name(item, index)` there, `pool.exec(name, args)` calls `name(...args)`. A module that cannot be
 * loaded, or that exports no function of that name, fails the call with the reason. Arguments and
 * results are structured-cloned: the item's array buffers go as copies (moved with
 * `fn(name, { transfer: true })`; a tensor goes as a frame read into a copy), results' buffers
 * come back moved. The pattern: `frames$.pipe(pmap(pool.fn('denoise'), { concurrency: pool.size }))`.
 * Terminate the pool when done: it keeps the process alive otherwise.
 *
 * @typeParam M The module's type (`typeof import('./denoise.js')`, or one you write), to type
 *   `fn` and `exec` by name; omitted, they take the types you give them.
 * @param moduleUrl The module: a file URL (`new URL('./denoise.mjs', import.meta.url)`), or a path,
 *   a relative one resolved against the working directory.
 * @param options `size` (threads, default defaultPoolSize()), `backend` (of the library's own work
 *   in the threads).
 * @returns The pool: `size`, `fn`, `exec`, `run` and `terminate`. An OptionError is thrown at once
 *   for a bad `size`.
 *
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { from, lastValueFrom, toArray } from 'rxjs';
 * import { pmap } from 'npstreams-rx';
 * import { workerPool } from 'npstreams-rx/node';
 *
 * // the module the threads run (usually a file of your application's)
 * const script = join(await mkdtemp(join(tmpdir(), 'pool-')), 'square.mjs');
 * await writeFile(script, 'export const square = (x) => x * x;\n');
 *
 * // its type: with it, pool.fn('square') is a Project<number, number> (a wrong name does not compile)
 * type Square = { square: (x: number) => number };
 * const pool = workerPool<Square>(script, { size: 2 });
 * const squares = await lastValueFrom(from([1, 2, 3]).pipe(pmap(pool.fn('square'), { concurrency: pool.size }), toArray()));
 * console.log(squares); // [1, 4, 9]
 * await pool.terminate();
 * ```
 */
export function workerPool<M = unknown>(moduleUrl: URL | string, options: WorkerPoolOptions = {}): WorkerPool<M> {
  const size = options.size ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new OptionError(`workerPool: size must be a positive integer; received ${String(size)}`);
  const module = moduleUrl instanceof URL ? moduleUrl.href : /^[a-z]+:/i.test(moduleUrl) ? moduleUrl : new URL(moduleUrl, `file://${process.cwd()}/`).href;
  // the typed form is the same object: M only names what the module's functions take and give
  return startPool({ module, backend: options.backend }, size) as unknown as WorkerPool<M>;
}

/** A pool of the library's worker script with the given setup. */
export function startPool(setup: WorkerSetup, size: number): WorkerPool {
  const { run, terminate } = threadPool(workerScript, size, { npstreamsRx: setup });
  const exec = <R>(name: string, args: unknown[], transfer: ArrayBuffer[] = [], signal?: AbortSignal): Promise<R> => run<R>('__npstreamsRxCall', [name, args], transfer, signal);
  return {
    size,
    exec,
    run,
    fn<T, R>(name: string, fnOptions: PoolFunctionOptions = {}): Project<T, R> {
      const transfer = fnOptions.transfer ?? false;
      return async (item: T, index: number, signal: AbortSignal) => {
        // a tensor goes as a frame read into a copy (toFrame): it always moves
        const arg = item instanceof tf.Tensor ? await toFrame(item, `${name}: item ${index}`, index) : item;
        const buffers = transfer || arg !== item ? buffersOf(arg) : [];
        return exec<R>(name, [arg, index], buffers, signal);
      };
    },
    terminate,
  };
}
