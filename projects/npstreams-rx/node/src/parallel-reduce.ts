import { type Observable, type OperatorFunction, bufferCount, concat, defer, finalize, from, ignoreElements, map, mergeMap, reduce, tap } from 'rxjs';
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
  ɵtoFrame as toFrame,
  ɵtravels as travels,
} from 'npstreams-rx';
import { expandGlob } from './glob';
import type { PartTask, PushOutcome } from './reduce-part';
import { buffersOf } from 'npstreams-rx/worker';
import { type WorkerPool, defaultPoolSize, startPool } from './worker-pool';

/**
 * Worker threads for parallel reductions, one lane each (a workerpool pool of one thread): a
 * reduction sends share k to lane k mod size, where it joins that lane's running stream, so
 * which items each lane reduces, and in what order, never depends on timing: the merged result
 * is the same on every run.
 */
export interface ParallelPool {
  readonly size: number;
  /** @internal the lanes */
  readonly lanes: readonly WorkerPool[];
  /** Stops the threads. */
  terminate(): Promise<void>;
}

/** Worker threads for parallelReduce and reduceFilesPartial (reuse them across reductions). */
export function parallelPool(options: { workers?: number; backend?: BackendName } = {}): ParallelPool {
  const size = options.workers ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new OptionError(`parallelPool: workers must be a positive integer; received ${String(size)}`);
  const lanes = Array.from({ length: size }, () => startPool({ backend: options.backend ?? 'cpu' }, 1));
  return { size, lanes, terminate: async () => void (await Promise.all(lanes.map((l) => l.terminate()))) };
}

export interface ParallelOptions {
  /** Worker threads, each reducing its share on its own tfjs backend; default: CPUs minus one. */
  workers?: number;
  /** Items per share sent to a worker at once (default 8): fewer means finer balance and less
   * memory in flight (at most workers x chunkSize items). */
  chunkSize?: number;
  /** The workers' tfjs backend (default cpu). */
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

let jobs = 0;

/**
 * The machinery of a parallel reduction: shares pushed to the lanes in order (share k to lane
 * k mod size, each lane's shares one after another), then every lane's stream finished, and the
 * lanes' partial results merged in lane order. A failure anywhere abandons the job in every lane.
 */
function runJob(
  operator: string,
  options: ParallelOptions,
  workers: number,
  shares: (
    lanes: readonly WorkerPool[],
    push: (k: number, task: Omit<PartTask, 'recipe'>, transfer: ArrayBuffer[], signal: AbortSignal, describe: string) => Promise<PushOutcome>,
  ) => Observable<unknown>,
  recipe: PartTask['recipe'],
): Observable<PartialResult> {
  return defer(() => {
    const pool = options.pool ?? parallelPool({ workers, backend: options.backend });
    const lanes = pool.lanes;
    const id = `${process.pid}-${++jobs}`;
    const tails: Promise<unknown>[] = lanes.map(() => Promise.resolve());
    let finished = false;
    const push = (k: number, task: Omit<PartTask, 'recipe'>, transfer: ArrayBuffer[], signal: AbortSignal, describe: string): Promise<PushOutcome> => {
      const lane = k % lanes.length;
      // one share after another in each lane, in stream order
      const run = tails[lane].then(() => lanes[lane].run<PushOutcome>('__npstreamsRxPush', [id, { ...task, recipe }], transfer, signal));
      tails[lane] = run.catch(() => undefined);
      return run.catch((err: unknown) => {
        if (err instanceof StreamInputError) throw err;
        throw new StreamInputError(`${operator}: a worker reducing ${describe} failed: ${err instanceof Error ? err.message : String(err)}`, -1, { cause: err });
      });
    };
    const finish = defer(async () => {
      const parts = await Promise.all(lanes.map((lane) => lane.run<Uint8Array | null>('__npstreamsRxFinish', [id])));
      finished = true;
      let merged: PartialResult | null = null;
      try {
        for (const bytes of parts) {
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
    return concat(shares(lanes, push).pipe(ignoreElements()), finish).pipe(
      finalize(() => {
        if (!finished) for (const lane of lanes) lane.run('__npstreamsRxAbandon', [id]).catch(() => undefined);
        if (options.pool === undefined) void pool.terminate();
      }),
    ) as Observable<PartialResult>;
  });
}

/**
 * npstreams' `preduce`, as an operator: the stream is cut into shares of `chunkSize` items and
 * share k goes to worker thread k mod `workers`, whose own tfjs backend folds it into that
 * worker's running reduction of the statistic (`partials.var({ ddof: 1 })`...). At the end the
 * workers' partial results merge exactly (Chan et al. for moments), in worker order, into the
 * PartialResult of the whole stream (owned by the subscriber: partialValue, disposePartial).
 * Equal to one pass within float32 rounding, and the same on every run. Items are copied to the
 * workers unless `transfer: true` moves them; every item must have the first item's shape.
 */
export function parallelPartial<O>(statistic: PartialOf<O>, options: ParallelOptions = {}): OperatorFunction<ArrayInput, PartialResult<object, O>> {
  const operator = 'parallelReduce';
  const { workers, chunkSize } = checkOptions(operator, statistic as PartialOf<unknown>, options);
  return (source) =>
    runJob(
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
              // the workers number items within their own shares: shapes are checked here, by stream index
              frames.forEach((f, i) => {
                first ??= f;
                if (f.shape.length !== first.shape.length || f.shape.some((d, j) => d !== first!.shape[j])) {
                  throw new StreamInputError(`${operator}: item ${at + i} has shape [${f.shape.join(', ')}], expected [${first.shape.join(', ')}] (the shape of item 0)`, at + i);
                }
              });
              return push(k, { frames }, buffersOf(frames), signal, `items ${at}..${at + items.length - 1}`);
            },
            // a share running and one waiting per lane, so that no lane idles; order does not
            // matter here (each lane takes its shares in order: see runJob)
            { concurrency: 2 * workers, ordered: false },
          ),
        );
      },
      statistic.recipe,
    ) as Observable<PartialResult<object, O>>;
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
 * worker threads that read and decode their own shares of the files (share k of `chunkSize`
 * files to worker k mod `workers`): the main thread holds only the list of paths and, at the
 * end, the workers' partial results, so memory does not grow with the number of files. Emits
 * the PartialResult of every frame (owned by the subscriber).
 */
export function reduceFilesPartial<O>(statistic: PartialOf<O>, sources: string | string[], options: ReduceFilesOptions = {}): Observable<PartialResult<object, O>> {
  const operator = 'reduceFiles';
  const { workers, chunkSize } = checkOptions(operator, statistic as PartialOf<unknown>, options);
  const onSkip = options.onSkip ?? ((e: FileFormatError) => console.warn(`${operator}: skipped ${e.message}`));
  return runJob(
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
          async (share, k, signal) => {
            const outcome = await push(k, { paths: share, loader: options.loader, skipBad: options.skipBad }, [], signal, `files ${share.join(', ')}`);
            for (const s of outcome.skipped) onSkip(new FileFormatError(s.file, s.message.slice(s.file.length + 2)));
            progress.files += share.length;
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
