import type * as tf from '@tensorflow/tfjs-core';
import type { FloatFrameData } from './inputs';
import type { WeightKind } from './weights';

/** One stream item as a reduction sees it: coerced, checked and cast to the compute dtype. */
export interface PreparedItem {
  /** The item, owned by the core (never a user's tensor). */
  x: tf.Tensor;
  /** Its weight: a JS number (1 when the operator has no weights) or a tensor that
   * broadcasts against `x` (a scalar or the item's shape). */
  w: number | tf.Tensor;
}

/**
 * A streaming reduction, defined once and shared by its `scanX` and `reduceX` operators and by
 * `merge`. The core (`accumulate`) owns subscription, input coercion, shape and dtype checks,
 * weights, axis handling, disposal and errors; a definition only does arithmetic, inside a
 * `tf.tidy` the core opens, so it may create tensors freely and return them in its state.
 *
 * State S is a plain object of tensors, JS numbers and nulls (counts stay JS numbers: exact to 2^53).
 */
export interface Reduction<S extends object, O = tf.Tensor> {
  /** false where items may differ in shape (linear algebra): the core then skips the shape check
   * and the reduction checks what its operation needs. Default true. */
  fixedShape?: boolean;
  /** The weights it takes (see WeightKind): 'frequency' refuses negative ones. Default 'any'. */
  weightKind?: WeightKind;
  /** The dtype items are computed in, given the first item's dtype. */
  computeDtype(first: tf.DataType): tf.DataType;
  /** Converts an item whose dtype differs from the compute dtype (default: tf.cast). */
  prepare?(x: tf.Tensor): tf.Tensor;
  /** The state of one item reduced along `axes` of the item; `[]` keeps every element
   * (the stream axis), all axes give a scalar state. */
  init(item: PreparedItem, axes: number[]): S;
  /** Folds one more item into an elementwise state (the stream axis). Optional: the core
   * falls back to `merge(state, init(item, []))`. */
  update?(state: S, item: PreparedItem): S;
  /**
   * Folds one more item given as JS data of the item's shape, read as float32 (Float32Array, or
   * 8/16-bit integers, which float32 holds exactly; the stream axis, a weight that is a number), without making a tensor of it, where the backend has kernels for that
   * (wasm: the frame goes into its heap in cache-sized chunks, each folded in at once, instead
   * of a whole-frame copy read again). Returns null where it cannot; the core then makes the
   * tensor and calls `update`.
   */
  updateFrame?(state: S, frame: FloatFrameData, w: number): S | null;
  /**
   * Folds several items given as float32 JS data (a FrameBatch), each of weight `w`, in their
   * order, reading the state once per batch instead of once per item where the backend has a
   * kernel for that (cpu, wasm: block by block). Returns null where it cannot; the core then
   * folds the frames one by one.
   */
  updateFrames?(state: S, frames: readonly Float32Array[], w: number): S | null;
  /** Combines two partial states as if one pass had seen both streams. */
  merge(a: S, b: S): S;
  /** The value the operator emits for a state: a new tensor, or an object of new tensors. */
  finalize(state: S): O;
}
