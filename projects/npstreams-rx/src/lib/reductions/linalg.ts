import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import type { Reduction } from '../core/reduction';

/** The running result of a product chain: r = op(r, x) for every next item. */
export interface ChainState {
  value: tf.Tensor;
}

/**
 * A cumulative product (npstreams' idot, iinner, itensordot, ieinsum): items may differ in
 * shape wherever `op` accepts them. `associative` chains (dot) merge partial results.
 */
export function chainReduction(operator: string, op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, associative: boolean): Reduction<ChainState> {
  return {
    fixedShape: false,
    computeDtype: () => 'float32',
    init: ({ x }) => ({ value: x }),
    update: (state, { x }) => ({ value: op(state.value, x) }),
    merge: (a, b) => {
      if (!associative) throw new OptionError(`${operator}: this product is not associative, so partial results cannot be merged`);
      return { value: op(a.value, b.value) };
    },
    finalize: ({ value }) => tf.clone(value),
  };
}
