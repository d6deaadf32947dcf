import * as tf from '@tensorflow/tfjs-core';
import { OptionError, StreamInputError } from './errors';
import { type ArrayInput, castTo, formatShape, toTensor } from './inputs';

/** Weights of a weighted reduction: one per item, a scalar or an array of the item's shape,
 * consumed in lockstep with the stream, from an iterable or computed from each item. */
export type Weights = Iterable<number | ArrayInput> | ((item: unknown, index: number) => number | ArrayInput);

/** Reads item i's weight: a JS number, or a float32 tensor (owned by the caller) of shape [] or the item's. */
export type WeightReader = (item: unknown, index: number, itemShape: readonly number[]) => number | tf.Tensor;

/** A reader over `weights` for one subscription (an iterable is iterated afresh each time). */
export function weightReader(operator: string, weights: Weights): WeightReader {
  let iterator: Iterator<number | ArrayInput> | null = null;
  const next = (item: unknown, index: number): unknown => {
    if (typeof weights === 'function') return weights(item, index);
    iterator ??= weights[Symbol.iterator]();
    const step = iterator.next();
    if (step.done) {
      throw new StreamInputError(`${operator}: the weights ran out at item ${index}: the iterable gave only ${index} weights`, index);
    }
    return step.value;
  };
  return (item, index, itemShape) => {
    const value = next(item, index);
    if (typeof value === 'number') return value;
    const where = `${operator}: the weight of item ${index}`;
    const w = toTensor(value, where, index);
    const ok = w.rank === 0 || (w.rank === itemShape.length && w.shape.every((d, i) => d === itemShape[i]));
    if (!ok) {
      w.dispose();
      throw new StreamInputError(`${where} has shape ${formatShape(w.shape)}; expected a scalar or the item's shape ${formatShape(itemShape)}`, index);
    }
    if (w.dtype === 'float32') return w;
    const cast = castTo(w, 'float32');
    w.dispose();
    return cast;
  };
}

/** Checks the type of a `weights` option when the operator is created. */
export function validateWeightsOption(operator: string, weights: unknown): void {
  if (weights === undefined || typeof weights === 'function') return;
  if (weights === null || typeof (weights as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new OptionError(`${operator}: weights must be an iterable (one weight per item) or a function (item, index) => weight; received ${String(weights)}`);
  }
}
