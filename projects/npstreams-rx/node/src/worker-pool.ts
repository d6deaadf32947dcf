/// <reference types="node" />
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, OptionError, type Project, ɵtoFrame as toFrame } from 'npstreams-rx';
import workerpool from 'workerpool';
import { threadPool } from './thread-pool';
import { type WorkerPool as BasePool, buffersOf } from 'npstreams-rx/worker';

/** Where the pool's threads start: the script shipped beside this entry (dist/npstreams-rx/node/
 * worker.mjs; scripts/bundle-specs.mjs puts a bundle at the same place relative to the specs). */
let workerScript: URL = new URL('../node/worker.mjs', import.meta.url);

/** Points the pools at another copy of the worker script: for applications that bundle
 * npstreams-rx/node into one file (copy node/worker.mjs of the package beside it, or bundle it). */
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

export interface WorkerPoolOptions {
  /** Threads in the pool; default: the number of CPUs minus one, at least 1. */
  size?: number;
  /** The tfjs backend of each thread (default cpu: one thread per core is the parallelism). */
  backend?: BackendName;
}

export interface PoolFunctionOptions {
  /** Move the item's array buffers to the worker instead of copying them (default false, as
   * parallelReduce: what you give stays yours and usable). True: faster for large items, whose
   * typed arrays are unusable afterwards (detached); never for memory you reuse (load's reuse). */
  transfer?: boolean;
}

/** A pool of worker threads running the functions a module exports: the shape of the Web
 * Worker pool of npstreams-rx/worker, plus `run` (the library's own methods). Tensors given to
 * `fn` go as frames read into copies. */
export interface WorkerPool extends BasePool {
  /** Runs one of the worker script's own methods (the library's use). */
  run<R = unknown>(method: string, args: unknown[], transfer?: ArrayBuffer[], signal?: AbortSignal): Promise<R>;
}

/** The size of a pool by default: one thread per core but one (the main thread's). */
export function defaultPoolSize(): number {
  return Math.max(1, workerpool.cpus - 1);
}

/**
 * A pool of Node worker threads (through workerpool) running the functions exported by the module
 * at `moduleUrl` (a file URL, e.g. `new URL('./denoise.mjs', import.meta.url)`, or a path).
 * Arguments and results are structured-cloned, their array buffers moved without copies
 * (transfer lists) both ways. The pattern:
 * `frames$.pipe(pmap(pool.fn('denoise'), { concurrency: pool.size }))`. Terminate the pool when
 * done (it keeps the process alive otherwise).
 */
export function workerPool(moduleUrl: URL | string, options: WorkerPoolOptions = {}): WorkerPool {
  const size = options.size ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new OptionError(`workerPool: size must be a positive integer; received ${String(size)}`);
  const module = moduleUrl instanceof URL ? moduleUrl.href : /^[a-z]+:/i.test(moduleUrl) ? moduleUrl : new URL(moduleUrl, `file://${process.cwd()}/`).href;
  return startPool({ module, backend: options.backend }, size);
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
