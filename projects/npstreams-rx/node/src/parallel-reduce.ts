import { type Observable, type OperatorFunction, bufferCount, defer, finalize, from, map, mergeMap, reduce, tap } from 'rxjs';
import {
  type ArrayInput,
  type BackendName,
  EmptyStreamError,
  FileFormatError,
  type FormatName,
  OptionError,
  type PartialOf,
  type PartialResult,
  StreamInputError,
  deserializePartial,
  disposePartial,
  mergePartials,
  partialValue,
  pmap,
  toFrame,
} from 'npstreams-rx';
import type { PartOutcome, PartTask } from './reduce-part';
import { expandGlob } from './load';
import { type WorkerPool, defaultPoolSize, startPool } from './worker-pool';
import { buffersOf } from './transfer';

export interface ParallelOptions {
  /** Worker threads, each reducing its share on its own tfjs backend; default: CPUs minus one. */
  workers?: number;
  /** Items per share sent to a worker at once (default 8): more means fewer merges, fewer means
   * finer balance and less memory in flight (workers x chunkSize items). */
  chunkSize?: number;
  /** The workers' tfjs backend (default cpu). */
  backend?: BackendName;
  /** Move the items' typed arrays to the workers instead of copying them (default false): the
   * items are unusable afterwards. Tensors are always read into copies. */
  transfer?: boolean;
  /** A pool to use (parallelPool), kept running afterwards; default: one started for the
   * subscription and stopped at its end. */
  pool?: WorkerPool;
}

/** A pool of the library's own worker threads for parallelReduce (reuse it across reductions). */
export function parallelPool(options: { workers?: number; backend?: BackendName } = {}): WorkerPool {
  const size = options.workers ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new OptionError(`parallelPool: workers must be a positive integer; received ${String(size)}`);
  return startPool({ backend: options.backend ?? 'cpu' }, size);
}

