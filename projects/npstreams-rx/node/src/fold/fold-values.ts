/// <reference types="node" />
// foldFiles' machinery on this thread, light: threads (workerpool) and messages; the library's
// entry (tfjs) is imported only to make an error. The command starts a fold with it before it
// loads the rest.
import type { DecodeLimits, FileFormatError, FormatName } from 'npstreams-rx';
import { decodeScriptUrl, threadPool } from '../thread-pool';
import { foldDecoded } from './fold-decoded';
import { type SlabError, type SlabEvent, type SlabOutcome, type SlabProbe, type SlabTask, overdue } from './slab-protocol';

/** The statistics foldFiles computes. */
export type FoldStatistic = 'mean' | 'sum';

/** foldFiles' options: the statistic, the threads, and load's options that apply to files (the
 * format, skipping bad files, the limits of decoding). */
export interface FoldFilesOptions extends DecodeLimits {
  /** mean (default) or sum; a sum needs float32 frames (an integer sum is exact in int32: reduceSum). */
  statistic?: FoldStatistic;
  /**
   * Threads (default 1). Where the first file is raw (rawLayout), each folds its part of every
   * frame, reading only that part of a raw file, and this thread only waits; otherwise, with 2 or
   * more, they decode the files and this thread folds the frames, in order. One thread does it all.
   */
  workers?: number;
  /** A format name, as load's. */
  loader?: FormatName;
  /** Skip files that cannot be read or decoded, reporting them to `onSkip` (default: error). */
  skipBad?: boolean;
  /** Where skipped files are reported, with the error naming the file and the reason (default: a
   * console warning). */
  onSkip?: (error: FileFormatError) => void;
  /** Called after each file with the files done (skipped ones included) and the frames folded
   * so far; after a skipped file `frames` is -1. */
  onProgress?: (files: number, frames: number) => void;
  /**
   * The milliseconds a thread may spend on one file (default 60000). A thread that takes longer
   * (a pathological or hostile file in a decoder) is stopped and the fold errors naming the file,
   * even with skipBad: the other threads have folded their parts of it.
   */
  deadline?: number;
}

/** What foldFiles gives, the result as its values (float32, C order). */
export interface FoldValues {
  /** The mean or sum, float32, in C order. */
  values: Float32Array;
  /** The frames folded (every page of a TIFF counts; skipped files' none). */
  frames: number;
  /** The first frame's shape. */
  shape: number[];
  /** The first frame's dtype: int32 for 8/16-bit integer samples, else float32 (the result is
   * float32 either way). */
  dtype: 'float32' | 'int32';
  /** The files skipped (`skipBad`), in the order they were met, each error naming its file. */
  skipped: FileFormatError[];
  /** The threads that folded (fewer than `workers` for small frames: 64 Ki elements each at least;
   * 1, the calling thread, where others decoded the files). */
  threads: number;
  /** The threads that decoded files for the calling thread, which folded them (0: the folding
   * threads read them). */
  decoders: number;
}

