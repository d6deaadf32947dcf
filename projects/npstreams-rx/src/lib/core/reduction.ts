import type * as tf from '@tensorflow/tfjs-core';
import type { FloatFrameData } from './inputs';
import { disposeExcept, tensorsIn } from './tensors';
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
  /** The tensor path: folds one more item into an elementwise state (the stream axis).
   * Optional: the core falls back to `merge(state, init(item, []))`. */
  update?(state: S, item: PreparedItem): S;
  /**
   * The frames path: folds items given as JS data of the item's shape, in their order, each of
   * weight `w` (a number), along the stream axis, without making tensors of them, where the
   * backend has kernels for that. A frame is read as float32 (a Float32Array, or 8/16-bit
   * integers, which float32 holds exactly). One item is a batch of one; a FrameBatch's frames
   * come at once, so that a kernel may read the state once per batch (cpu, wasm: block by
   * block) and wasm folds each frame into its heap in cache-sized chunks instead of copying it
   * whole. Returns null, having folded nothing, where it cannot; the core then makes a tensor of
   * each item and calls `update`. `frameByFrame` makes one from a one-frame step.
   */
  updateFrames?(state: S, frames: readonly FloatFrameData[], w: number): S | null;
  /** Combines two partial states as if one pass had seen both streams. */
  merge(a: S, b: S): S;
  /** The value the operator emits for a state: a new tensor, or an object of new tensors. */
  finalize(state: S): O;
}

/**
 * A Reduction's `updateFrames` from a step that folds one frame: the frames folded in order, each
 * state between them released as soon as the next is made. null where the step refuses the first
 * frame (the backend has no frame kernel); the step's answer must not change within a batch.
 */
export function frameByFrame<S extends object>(step: (state: S, frame: FloatFrameData, w: number) => S | null): (state: S, frames: readonly FloatFrameData[], w: number) => S | null {
  return (state, frames, w) => {
    let current = state;
    for (const frame of frames) {
      const next = step(current, frame, w);
      if (next === null) {
        if (current === state) return null;
        throw new Error('a frame kernel refused a frame after folding the ones before it in the same batch');
      }
      if (current !== state) disposeExcept(tensorsIn(next), current);
      current = next;
    }
    return current;
  };
}
