/// <reference types="node" />
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { EmptyStreamError, FileFormatError, type FormatName, OptionError, RAW_HEAD_BYTES, type RawLayout, StreamInputError, decodeFile, rawLayout } from 'npstreams-rx';
import { decodeScriptUrl } from '../decode-pool';
import { readBytes } from '../read';
import { threadPool } from '../worker-pool';
import type { SlabError, SlabEvent, SlabOutcome, SlabTask } from './slab-protocol';

/** The statistics foldFiles computes. */
export type FoldStatistic = 'mean' | 'sum';

export interface FoldFilesOptions {
  /** mean (default) or sum; a sum needs float32 frames (an integer sum is exact in int32: reduceSum). */
  statistic?: FoldStatistic;
  /** Threads that each fold their part of every frame (default 1; this one only waits). */
  workers?: number;
  /** A format name, as load's. */
  loader?: FormatName;
  /** Skip files that cannot be read or decoded, reporting them to `onSkip` (default: error). */
  skipBad?: boolean;
  onSkip?: (error: FileFormatError) => void;
  /** Called after each file with the files done (skipped ones included) and frames folded. */
  onProgress?: (files: number, frames: number) => void;
}

export interface FoldFilesResult {
  /** The mean or sum, float32, of the frames' shape (the caller's to dispose). */
  result: tf.Tensor;
  frames: number;
  /** The first frame's shape and dtype (int32 for 8/16-bit integer samples). */
  shape: number[];
  dtype: 'float32' | 'int32';
  skipped: FileFormatError[];
  /** The threads that folded (fewer than `workers` for small frames: 64 Ki elements each at least). */
  threads: number;
}

/**
 * The mean (or sum) of the frames of a list of files, straight from disk: npstreams'
 * `iaverage(map(imread, files))` at the speed of the memory. Each of `workers` threads folds its own part of every frame (a range of elements) into a compensated float32 sum,
 * reading from a raw file (a float32 or 8/16-bit .npy, an uncompressed TIFF) only that part's
 * bytes, in chunks, into the memory the fused kernel reads; other files are decoded whole in each
 * thread. The result is the same, bit for bit, as `load(files).pipe(reduceMean())` on the wasm
 * backend, whatever the number of threads; the errors are the same too (a file named, a frame of
 * another shape, `skipBad`). The files' frames are not emitted: for anything else than their mean
 * or sum, use load and the operators.
 */
export async function foldFiles(paths: readonly string[], options: FoldFilesOptions = {}): Promise<FoldFilesResult> {
  const { values, ...rest } = await foldFileValues(paths, options);
  await tf.ready();
  return { result: tf.tensor(values, rest.shape, 'float32'), ...rest };
}

/** foldFiles' result as the values (float32, C order) instead of a tensor: no tfjs backend needed. */
export async function foldFileValues(paths: readonly string[], options: FoldFilesOptions = {}): Promise<Omit<FoldFilesResult, 'result'> & { values: Float32Array }> {
  const { statistic = 'mean', workers = 1, loader, skipBad = false, onProgress } = options;
  const onSkip = options.onSkip ?? ((err: FileFormatError) => console.warn(`foldFiles: skipped ${err.message}`));
  if (statistic !== 'mean' && statistic !== 'sum') throw new OptionError(`foldFiles: statistic must be mean or sum; received ${JSON.stringify(statistic)}`);
  if (!(Number.isInteger(workers) && workers >= 1)) throw new OptionError(`foldFiles: workers must be a positive integer; received ${String(workers)}`);
  const operator = statistic === 'mean' ? 'reduceMean' : 'reduceSum';
  const first = await firstFrame(paths, loader, skipBad);
  if (first === null) throw new EmptyStreamError(operator);
  const { shape, dtype } = first;
  if (statistic === 'sum' && dtype !== 'float32') {
    throw new OptionError('foldFiles: the sum of integer frames is an exact int32 sum, which reduceSum computes; foldFiles sums float32 frames');
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const slabs = slabsOf(n, workers);
  const skipped: FileFormatError[] = [];
  let files = 0;
  const onEvent = (event: SlabEvent): void => {
    if ('skipped' in event) {
      const error = new FileFormatError(paths[event.skipped], event.reason, { index: event.skipped });
      skipped.push(error);
      onSkip(error);
    }
    onProgress?.(++files, 'frames' in event ? event.frames : -1);
  };
  const tasks: SlabTask[] = slabs.map(([from, to], k) => ({ paths: [...paths], n, shape, from, to, loader, skipBad, operator, statistic, report: k === 0 }));
  const { run, terminate } = threadPool(decodeScriptUrl(), slabs.length);
  let parts: { values: Float32Array; count: number }[];
  try {
    parts = await Promise.all(
      tasks.map(async (task) => {
        const outcome = await run<SlabOutcome>('fold', [task], [], undefined, task.report ? onEvent : undefined);
        if ('error' in outcome) throw errorOf(outcome.error);
        return outcome;
      }),
    );
  } finally {
    await terminate();
  }
  const count = parts[0].count;
  if (parts.some((p) => p.count !== count)) throw new Error(`foldFiles: the threads folded ${parts.map((p) => p.count).join(', ')} frames: the files changed while they were read`);
  if (count === 0) throw new EmptyStreamError(operator);
  const values = parts.length === 1 ? parts[0].values : new Float32Array(n);
  if (parts.length > 1) parts.reduce((at, p) => (values.set(p.values, at), at + p.values.length), 0);
  return { values, frames: count, shape, dtype, skipped, threads: slabs.length };
}

/** Element ranges of a frame of n elements for `workers` threads: starts at multiples of 4, none
 * shorter than 64 Ki elements (fewer threads for small frames). */
export function slabsOf(n: number, workers: number): [number, number][] {
  const parts = Math.max(1, Math.min(workers, Math.floor(n / 65536)));
  const bounds = Array.from({ length: parts + 1 }, (_, k) => (k === parts ? n : Math.floor((n * k) / parts / 4) * 4));
  return bounds.slice(0, -1).map((from, k) => [from, bounds[k + 1]]);
}

/** The error a thread described. */
function errorOf(e: SlabError): Error {
  return e.kind === 'input' ? new StreamInputError(e.message, e.index) : new FileFormatError(e.file, e.message, { index: e.index });
}

/**
 * The shape and dtype of the first frame of the files: from the head of a raw file, else decoded
 * (the threads then decode it again). Files that fail before it are left to the threads, which
 * skip or refuse them alike; null when none gives a frame.
 */
async function firstFrame(paths: readonly string[], loader: FormatName | undefined, skipBad: boolean): Promise<{ shape: number[]; dtype: 'float32' | 'int32' } | null> {
  for (const path of paths) {
    const layout = rawHead(path, loader);
    if (layout) return { shape: layout.shape, dtype: layout.dtype };
    try {
      const frames = await decodeFile(await readBytes(path), path, loader);
      if (frames.length > 0) return { shape: frames[0].shape, dtype: frames[0].dtype === 'float32' ? 'float32' : 'int32' };
    } catch {
      // the threads refuse it (or skip it) with its message, before any frame
      if (!skipBad) return { shape: [0], dtype: 'float32' };
    }
  }
  return null;
}

/** The raw layout of a file from its head, or null (see io/raw-layout.ts). */
export function rawHead(path: string, loader?: FormatName): RawLayout | null {
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    if (!stats.isFile()) return null;
    const head = new Uint8Array(Math.min(stats.size, RAW_HEAD_BYTES));
    const got = readSync(fd, head, 0, head.length, 0);
    return rawLayout(head.subarray(0, got), stats.size, loader);
  } catch {
    return null;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
