/// <reference types="node" />
import * as tf from '@tensorflow/tfjs-core';
import { ɵbackendReady as backendReady } from 'npstreams-rx';
import { type FoldFilesOptions, type FoldValues, foldFileValues } from './fold-values';

export type { FoldFilesOptions, FoldStatistic } from './fold-values';

/** What foldFiles resolves to: the result as a tensor, the frames folded, their shape and dtype,
 * the files skipped and the threads used. */
export interface FoldFilesResult extends Omit<FoldValues, 'values'> {
  /** The mean or sum, float32, of the frames' shape (the caller's to dispose). */
  result: tf.Tensor;
}

/**
 * The mean (or sum) of the frames of a list of files, straight from disk: npstreams'
 * `iaverage(map(imread, files))` at the speed of the memory.
 *
 * Each of `workers` threads folds its own part of every frame (a range of elements) into a
 * compensated float32 sum, reading from a raw file (a float32 or 8/16-bit .npy, an uncompressed
 * TIFF: see rawLayout) only that part's bytes, in chunks, into the memory the fused kernel reads.
 * Where the first file is not raw (PNG, compressed TIFF, JPEG...), 2 or more `workers` decode the
 * files instead and the calling thread folds their frames, in order, the frames' memory handed
 * back to the decoding threads (with one, it decodes and folds). The result is the same, bit for bit, as `load(files).pipe(reduceMean())` on the wasm
 * backend, whatever the number of threads; the errors are the same too: a FileFormatError naming
 * a file that cannot be read or decoded (or that takes a thread past `deadline`), a
 * StreamInputError for a frame of another shape, an EmptyStreamError when no frame is left, an
 * OptionError for a bad option or for the sum of integer frames (reduceSum computes that one
 * exactly). The files' frames are not emitted: for anything else than their mean or sum, use load
 * and the operators. Globs are not expanded here (expandGlob does that).
 *
 * @param paths The files, folded in this order (every frame of every file, a TIFF's pages too).
 * @param options `statistic` (mean, the default, or sum), `workers` (threads, default 1),
 *   `loader` (a format name), `skipBad` and `onSkip`, `onProgress`, `deadline` (ms per file),
 *   `maxPixels` and `maxBytes`.
 * @returns A promise of the result (a float32 tensor of the frames' shape, the caller's to
 *   dispose), with the number of frames folded, the frames' shape and dtype, the files skipped
 *   and the threads that folded and decoded.
 *
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { foldFiles, save } from 'npstreams-rx/node';
 *
 * const dir = await mkdtemp(join(tmpdir(), 'fold-'));
 * const paths = [join(dir, 'a.npy'), join(dir, 'b.npy'), join(dir, 'c.npy')];
 * await save({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2], dtype: 'float32' }, paths[0]);
 * await save({ data: new Float32Array([3, 4, 5, 6]), shape: [2, 2], dtype: 'float32' }, paths[1]);
 * await save({ data: new Float32Array([5, 6, 7, 8]), shape: [2, 2], dtype: 'float32' }, paths[2]);
 *
 * const { result, frames, shape } = await foldFiles(paths, { workers: 2 });
 * console.log(frames, shape, result.arraySync()); // 3 [2, 2] [[3, 4], [5, 6]]
 * result.dispose();
 * ```
 */
export async function foldFiles(paths: readonly string[], options: FoldFilesOptions = {}): Promise<FoldFilesResult> {
  const { values, ...rest } = await foldFileValues(paths, options);
  await backendReady();
  return { result: tf.tensor(values, rest.shape, 'float32'), ...rest };
}
