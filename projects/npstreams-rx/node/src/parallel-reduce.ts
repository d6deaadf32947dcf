import { type Observable, type OperatorFunction, bufferCount, concat, concatMap, defer, finalize, from, ignoreElements, map, mergeMap, reduce, tap } from 'rxjs';
import {
  type ArrayInput,
  type BackendName,
  EmptyStreamError,
  FileFormatError,
  type FormatName,
  type Frame,
  OptionError,
  type PartialOf,
  type PartialResult,
  StreamInputError,
  deserializePartial,
  disposePartial,
  mergePartials,
  partialValue,
  pmap,
  ɵbackendReady as backendReady,
  ɵtoFrame as toFrame,
  ɵtravels as travels,
} from 'npstreams-rx';
import { expandGlob } from './glob';
import type { PushOutcome, ShardTask } from './thread-run';
import { buffersOf } from 'npstreams-rx/worker';
import { type WorkerPool, defaultPoolSize, startPool } from './worker-pool';

/**
 * Worker threads for parallel reductions, one lane each (a workerpool pool of one thread): a
 * reduction sends shard k to lane k mod size, where it joins that lane's running stream, so
 * which items each lane reduces, and in what order, never depends on timing: the merged result
 * is the same on every run.
 */
export interface ParallelPool {
  /** The number of worker threads (lanes). */
  readonly size: number;
  /** @internal the lanes */
  readonly lanes: readonly WorkerPool[];
  /** Stops the threads. */
  terminate(): Promise<void>;
}

/**
 * Worker threads for parallelReduce, parallelPartial and reduceFilesPartial, kept running across
 * reductions (give it as their `pool` option): a reduction without one starts its threads for
 * the subscription and stops them at its end, which costs each thread's start (loading tfjs) every
 * time. Each thread is a lane of its own, so which items each reduces never depends on timing.
 *
 * @param options `workers` (threads, a positive integer; default defaultPoolSize()), `backend`
 *   (their tfjs backend, default cpu).
 * @returns The pool, the caller's: `terminate()` it when done (its threads keep the process alive
 *   otherwise). An OptionError is thrown at once for a bad `workers`.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { partials, useBackend } from 'npstreams-rx';
 * import { parallelPool, parallelReduce } from 'npstreams-rx/node';
 *
 * await useBackend(); // optional: else the fastest available, started at subscription
 * const pool = parallelPool({ workers: 2 });
 * const items = [[1, 2], [3, 4], [5, 6], [7, 8]];
 * const mean = await lastValueFrom(from(items).pipe(parallelReduce(partials.mean(), { pool, chunkSize: 1 })));
 * const sum = await lastValueFrom(from(items).pipe(parallelReduce(partials.sum(), { pool, chunkSize: 1 })));
 * console.log(mean.arraySync(), sum.arraySync()); // [4, 5] [16, 20]
 * mean.dispose();
 * sum.dispose();
 * await pool.terminate();
 * ```
 */
export function parallelPool(options: { workers?: number; backend?: BackendName } = {}): ParallelPool {
  const size = options.workers ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new OptionError(`parallelPool: workers must be a positive integer; received ${String(size)}`);
  const lanes = Array.from({ length: size }, () => startPool({ backend: options.backend ?? 'cpu' }, 1));
  return { size, lanes, terminate: async () => void (await Promise.all(lanes.map((l) => l.terminate()))) };
}

/** The options of parallelReduce and parallelPartial: the threads (or a pool of them), the size of
 * the shards and whether the items move. */
export interface ParallelOptions {
  /** Worker threads, each reducing its shard on its own tfjs backend; default: CPUs minus one
   * (defaultPoolSize). Ignored with `pool` (its size counts). */
  workers?: number;
  /** Items per shard sent to a worker at once (default 8): fewer means finer balance and less
   * memory in flight (at most workers x chunkSize items). */
  chunkSize?: number;
  /** The workers' tfjs backend (default cpu). Ignored with `pool` (its own backend counts). */
  backend?: BackendName;
  /** Move the items' typed arrays to the workers instead of copying them (default false): the
   * items are unusable afterwards. Tensors are always read into copies. */
  transfer?: boolean;
  /** Threads to use (parallelPool), kept running afterwards; default: started for the
   * subscription and stopped at its end. */
  pool?: ParallelPool;
}