function checkOptions(operator: string, statistic: PartialOf<unknown>, options: ParallelOptions): { workers: number; chunkSize: number } {
  if (typeof statistic !== 'function' || !statistic.recipe) throw new OptionError(`${operator}: the statistic must be a partials.x(...) operator, e.g. partials.var({ ddof: 1 })`);
  if (statistic.hasWeights) throw new OptionError(`${operator}: weights belong to one stream and do not travel to workers; reduce weighted statistics in one pass`);
  if (statistic.recipe.kind === 'ufunc' && (statistic.recipe.ufunc ?? '').startsWith('user ufunc')) {
    throw new OptionError(`${operator}: a user ufunc cannot run in a worker (functions do not travel); name one of the library's ufuncs`);
  }
  const workers = options.pool?.size ?? options.workers ?? defaultPoolSize();
  const chunkSize = options.chunkSize ?? 8;
  if (!Number.isInteger(workers) || workers < 1) throw new OptionError(`${operator}: workers must be a positive integer; received ${String(workers)}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new OptionError(`${operator}: chunkSize must be a positive integer; received ${String(chunkSize)}`);
  return { workers, chunkSize };
}

/** The shares' partial results (as bytes: no tensor waits in pmap's reorder buffer, where an
 * error would strand it) made and merged in stream order, the earlier ones disposed as they go. */
function mergeInOrder(operator: string): OperatorFunction<Uint8Array | null, PartialResult> {
  return (outcomes) =>
    defer(() => {
      let merged: PartialResult | null = null;
      return outcomes.pipe(
        reduce((acc: PartialResult | null, bytes: Uint8Array | null) => {
          if (!bytes) return acc;
          const next = deserializePartial(bytes);
          if (!acc) return (merged = next);
          try {
            return (merged = mergePartials(acc, next));
          } finally {
            disposePartial(acc);
            disposePartial(next);
          }
        }, null),
        map((result) => {
          if (!result) throw new EmptyStreamError(operator);
          merged = null; // the subscriber's now
          return result;
        }),
        finalize(() => merged && disposePartial(merged)),
      );
    });
}

/** Runs one share in the pool; a worker's failure comes back naming the items of the share. */
async function runShare(pool: WorkerPool, operator: string, task: PartTask, first: number, count: number, transfer: ArrayBuffer[], signal: AbortSignal): Promise<PartOutcome> {
  try {
    return await pool.run<PartOutcome>('__npstreamsRxReducePart', [task], transfer, signal);
  } catch (err) {
    const what = task.paths ? `files ${task.paths.join(', ')}` : `items ${first}..${first + count - 1}`;
    throw new StreamInputError(`${operator}: a worker reducing ${what} failed: ${err instanceof Error ? err.message : String(err)}`, first, { cause: err });
  }
}

/** Starts (or takes) the pool for one subscription and stops it at the end when it is ours. */
function withPool<T>(options: ParallelOptions, workers: number, body: (pool: WorkerPool) => Observable<T>): Observable<T> {
  return defer(() => {
    const pool = options.pool ?? parallelPool({ workers, backend: options.backend });
    return body(pool).pipe(finalize(() => options.pool === undefined && void pool.terminate()));
  });
}

/**
 * npstreams' `preduce`, as an operator: the stream is cut into shares of `chunkSize` items, each
 * reduced by one of `workers` worker threads on its own tfjs backend to a partial result of the
 * statistic (`partials.var({ ddof: 1 })`...), and the partial results merge exactly, in stream
 * order, into the PartialResult of the whole stream (owned by the subscriber: partialValue,
 * disposePartial). Equal to one pass within float32 rounding (the merge is Chan et al.'s).
 * Items are copied to the workers unless `transfer: true` moves them.
 */
export function parallelPartial<O>(statistic: PartialOf<O>, options: ParallelOptions = {}): OperatorFunction<ArrayInput, PartialResult<object, O>> {
  const operator = 'parallelReduce';
  const { workers, chunkSize } = checkOptions(operator, statistic as PartialOf<unknown>, options);
  const recipe = statistic.recipe;
  return (source) =>
    withPool(options, workers, (pool) => {
      let first = 0;
      return source.pipe(
        bufferCount(chunkSize),
        map((items) => ({ items, first: (first += items.length) - items.length })),
        pmap(
          async ({ items, first: at }, _k, signal) => {
            const frames = await Promise.all(items.map((item, i) => toFrame(item, `${operator}: item ${at + i}`, at + i, !options.transfer)));
            const outcome = await runShare(pool, operator, { recipe, frames }, at, items.length, buffersOf(frames), signal);
            return outcome.partial;
          },
          { concurrency: workers },
        ),
        mergeInOrder(operator),
      );
    }) as Observable<PartialResult<object, O>>;
}

/** parallelPartial's final value (owned by the subscriber), as `reduceX` gives it. */
export function parallelReduce<O>(statistic: PartialOf<O>, options: ParallelOptions = {}): OperatorFunction<ArrayInput, O> {
  const partial = parallelPartial(statistic, options);
  return (source) =>
    source.pipe(
      partial,
      map((p) => {
        try {
          return partialValue(p);
        } finally {
          disposePartial(p);
        }
      }),
    );
}

export interface ReduceFilesOptions extends ParallelOptions {
  loader?: FormatName;
  /** Skip unreadable files, reporting each to onSkip (default: a console warning). */
  skipBad?: boolean;
  onSkip?: (error: FileFormatError) => void;
  /** Called as shares finish, with the totals so far. */
  onProgress?: (progress: { files: number; frames: number; skipped: number; total: number }) => void;
}

/**
 * The statistic of the frames of files (paths or globs, expanded and sorted here), reduced by
 * worker threads that read and decode their own shares of the files: the main thread holds only
 * the list of paths and one partial result, so memory does not grow with the number of files.
 * Emits the PartialResult of every frame (owned by the subscriber).
 */
export function reduceFilesPartial<O>(statistic: PartialOf<O>, sources: string | string[], options: ReduceFilesOptions = {}): Observable<PartialResult<object, O>> {
  const operator = 'reduceFiles';
  const { workers, chunkSize } = checkOptions(operator, statistic as PartialOf<unknown>, options);
  const recipe = statistic.recipe;
  const onSkip = options.onSkip ?? ((e: FileFormatError) => console.warn(`${operator}: skipped ${e.message}`));
  return withPool(options, workers, (pool) => {
    const paths: string[] = [];
    const progress = { files: 0, frames: 0, skipped: 0, total: 0 };
    return from(typeof sources === 'string' ? [sources] : sources).pipe(
      mergeMap((s) => expandGlob(s), 1),
      reduce((all, some) => [...all, ...some], paths),
      tap((all) => (progress.total = all.length)),
      mergeMap((all) => from(all)),
      bufferCount(chunkSize),
      map((share, k) => ({ share, first: k * chunkSize })),
      pmap(
        async ({ share, first }, _k, signal) => {
          const task: PartTask = { recipe, paths: share, loader: options.loader, skipBad: options.skipBad };
          const outcome = await runShare(pool, operator, task, first, share.length, [], signal);
          for (const s of outcome.skipped) onSkip(new FileFormatError(s.file, s.message.slice(s.file.length + 2)));
          progress.files += share.length;
          progress.frames += outcome.frames;
          progress.skipped += outcome.skipped.length;
          options.onProgress?.({ ...progress });
          return outcome.partial;
        },
        { concurrency: workers },
      ),
      mergeInOrder(operator),
    ) as Observable<PartialResult<object, O>>;
  });
}
