/**
 * The accumulator kernels every streaming reduction is built from, declared once with their
 * tfjs-op reference implementation (kernels/reference/); each backend registers fused versions
 * (one pass over a frame per item, in place where the accumulator is the library's own) in
 * kernels/<backend>/register.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as extrema from './reference/extrema';
import * as histogram from './reference/histogram';
import * as moments from './reference/moments';
import * as sum from './reference/sum';
import * as pool from './reference/pool';
import * as meanAllRef from './reference/mean-all';
import { defineKernel, registerKernels } from './registry';
import type { ColorRange, Colorized } from './reference/colorize';

// the kernels' argument and result types, for the layers above (which never reach into reference/)
export type { ColorRange, Colorized };
import type { FloatFrameData } from '../core/inputs';

/** acc + x for a running sum (float32: compensated [2, ...shape]; int32: exact, checked). */
export const sumAdd = defineKernel('sumAdd', sum.sumAdd);
/** The value of a running sum, optionally divided by a count or weight total. */
export const sumValue = defineKernel('sumValue', sum.sumValue);
/** One West/Welford step of a moments accumulator. */
export const momentsUpdate = defineKernel('momentsUpdate', moments.momentsUpdate);
/** The mean, variance, std or standard error of a moments accumulator. */
export const momentsValue = defineKernel('momentsValue', moments.momentsValue);
/** Chan et al.'s merge of two moments accumulators (partial results, parallelReduce). */
export const momentsMerge = defineKernel('momentsMerge', moments.momentsMerge);
/** One step of a running max, min, fmax or fmin. */
export const extremaUpdate = defineKernel('extremaUpdate', extrema.extremaUpdate);
/** One item counted into a histogram accumulator. */
export const histogramUpdate = defineKernel('histogramUpdate', histogram.histogramUpdate);
// Frame kernels: the same updates with the item given as JS data read as float32 (Reduction.updateFrames:
// float32, or 8/16-bit integers, which float32 holds exactly).
// The reference has none (null: the core makes a tensor and calls the kernel above); wasm folds
// the frame in chunk by chunk as it copies it into its heap.
/** sumAdd with a frame of JS data, or null. */
export const sumAddFrame = defineKernel('sumAddFrame', (_acc: tf.Tensor, _frame: FloatFrameData): tf.Tensor | null => null);
/** momentsUpdate (P = 4: a scalar weight w, W the total with it) with a frame of JS data, or null. */
export const momentsUpdateFrame = defineKernel('momentsUpdateFrame', (_acc: tf.Tensor, _frame: FloatFrameData, _w: number, _W: number): tf.Tensor | null => null);
/** momentsUpdate of several float32 frames in order (P = 4, each frame weight w, W0 the total
 * before them), folded block by block so that the accumulator is read once per batch, or null. */
export const momentsUpdateFrames = defineKernel('momentsUpdateFrames', (_acc: tf.Tensor, _frames: readonly Float32Array[], _w: number, _W0: number): tf.Tensor | null => null);
/** extremaUpdate with a frame of JS data, or null. */
export const extremaUpdateFrame = defineKernel('extremaUpdateFrame', (_acc: tf.Tensor, _frame: FloatFrameData, _op: extrema.ExtremumOp): tf.Tensor | null => null);
/** A [h, w] tensor as packed RGBA pixels through a 256-entry colormap (see toImage), computed in
 * this thread where the data already is in its memory (cpu, wasm: the fused wasm SIMD module), or
 * null: the caller then makes the image with tfjs ops on the tensor's device. */
export const colorize = defineKernel('colorize', (_x: tf.Tensor, _lut: Int32Array, _range: ColorRange): Colorized | null => null);
/** Each f x f block of a [h, w] tensor as its mean or max, float32 [floor(h / f), floor(w / f)]
 * (a preview drawn at display resolution); a new tensor. */
export const pool2d = defineKernel('pool2d', pool.pool2d);
export type { PoolOp } from './reference/pool';
/** The mean of all of a tensor's elements, a float32 scalar on its device (frameStats). */
export const meanAll = defineKernel('meanAll', meanAllRef.meanAll);
/** a & b for int32 tensors (tfjs's own where the backend has it). */
export const bitwiseAnd = defineKernel('bitwiseAnd', (a: tf.Tensor, b: tf.Tensor) => tf.bitwiseAnd(a, b));
/** int32 products, checked: a * b, and an item's product along some of its axes, exact or with
 * IntegerOverflow (for the multiply ufunc; tfjs's int32 Mul and Prod wrap silently). */
export { checkedIntMul, intProdAlong } from './reference/prod';
/** An int32 item summed along some of its axes, exactly or with IntegerOverflow. */
export const intSumAlong = defineKernel('intSumAlong', sum.intSumAlong);

/** The kernels by name, as declared: a backend's implementation of one has its signature. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a value only for its type (BackendKernels)
const KERNELS = {
  sumAdd,
  sumValue,
  momentsUpdate,
  momentsValue,
  momentsMerge,
  extremaUpdate,
  histogramUpdate,
  sumAddFrame,
  momentsUpdateFrame,
  momentsUpdateFrames,
  extremaUpdateFrame,
  colorize,
  pool2d,
  meanAll,
  bitwiseAnd,
  intSumAlong,
};

/** A backend's implementations of some of the kernels, each typed as its declaration (as tfjs's
 * KernelConfig types a backend's kernels): a wrong signature does not compile. */
export type BackendKernels = { [K in keyof typeof KERNELS]?: (typeof KERNELS)[K] };

/** Registers a backend's own implementations of kernels declared here (kernels/<backend>/register.ts). */
export function registerBackendKernels(backend: string, impls: BackendKernels): void {
  registerKernels(backend, impls as Record<string, (...args: never[]) => unknown>);
}

// Run once per stream (or per merge), not per frame: the reference serves every backend.
export { sumInit, sumMerge } from './reference/sum';
export { addCounts } from './reference/histogram';
export { type MomentsValue, momentsFrom, momentsTotal, momentsWiden, momentsZero } from './reference/moments';
export { EXTREMA, type ExtremumOp } from './reference/extrema';
