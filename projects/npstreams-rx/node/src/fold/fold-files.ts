/// <reference types="node" />
import * as tf from '@tensorflow/tfjs-core';
import { type FoldFilesOptions, type FoldValues, foldFileValues } from './fold-values';

export type { FoldFilesOptions, FoldStatistic } from './fold-values';

/** foldFiles' answer: FoldValues with the result as a tensor. */
export interface FoldFilesResult extends Omit<FoldValues, 'values'> {
  /** The mean or sum, float32, of the frames' shape (the caller's to dispose). */
  result: tf.Tensor;
}

/**
 * The mean (or sum) of the frames of a list of files, straight from disk: npstreams'
 * `iaverage(map(imread, files))` at the speed of the memory. Each of `workers` threads folds its
 * own part of every frame (a range of elements) into a compensated float32 sum, reading from a
 * raw file (a float32 or 8/16-bit .npy, an uncompressed TIFF: see rawLayout) only that part's
 * bytes, in chunks, into the memory the fused kernel reads. Where the first file is not raw (PNG,
 * compressed TIFF, JPEG...), 2 or more `workers` decode the files instead and one thread more
 * folds their frames, in order (with one, it decodes and folds). The result is the same, bit for
 * bit, as `load(files).pipe(reduceMean())` on the wasm backend, whatever the number of threads;
 * the errors are the same too (a file named, a frame of another shape, `skipBad`). The files'
 * frames are not emitted: for anything else than their mean or sum, use load and the operators.
 */
export async function foldFiles(paths: readonly string[], options: FoldFilesOptions = {}): Promise<FoldFilesResult> {
  const { values, ...rest } = await foldFileValues(paths, options);
  await tf.ready();
  return { result: tf.tensor(values, rest.shape, 'float32'), ...rest };
}
