import * as tf from '@tensorflow/tfjs-core';
import { traitsOf } from './backend-traits';
import { OptionError, StreamInputError, describeThrown } from './errors';
import { type ArrayInput, castTo, formatShape, isTensor, toTensor } from './inputs';

/** Weights of a weighted reduction: one per item, a scalar or an array that broadcasts to the
 * item's shape, consumed in lockstep with the stream, from an iterable or computed from each item. */
export type Weights = Iterable<number | ArrayInput> | ((item: unknown, index: number) => number | ArrayInput);

/** Reads item i's weight: a JS number, or a float32 tensor (owned by the caller) of shape [] or the item's. */
export type WeightReader = (item: unknown, index: number, itemShape: readonly number[]) => number | tf.Tensor;

/** What weights a reduction takes: any numbers (np.average, np.histogram), or frequency weights,
 * which must not be negative (np.cov's fweights: var, std, sem). NaN is refused by both. */
export type WeightKind = 'any' | 'frequency';

/**
 * A reader over `weights` for one subscription (an iterable is iterated afresh each time).
 * What the user's function or iterable throws comes back as a StreamInputError naming the
 * operator and the item, with the original as `cause`. A NaN weight (or a negative frequency
 * weight) is an error naming the item, never a silent NaN. An array weight broadcasts to the
 * item's shape as NumPy broadcasts (e.g. [1] or [1, w] for [h, w] items).
 */
export function weightReader(operator: string, weights: Weights, kind: WeightKind = 'any'): WeightReader {
  let iterator: Iterator<number | ArrayInput> | null = null;
  const next = (item: unknown, index: number): unknown => {
    try {
      if (typeof weights === 'function') return weights(item, index);
      iterator ??= weights[Symbol.iterator]();
      const step = iterator.next();
      if (step.done) {
        throw new StreamInputError(`${operator}: the weights ran out at item ${index}: the iterable gave only ${index} weights`, index);
      }
      return step.value;
    } catch (err) {
      if (err instanceof StreamInputError) throw err;
      const source = typeof weights === 'function' ? 'the weights function' : "the weights' iterable";
      throw new StreamInputError(`${operator}: ${source} threw at item ${index}: ${describeThrown(err)}`, index, { cause: err });
    }
  };
  const invalid = invalidWeight(kind);
  return (item, index, itemShape) => {
    const value = next(item, index);
    const where = `${operator}: the weight of item ${index}`;
    if (typeof value === 'number') {
      const why = invalid(value);
      if (why) throw new StreamInputError(`${where} is ${why}`, index);
      return value;
    }
    const w = toTensor(value, where, index);
    try {
      if (!broadcastsTo(w.shape, itemShape)) {
        throw new StreamInputError(`${where} has shape ${formatShape(w.shape)}, which does not broadcast to the item's shape ${formatShape(itemShape)}`, index);
      }
      checkValues(w, isTensor(value), kind, where, index);
      const cast = w.dtype === 'float32' ? w : castTo(w, 'float32');
      const full = cast.rank === 0 || sameShape(cast.shape, itemShape) ? cast : tf.broadcastTo(cast, [...itemShape]);
      if (cast !== w) w.dispose();
      if (full !== cast) cast.dispose();
      return full;
    } catch (err) {
      if (!w.isDisposed) w.dispose();
      throw err;
    }
  };
}

/**
 * Refuses NaN (and, for frequency weights, negative) values in a weight tensor. Weights given
 * as JS data are read where they are (a tensor just made from them keeps its values on the
 * CPU on every backend); a user's tensor is tested on its device, one scalar read back, except
 * on webgpu, which has no reliable synchronous read: there a tensor's NaN weights give NaN
 * results (as NumPy's), unchecked.
 */
function checkValues(w: tf.Tensor, userTensor: boolean, kind: WeightKind, where: string, index: number): void {
  const invalid = invalidWeight(kind);
  if (!userTensor) {
    const values = w.dataSync();
    for (let i = 0; i < values.length; i++) {
      const why = invalid(values[i]);
      if (why) throw new StreamInputError(`${where} is ${why} at [${i}] (flat index)`, index);
    }
    return;
  }
  if (traitsOf(tf.getBackend()).noSyncRead) return;
  const bad = tf.tidy(() => {
    const nan = tf.isNaN(tf.cast(w, 'float32'));
    return tf.any(kind === 'frequency' ? tf.logicalOr(nan, tf.less(w, 0)) : nan);
  });
  const flagged = bad.dataSync()[0] !== 0;
  bad.dispose();
  if (flagged) {
    const values = w.dataSync();
    const i = Array.from(values).findIndex((v) => invalid(v) !== null);
    throw new StreamInputError(`${where} is ${invalid(values[i])} at [${i}] (flat index)`, index);
  }
}

/** Why a weight value is refused (NaN; a negative frequency weight), or null. */
function invalidWeight(kind: WeightKind): (v: number) => string | null {
  return (v) => (Number.isNaN(v) ? 'NaN' : kind === 'frequency' && v < 0 ? `negative (${v}); frequency weights count observations, as np.cov's fweights` : null);
}

/** Whether `shape` broadcasts to `target` by NumPy's rules without growing it. */
function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const offset = target.length - shape.length;
  return shape.every((d, i) => d === 1 || d === target[offset + i]);
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Checks the type of a `weights` option when the operator is created. */
export function validateWeightsOption(operator: string, weights: unknown): void {
  if (weights === undefined || typeof weights === 'function') return;
  if (weights === null || typeof (weights as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new OptionError(`${operator}: weights must be an iterable (one weight per item) or a function (item, index) => weight; received ${String(weights)}`);
  }
}
