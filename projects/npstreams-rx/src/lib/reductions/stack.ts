import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import type { Reduction } from '../core/reduction';

/** The items of a finite stream, kept to be stacked once at the end. */
export interface StackState {
  items: tf.Tensor[];
}

/** np.stack(stream, axis): the dense array of every item along a new axis (default -1, last). */
export function stackReduction(operator: string, axis: number): Reduction<StackState> {
  if (!Number.isInteger(axis)) throw new OptionError(`${operator}: axis must be an integer; received ${axis}`);
  return {
    computeDtype: (first) => first,
    init: ({ x }) => ({ items: [x] }),
    // the state's array grows in place: the core keeps every tensor a state holds
    update: (state, { x }) => (state.items.push(x), state),
    merge: (a, b) => ({ items: [...a.items, ...b.items] }),
    finalize: ({ items }) => {
      const rank = items[0].rank;
      if (axis < -(rank + 1) || axis > rank) {
        throw new OptionError(`${operator}: axis ${axis} is out of range for stacking items of rank ${rank}`);
      }
      return tf.stack(items, axis < 0 ? axis + rank + 1 : axis);
    },
  };
}