/** foldFiles without the tensor. */
export async function foldFileValues(paths: readonly string[], options: FoldFilesOptions = {}): Promise<FoldValues> {
  const { statistic = 'mean', workers = 1, loader, skipBad = false, onProgress, maxPixels, maxBytes, deadline = 60000 } = options;
  const limits = { maxPixels, maxBytes };
  const lib = () => import('npstreams-rx');
  if (statistic !== 'mean' && statistic !== 'sum') throw new (await lib()).OptionError(`foldFiles: statistic must be mean or sum; received ${JSON.stringify(statistic)}`);
  if (!(Number.isInteger(workers) && workers >= 1)) throw new (await lib()).OptionError(`foldFiles: workers must be a positive integer; received ${String(workers)}`);
  if (!(typeof deadline === 'number' && deadline > 0)) throw new (await lib()).OptionError(`foldFiles: deadline must be a positive number of milliseconds; received ${String(deadline)}`);
  const operator = statistic === 'mean' ? 'reduceMean' : 'reduceSum';
  const late = async (index: number): Promise<Error> => new (await lib()).FileFormatError(paths[index], overdue(deadline), { index });
  // the threads start now; the first of them finds the first frame's shape
  const threads = threadPool(decodeScriptUrl(), workers);
  const { run, terminate } = threads;
  try {
    let first: SlabProbe;
    const probing = AbortSignal.timeout(deadline);
    try {
      first = await run<SlabProbe>('probe', [[...paths], loader, skipBad, limits], [], probing);
    } catch (err) {
      if (probing.aborted) throw await late(0);
      throw err;
    }
    if ('none' in first) throw new (await lib()).EmptyStreamError(operator);
    // a first file that fails: the threads refuse it with its message, before any frame
    const { shape, dtype } = 'shape' in first ? first : { shape: [0], dtype: 'float32' as const };
    if (statistic === 'sum' && dtype !== 'float32') {
      throw new (await lib()).OptionError('foldFiles: the sum of integer frames is an exact int32 sum, which reduceSum computes; foldFiles sums float32 frames');
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const skipped: FileFormatError[] = [];
    const onSkip = options.onSkip ?? ((err: FileFormatError) => console.warn(`foldFiles: skipped ${err.message}`));
    const { FileFormatError: FileError, StreamInputError, EmptyStreamError } = await lib();
    let files = 0;
    const onEvent = (event: SlabEvent): void => {
      if ('skipped' in event) {
        const error = new FileError(paths[event.skipped], event.reason, { index: event.skipped });
        skipped.push(error);
        onSkip(error);
      }
      onProgress?.(++files, 'frames' in event ? event.frames : -1);
    };
    const errorOf = (e: SlabError): Error => (e.kind === 'input' ? new StreamInputError(e.message, e.index) : new FileError(e.file, e.message, { index: e.index }));
    if (!('raw' in first && first.raw) && workers > 1) {
      // files to decode whole: the threads decode them, this one folds the frames
      const outcome = await foldDecoded({ paths, shape, loader, skipBad, operator, statistic, limits, deadline, workers }, threads, onEvent);
      if ('error' in outcome) throw errorOf(outcome.error);
      if (outcome.count === 0) throw new EmptyStreamError(operator);
      return { values: outcome.values, frames: outcome.count, shape, dtype, skipped, threads: 1, decoders: workers };
    }
    const timers: ReturnType<typeof setTimeout>[] = [];
    const slabs = slabsOf(n, workers);
    const parts = await Promise.all(
      slabs.map(async ([from, to], k) => {
        const task: SlabTask = { paths: [...paths], n, shape, from, to, loader, skipBad, operator, statistic, limits };
        // each thread's watchdog: a file that takes it past the deadline stops it
        const stop = new AbortController();
        let next = 0;
        const arm = () => {
          clearTimeout(timers[k]);
          timers[k] = setTimeout(() => stop.abort(), deadline);
        };
        arm();
        const seen = (event: SlabEvent): void => {
          next = ('file' in event ? event.file : event.skipped) + 1;
          arm();
          if (k === 0) onEvent(event);
        };
        try {
          const outcome = await run<SlabOutcome>('fold', [task], [], stop.signal, seen);
          if ('error' in outcome) throw errorOf(outcome.error);
          return outcome;
        } catch (err) {
          if (stop.signal.aborted) throw await late(Math.min(next, paths.length - 1));
          throw err;
        } finally {
          clearTimeout(timers[k]);
        }
      }),
    ).finally(() => timers.forEach((t) => clearTimeout(t)));
    const count = parts[0].count;
    if (parts.some((p) => p.count !== count)) throw new Error(`foldFiles: the threads folded ${parts.map((p) => p.count).join(', ')} frames: the files changed while they were read`);
    if (count === 0) throw new EmptyStreamError(operator);
    const values = parts.length === 1 ? parts[0].values : new Float32Array(n);
    if (parts.length > 1) parts.reduce((at, p) => (values.set(p.values, at), at + p.values.length), 0);
    return { values, frames: count, shape, dtype, skipped, threads: slabs.length, decoders: 0 };
  } finally {
    await terminate();
  }
}

/** Element ranges of a frame of n elements for `workers` threads: starts at multiples of 4, none
 * shorter than 64 Ki elements (fewer threads for small frames). */
export function slabsOf(n: number, workers: number): [number, number][] {
  const parts = Math.max(1, Math.min(workers, Math.floor(n / 65536)));
  const bounds = Array.from({ length: parts + 1 }, (_, k) => (k === parts ? n : Math.floor((n * k) / parts / 4) * 4));
  return bounds.slice(0, -1).map((from, k) => [from, bounds[k + 1]]);
}
