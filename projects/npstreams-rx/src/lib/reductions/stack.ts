import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import { formatShape } from '../core/inputs';
import type { Reduction } from '../core/reduction';

/** The items of a finite stream, kept to be stacked once at the end. */
export interface StackState {
  items: tf.Tensor[];
}

/**
 * npstreams' `stack(arrays, axis)`, "a generalization of numpy.stack and numpy.concatenate":
 * axis -1 (or the items' rank) stacks the items along a new last axis, as np.stack(stream,
 * axis=-1); an existing axis k (negative counting from the end of an item) concatenates them
 * along it, as np.concatenate, so items may then differ in size along k.
 */
export function stackReduction(operator: string, axis: number): Reduction<StackState> {
  if (!Number.isInteger(axis)) throw new OptionError(`${operator}: axis must be an integer; received ${axis}`);
  /** null: a new last axis; else the item axis to concatenate along. */
  const along = (rank: number): number | null => {
    if (axis === -1 || axis === rank) return null;
    const k = axis < 0 ? axis + rank : axis;
    if (k < 0 || k >= rank) {
      throw new OptionError(`${operator}: axis ${axis} is out of range for items of rank ${rank}: -1 (or ${rank}) stacks along a new axis, 0..${rank - 1} concatenates along one`);
    }
    return k;
  };
  return {
    // items may differ in size along a concatenation axis: checked here, item by item
    fixedShape: false,
    computeDtype: (first) => first,
    init: ({ x }) => {
      along(x.rank);
      return { items: [x] };
    },
    // the state's array grows in place: the core keeps every tensor a state holds
    update: (state, { x }) => {
      const first = state.items[0];
      const k = along(first.rank);
      const fits = x.rank === first.rank && x.shape.every((d, i) => i === k || d === first.shape[i]);
      if (!fits) {
        const need = k === null ? `${formatShape(first.shape)} (the shape of item 0)` : `the shape of item 0, ${formatShape(first.shape)}, in every axis but ${k}`;
        throw new Error(`has shape ${formatShape(x.shape)}; ${k === null ? 'stacking' : `concatenating along axis ${k}`} needs ${need}`);
      }
      state.items.push(x);
      return state;
    },
    merge: (a, b) => ({ items: [...a.items, ...b.items] }),
    finalize: ({ items }) => {
      const k = along(items[0].rank);
      return k === null ? tf.stack(items, items[0].rank) : tf.concat(items, k);
    },
  };
}