function checkOptions(operator: string, statistic: PartialOf<unknown>, options: ParallelOptions): { workers: number; chunkSize: number } {
  if (typeof statistic !== 'function' || !statistic.recipe) throw new OptionError(`${operator}: the statistic must be a partials.x(...) operator, e.g. partials.var({ ddof: 1 })`);
  if (statistic.hasWeights) throw new OptionError(`${operator}: weights belong to one stream and do not travel to workers; reduce weighted statistics in one pass`);
  if (!travels(statistic.recipe)) throw new OptionError(`${operator}: a user ufunc cannot run in a worker (functions do not travel); name one of the library's ufuncs`);
  const workers = options.pool?.size ?? options.workers ?? defaultPoolSize();
  const chunkSize = options.chunkSize ?? 8;
  if (!Number.isInteger(workers) || workers < 1) throw new OptionError(`${operator}: workers must be a positive integer; received ${String(workers)}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new OptionError(`${operator}: chunkSize must be a positive integer; received ${String(chunkSize)}`);
  return { workers, chunkSize };
}

let runs = 0;

/**
 * The machinery of a parallel reduction: shards pushed to the lanes in order (shard k to lane
 * k mod size, each lane's shards one after another), then every lane's stream finished, and the
 * lanes' partial results merged in lane order. A failure anywhere abandons the job in every lane.
 */
function runParallel(
  operator: string,
  options: ParallelOptions,
  workers: number,
  shards: (
    lanes: readonly WorkerPool[],
    push: (k: number, task: Omit<ShardTask, 'recipe'>, transfer: ArrayBuffer[], signal: AbortSignal, describe: string) => Promise<PushOutcome>,
  ) => Observable<unknown>,
  recipe: ShardTask['recipe'],
): Observable<PartialResult> {
  // this thread reads the items (tensors, nested arrays) and merges the workers' results: on a
  // backend, started here (as an operator does) when none is yet
  return from(backendReady()).pipe(
    concatMap(() =>
      defer(() => {
        const pool = options.pool ?? parallelPool({ workers, backend: options.backend });
        const lanes = pool.lanes;
        const id = `${process.pid}-${++runs}`;
        const tails: Promise<unknown>[] = lanes.map(() => Promise.resolve());
        let finished = false;
        const push = (k: number, task: Omit<ShardTask, 'recipe'>, transfer: ArrayBuffer[], signal: AbortSignal, describe: string): Promise<PushOutcome> => {
          const lane = k % lanes.length;
          // one shard after another in each lane, in stream order
          const run = tails[lane].then(() => lanes[lane].run<PushOutcome>('__npstreamsRxPush', [id, { ...task, recipe }], transfer, signal));
          tails[lane] = run.catch(() => undefined);
          return run.catch((err: unknown) => {
            if (err instanceof StreamInputError) throw err;
            throw new StreamInputError(`${operator}: a worker reducing ${describe} failed: ${err instanceof Error ? err.message : String(err)}`, -1, { cause: err });
          });
        };
        const finish = defer(async () => {
          const states = await Promise.all(lanes.map((lane) => lane.run<Uint8Array | null>('__npstreamsRxFinish', [id])));
          finished = true;
          let merged: PartialResult | null = null;
          try {
            for (const bytes of states) {
              if (!bytes) continue;
              const next = deserializePartial(bytes);
              const previous = merged;
              merged = null; // foldPartial releases it, merged or not
              merged = foldPartial(previous, next);
            }
          } catch (err) {
            if (merged) disposePartial(merged);
            throw err;
          }
          if (!merged) throw new EmptyStreamError(operator);
          return merged;
        });
        return concat(shards(lanes, push).pipe(ignoreElements()), finish).pipe(
          finalize(() => {
            if (!finished) for (const lane of lanes) lane.run('__npstreamsRxAbandon', [id]).catch(() => undefined);
            if (options.pool === undefined) void pool.terminate();
          }),
        ) as Observable<PartialResult>;
      }),
    ),
  );
}

/**
 * A statistic of a stream reduced by worker threads, as its mergeable partial result (npstreams'
 * `preduce`, as an operator): the stream is cut into shards of `chunkSize` items and shard k goes
 * to worker thread k mod `workers`, whose own tfjs backend folds it into that worker's running
 * reduction of the statistic (`partials.var({ ddof: 1 })`...). At the end the workers' partial
 * results merge exactly (Chan et al. for moments), in worker order, into the PartialResult of
 * the whole stream.
 *
 * Equal to one pass within float32 rounding, and the same on every run. Items are copied to the
 * workers unless `transfer: true` moves them (tensors are always read into copies); every item
 * must have the first item's shape (a StreamInputError names the one that does not), and a
 * worker's failure errors the stream with a StreamInputError naming the items of its shard. An
 * empty stream errors with an EmptyStreamError. A statistic with `weights`, or with a user's
 * ufunc (a function does not travel to a thread), or a bad option is refused at once with an
 * OptionError. This thread reads the items and merges the workers' results on its own tfjs
 * backend: the one chosen with `useBackend()`, else one started when the stream is subscribed.
 *
 * @param statistic The statistic: a `partials.x(...)` operator, unweighted, with a named ufunc
 *   where it takes one.
 * @param options `workers` (default defaultPoolSize()), `chunkSize` (items per shard, default 8),
 *   `backend` (the workers', default cpu), `transfer`, `pool` (threads kept running, see
 *   parallelPool).
 * @returns An operator emitting the stream's PartialResult once, when the stream completes. It
 *   belongs to the subscriber: read it with partialValue (new tensors, also the caller's), merge
 *   it with mergePartials, and dispose it with disposePartial when done. Items are never
 *   disposed or modified, but for the typed arrays `transfer: true` detaches.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { disposePartial, partialValue, partials, useBackend } from 'npstreams-rx';
 * import { parallelPartial } from 'npstreams-rx/node';
 *
 * await useBackend(); // optional: else the fastest available, started at subscription
 * const items = [[1, 2], [3, 4], [5, 6], [7, 8]];
 * const partial = await lastValueFrom(from(items).pipe(parallelPartial(partials.var(), { workers: 2, chunkSize: 2 })));
 * const variance = partialValue(partial);
 * console.log(variance.arraySync()); // [5, 5]
 * variance.dispose();
 * disposePartial(partial);
 * ```
 */
export function parallelPartial<O>(statistic: PartialOf<O>, options: ParallelOptions = {}): OperatorFunction<ArrayInput, PartialResult<object, O>> {
  const operator = 'parallelReduce';
  const { workers, chunkSize } = checkOptions(operator, statistic as PartialOf<unknown>, options);
  return (source) =>
    runParallel(
      operator,
      options,
      workers,
      (_lanes, push) => {
        let first: Frame | null = null;
        return source.pipe(
          bufferCount(chunkSize),
          pmap(
            async (items, k, signal) => {
              const at = k * chunkSize;
              const frames = await Promise.all(items.map((item, i) => toFrame(item, `${operator}: item ${at + i}`, at + i, !options.transfer)));
              // the workers number items within their own shards: shapes are checked here, by stream index
              frames.forEach((f, i) => {
                first ??= f;
                if (f.shape.length !== first.shape.length || f.shape.some((d, j) => d !== first!.shape[j])) {
                  throw new StreamInputError(`${operator}: item ${at + i} has shape [${f.shape.join(', ')}], expected [${first.shape.join(', ')}] (the shape of item 0)`, at + i);
                }
              });
              return push(k, { frames }, buffersOf(frames), signal, `items ${at}..${at + items.length - 1}`);
            },
            // a shard running and one waiting per lane, so that no lane idles; order does not
            // matter here (each lane takes its shards in order: see runParallel)
            { concurrency: 2 * workers, ordered: false },
          ),
        );
      },
      statistic.recipe,
    ) as Observable<PartialResult<object, O>>;
}

/**
 * A statistic of a stream reduced by worker threads (npstreams' `preduce`): parallelPartial's
 * result read as its final value, as the statistic's `reduceX` operator gives it (a tensor, or
 * `{ average, variance }` for `partials.averageAndVar`). The shards, the threads, the checks and
 * the errors are parallelPartial's; the result equals one pass within float32 rounding, and is the
 * same on every run.
 *
 * @param statistic The statistic: a `partials.x(...)` operator, unweighted, with a named ufunc
 *   where it takes one.
 * @param options `workers` (default defaultPoolSize()), `chunkSize` (items per shard, default 8),
 *   `backend` (the workers', default cpu), `transfer`, `pool` (threads kept running, see
 *   parallelPool).
 * @returns An operator emitting the statistic once, when the stream completes. Its tensors belong
 *   to the subscriber: dispose them when done. Items are never disposed or modified, but for the
 *   typed arrays `transfer: true` detaches.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { partials, useBackend } from 'npstreams-rx';
 * import { parallelReduce } from 'npstreams-rx/node';
 *
 * await useBackend(); // optional: else the fastest available, started at subscription
 * const frames = [[1, 2], [3, 4], [5, 6], [7, 8]];
 * const { average, variance } = await lastValueFrom(from(frames).pipe(parallelReduce(partials.averageAndVar(), { workers: 2, chunkSize: 1 })));
 * console.log(average.arraySync(), variance.arraySync()); // [4, 5] [5, 5]
 * average.dispose();
 * variance.dispose();
 * ```
 */
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

/**
 * Folds `next` into the running merge `acc` (null: none yet): the merged partial result, with both
 * inputs released, also when the merge throws (a MergeError then leaves nothing to dispose).
 */
export function foldPartial(acc: PartialResult | null, next: PartialResult): PartialResult {
  if (!acc) return next;
  try {
    return mergePartials(acc, next);
  } finally {
    disposePartial(acc);
    disposePartial(next);
  }
}

/** reduceFilesPartial's options: parallelPartial's (`chunkSize` counts files here, `transfer` does
 * not apply), and load's for the files the workers read. */
export interface ReduceFilesOptions extends ParallelOptions {
  /** A format name (npy, png, tiff, jpeg); default: by content, then by extension. */
  loader?: FormatName;
  /** Skip files that cannot be read or decoded, reporting each to `onSkip`, instead of erroring
   * (default false). */
  skipBad?: boolean;
  /** Where skipped files are reported, with the error naming the file and the reason (default: a
   * console warning). */
  onSkip?: (error: FileFormatError) => void;
  /** Called as shards finish, with the totals so far. */
  onProgress?: (progress: { files: number; frames: number; skipped: number; total: number }) => void;
}

/**
 * The statistic of the frames of files (paths or globs, expanded and sorted here), reduced by
 * worker threads that read and decode their own shards of the files (shard k of `chunkSize`
 * files to worker k mod `workers`): the main thread holds only the list of paths and, at the
 * end, the workers' partial results, so memory does not grow with the number of files.
 *
 * The merge is parallelPartial's: in worker order, the same on every run. A glob that matches
 * nothing, or a file that cannot be read or decoded, errors with a FileFormatError naming it
 * (`skipBad` reports the file to `onSkip` and goes on); a frame of another shape errors too, and
 * no frame at all with an EmptyStreamError. The statistic and the options are checked at once
 * (an OptionError), as parallelPartial's. Nothing is read before subscription. This thread
 * merges the workers' results on its own tfjs backend: the one chosen with `useBackend()`, else
 * one started when the stream is subscribed.
 *
 * @param statistic The statistic: a `partials.x(...)` operator, unweighted, with a named ufunc
 *   where it takes one.
 * @param sources A path or glob, or a list of them (each glob expanded and sorted, in the list's
 *   order).
 * @param options `workers` (default defaultPoolSize()), `chunkSize` (files per shard, default 8),
 *   `backend`, `pool`, `loader`, `skipBad` and `onSkip`, `onProgress` (the files, frames and
 *   skipped files so far, and the total of files).
 * @returns An Observable emitting the PartialResult of every frame once, then completing. It
 *   belongs to the subscriber: read it with partialValue (new tensors, also the caller's), and
 *   dispose it with disposePartial when done.
 *
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { lastValueFrom } from 'rxjs';
 * import { disposePartial, partialValue, partials, useBackend } from 'npstreams-rx';
 * import { reduceFilesPartial, save } from 'npstreams-rx/node';
 *
 * await useBackend(); // optional: else the fastest available, started at subscription
 * const dir = await mkdtemp(join(tmpdir(), 'files-'));
 * const frames = [[1, 2], [3, 4], [5, 6], [7, 8]];
 * for (const [i, values] of frames.entries()) {
 *   await save({ data: new Float32Array(values), shape: [2], dtype: 'float32' }, join(dir, `frame-${i}.npy`));
 * }
 *
 * const partial = await lastValueFrom(reduceFilesPartial(partials.mean(), join(dir, '*.npy'), { workers: 2, chunkSize: 2 }));
 * const mean = partialValue(partial);
 * console.log(mean.arraySync()); // [4, 5]
 * mean.dispose();
 * disposePartial(partial);
 * ```
 */
export function reduceFilesPartial<O>(statistic: PartialOf<O>, sources: string | string[], options: ReduceFilesOptions = {}): Observable<PartialResult<object, O>> {
  const operator = 'reduceFiles';
  const { workers, chunkSize } = checkOptions(operator, statistic as PartialOf<unknown>, options);
  const onSkip = options.onSkip ?? ((e: FileFormatError) => console.warn(`${operator}: skipped ${e.message}`));
  return runParallel(
    operator,
    options,
    workers,
    (_lanes, push) => {
      const progress = { files: 0, frames: 0, skipped: 0, total: 0 };
      return from(typeof sources === 'string' ? [sources] : sources).pipe(
        mergeMap((s) => expandGlob(s), 1),
        reduce((all, some) => [...all, ...some], [] as string[]),
        tap((all) => (progress.total = all.length)),
        mergeMap((all) => from(all)),
        bufferCount(chunkSize),
        pmap(
          async (shard, k, signal) => {
            const outcome = await push(k, { paths: shard, loader: options.loader, skipBad: options.skipBad }, [], signal, `files ${shard.join(', ')}`);
            for (const s of outcome.skipped) onSkip(new FileFormatError(s.file, s.message.slice(s.file.length + 2)));
            progress.files += shard.length;
            progress.frames += outcome.frames;
            progress.skipped += outcome.skipped.length;
            options.onProgress?.({ ...progress });
          },
          { concurrency: workers },
        ),
      );
    },
    statistic.recipe,
  ) as Observable<PartialResult<object, O>>;
}
